package org.omamori.bench.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.omamori.dns.BlockMode;
import org.omamori.dns.DnsFilterServer;
import org.omamori.dns.DnsFilterSettings;
import org.omamori.dns.DnsStats;
import org.omamori.dns.Listener;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.events.Kind;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;

/**
 * The DNS filter as the appliance runs it, in its own JVM so its resident memory can be read:
 * the URL filter with the given lists in the inspection pipeline, the appliance's spool (default
 * settings) as the event sink, per-client limits off (the benchmark is one client). Prints
 * {@code ready <port>} when it answers, the filter's counters when its standard input closes.
 *
 * <pre>java -cp benchmarks.jar org.omamori.bench.dns.DnsFilterHost LISTS SPOOL UPSTREAM_PORT</pre>
 */
public final class DnsFilterHost {

    private DnsFilterHost() {
    }

    /**
     * The spool, or with {@code -Domamori.bench.accessEvents=false} the spool given threat events
     * only: what the filter would cost if allowed-name events cost nothing (an upper bound for
     * aggregating them), to measure, never a mode of the appliance.
     */
    private static EventSink sinkOf(Spool spool) {
        if (Boolean.parseBoolean(System.getProperty("omamori.bench.accessEvents", "true"))) {
            return spool;
        }
        return list -> spool.publish(list.stream().filter(e -> e.kind() != Kind.ACCESS).toList());
    }

    /**
     * With {@code -Domamori.bench.drain=true}, a thread in this JVM does what the uplink does with
     * the spool when the cloud accepts everything at once: takes batches as the uplink does (500
     * events or 1 MiB), writes each batch's events array as the request body carries it (to a
     * stream that discards it: no TLS, no HTTP) and acknowledges it, so acknowledged segments are
     * deleted. A real appliance's spool is drained so; the benchmark's default (off) lets it grow.
     */
    private static Thread drain(Spool spool, java.util.concurrent.atomic.AtomicLong drained) {
        if (!Boolean.getBoolean("omamori.bench.drain")) {
            return null;
        }
        return Thread.ofPlatform().daemon().name("bench-uplink").start(() -> {
            java.io.OutputStream body = java.io.OutputStream.nullOutputStream();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    org.omamori.spool.Batch batch = spool.take(500, 1024 * 1024);
                    if (batch.isEmpty()) {
                        spool.awaitEvents(java.time.Duration.ofMillis(100));
                        continue;
                    }
                    batch.writeJson(body);
                    spool.ack(batch);
                    drained.addAndGet(batch.size());
                }
            } catch (InterruptedException | IllegalStateException | IOException | java.io.UncheckedIOException e) {
                if (!Thread.currentThread().isInterrupted() && !(e instanceof InterruptedException)) {
                    System.out.println("bench uplink stopped: " + e); // not stopped by us: say so
                }
            }
        });
    }

    public static void main(String[] args) throws Exception {
        Path lists = Path.of(args[0]);
        Path spoolDir = Path.of(args[1]);
        int upstreamPort = Integer.parseInt(args[2]);
        UrlFilter filter = new UrlFilter("bench");
        CategoryLists loaded = CategoryLists.load(lists);
        filter.swapIn(loaded);
        System.out.printf("lists: %,d domains, tables %,d bytes%n", loaded.domainCount(), loaded.footprint());
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(filter.asEngine());
        EventFactory events = new EventFactory(ApplianceId.parse("0000000000be"));
        DnsFilterSettings settings = DnsFilterSettings.builder()
                .listeners(List.of(Listener.parse("lan=127.0.0.1:0")))
                .upstreams(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort)))
                .blockMode(BlockMode.NXDOMAIN)
                .clientRate(0).clientInFlight(0)
                .build();
        try (Spool spool = Spool.open(SpoolSettings.in(spoolDir), events);
             DnsFilterServer server = DnsFilterServer.start(settings, pipeline, events, sinkOf(spool))) {
            java.util.concurrent.atomic.AtomicLong drained = new java.util.concurrent.atomic.AtomicLong();
            Thread uplink = drain(spool, drained);
            System.gc();
            System.out.println("ready " + server.udpAddresses().getFirst().getPort() + " " + filter.lists().entries());
            System.out.flush();
            // Runs until the benchmark closes our input; "alloc" asks for the bytes allocated so far and the queries.
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("alloc")) {
                    System.out.println("alloc " + threads.getTotalThreadAllocatedBytes() + " " + server.stats().queries());
                    System.out.flush();
                }
            }
            if (uplink != null) {
                uplink.interrupt();
                uplink.join();
                System.out.printf("bench uplink: %,d events taken and acknowledged%n", drained.get());
            }
            DnsStats s = server.stats();
            System.out.printf("filter: %,d queries, %,d blocked, %,d forwarded, %,d from cache, %,d refused, %,d event failures, spool %s%n",
                    s.queries(), s.blocked(), s.forwarded(), s.cacheHits(), s.refusedRate() + s.refusedInFlight(),
                    s.eventFailures(), spool.counters());
        } catch (IOException e) {
            System.out.println("failed " + e);
        } finally {
            pipeline.close();
            filter.close();
        }
    }
}
