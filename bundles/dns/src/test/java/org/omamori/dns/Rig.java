package org.omamori.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.omamori.metrics.Meters;

/**
 * The real things wired as the appliance wires them: the URL filter engine in the inspection
 * pipeline, an event factory, a sink that keeps what it is given, the DNS filter server on
 * 127.0.0.1 (ephemeral port) forwarding to a {@link TestUpstream}.
 */
final class Rig implements AutoCloseable {

    final TestUpstream upstream;
    final UrlFilter urlFilter = new UrlFilter("test");
    final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
    final List<Event> events = new CopyOnWriteArrayList<>();
    final Meters meters = Meters.isolated();
    final DnsFilterServer server;

    Rig(Path lists, TestUpstream upstream, DnsFilterSettings.Builder settings) throws IOException {
        this.upstream = upstream;
        if (!urlFilter.loadNow(lists, 5_000_000)) {
            throw new IllegalStateException("lists not loaded from " + lists);
        }
        pipeline.addEngine(new Engine() {
            @Override
            public EngineDescriptor descriptor() {
                return urlFilter.descriptor();
            }

            @Override
            public Inspection inspect(InspectionRequest request) {
                return Inspection.decided(urlFilter.inspect(request));
            }
        });
        EventFactory factory = new EventFactory(ApplianceId.parse("0000000000a1"));
        server = DnsFilterServer.start(settings
                .listeners(List.of(Listener.parse("lan=127.0.0.1:0")))
                .upstreams(List.of(upstream.address()))
                .build(), pipeline, factory, events::addAll, meters);
    }

    InetSocketAddress udp() {
        try {
            return server.udpAddresses().getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress tcp() {
        return server.tcpAddresses().getFirst();
    }

    /** A lists directory: phishing blocks, news logs. */
    static Path lists(Path dir, String[] phishing, String[] news) throws IOException {
        Files.createDirectories(dir.resolve("phishing"));
        Files.createDirectories(dir.resolve("news"));
        Files.writeString(dir.resolve("categories.conf"),
                "phishing | block | high | フィッシング詐欺 | Phishing\nnews | log | low | ニュース | News\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("phishing/domains"), String.join("\n", phishing) + "\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("news/domains"), String.join("\n", news) + "\n", StandardCharsets.US_ASCII);
        return dir;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pipeline.close();
        urlFilter.close();
        upstream.close();
    }
}
