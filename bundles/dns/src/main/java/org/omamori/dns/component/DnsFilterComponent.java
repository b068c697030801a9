package org.omamori.dns.component;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.omamori.api.config.ListSetting;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.dns.BlockMode;
import org.omamori.dns.DnsFilterServer;
import org.omamori.dns.DnsFilterSettings;
import org.omamori.dns.Listener;
import org.omamori.dns.OverLimit;
import org.omamori.dns.Upstreams;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the DNS filter: configuration {@value #PID} to {@link DnsFilterSettings}, the pipeline,
 * the event factory and the event sink to a {@link DnsFilterServer}. A configuration change
 * restarts the server (DS deactivates and activates again). A bad setting or an address that
 * cannot be bound is logged with what to change; the component then stays up without listening.
 */
@Component(configurationPid = DnsFilterComponent.PID, immediate = true, service = {})
@Designate(ocd = DnsFilterConfig.class)
public final class DnsFilterComponent {

    public static final String PID = "org.omamori.dns";

    private static final Logger LOG = LoggerFactory.getLogger(DnsFilterComponent.class);

    private DnsFilterServer server;

    @Activate
    public DnsFilterComponent(DnsFilterConfig config, @Reference Pipeline pipeline, @Reference EventFactory events,
                              @Reference EventSink sink) {
        DnsFilterSettings settings;
        try {
            settings = settingsOf(config);
        } catch (IllegalArgumentException e) {
            LOG.error("DNS filter not started: {}; fix configuration {}", e.getMessage(), PID);
            return;
        }
        try {
            server = DnsFilterServer.start(settings, pipeline, events, sink);
        } catch (IOException e) {
            LOG.error("DNS filter not started: {}; is another resolver on that port, or does port 53 need privileges?"
                    + " Change 'listen' in configuration {}", e.getMessage(), PID);
        }
    }

    /** The configuration as settings; throws IllegalArgumentException saying which key is wrong. */
    static DnsFilterSettings settingsOf(DnsFilterConfig c) {
        List<Listener> listeners = ListSetting.entries(c.listen()).stream().map(Listener::parse).toList();
        return DnsFilterSettings.builder()
                .listeners(listeners)
                .upstreams(Upstreams.of(c.upstreams(), Path.of("/etc/resolv.conf")))
                .upstreamTimeout(Duration.ofMillis(c.upstreamTimeoutMillis()))
                .blockMode(BlockMode.parse(c.blockMode()))
                .blockV4(address(c.blockAddressV4(), "blockAddressV4"))
                .blockV6(address(c.blockAddressV6(), "blockAddressV6"))
                .blockTtl(c.blockTtlSeconds())
                .cacheMaxEntries(c.cacheMaxEntries())
                .cacheMaxTtl(c.cacheMaxTtlSeconds())
                .clientRate(c.clientRate())
                .clientBurst(c.clientBurst())
                .clientInFlight(c.clientInFlight())
                .maxInFlight(c.maxInFlight())
                .maxClients(c.maxClients())
                .overLimit(OverLimit.parse(c.overLimit()))
                .maxTcpConnections(c.maxTcpConnections())
                .tcpIdleTimeout(Duration.ofMillis(c.tcpIdleTimeoutMillis()))
                .eventWindow(Duration.ofSeconds(c.eventWindowSeconds()))
                .eventMaxKeys(c.eventMaxKeys())
                .eventBlocksAlone(c.eventBlocksAlone())
                .build();
    }

    private static InetAddress address(String text, String key) {
        String t = text.trim();
        try {
            return Listener.parse("lan=" + (t.indexOf(':') >= 0 ? "[" + t + "]" : t) + ":0").address().getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be an IP address, not '" + text + "'", e);
        }
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
        }
    }
}
