package org.omamori.bench.dns;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

import org.omamori.dns.BlockMode;
import org.omamori.dns.DnsFilterServer;
import org.omamori.dns.DnsFilterSettings;
import org.omamori.dns.Listener;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.DClass;

/**
 * Events the DNS filter hands the spool per 100,000 queries, one event per query (window 0, as
 * before issue 18) against folding per window (the default 60 s), in one run, alternating (issue
 * 18, docs/dns-filter.md "Events"). The query mix of {@code DnsVersusUnbound}: half subdomains of
 * blocked domains (100,000 distinct names), half 5,000 allowed names, from {@code clients} PCs
 * (127.0.0.2 and up), each query answered before the next.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.dns.DnsEventFolding [queries] [clients] [rounds]</pre>
 */
public final class DnsEventFolding {

    private DnsEventFolding() {
    }

    public static void main(String[] args) throws Exception {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path root = Files.createTempDirectory("dns-folding");
        SplittableRandom r = new SplittableRandom(18);
        String[] blocked = new String[100_000];
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < blocked.length; i++) {
            blocked[i] = "b" + Long.toHexString(r.nextLong() >>> 20) + ".test";
            list.append(blocked[i]).append('\n');
        }
        Files.createDirectories(root.resolve("malware"));
        Files.writeString(root.resolve("malware/domains"), list, StandardCharsets.US_ASCII);
        Files.writeString(root.resolve("categories.conf"), "malware | block | high | マルウェア | Malware\n", StandardCharsets.UTF_8);
        String[] allowed = new String[5_000];
        for (int i = 0; i < allowed.length; i++) {
            allowed[i] = "a" + i + ".allowed.example";
        }
        // the same queries every round: name, client
        String[] names = new String[queries];
        int[] from = new int[queries];
        for (int i = 0; i < queries; i++) {
            names[i] = (i & 1) == 0 ? "w" + r.nextInt(1000) + "." + blocked[r.nextInt(blocked.length)] : allowed[r.nextInt(allowed.length)];
            from[i] = r.nextInt(clients);
        }
        UrlFilter filter = new UrlFilter("bench");
        filter.swapIn(CategoryLists.load(root));
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(filter.asEngine());
        InstantUpstream upstream = new InstantUpstream();
        System.out.printf("%,d queries (half blocked among %,d names, half among %,d allowed names) from %d clients; shared 2-core VM%n",
                queries, blocked.length, allowed.length, clients);
        for (int round = 0; round < rounds; round++) {
            for (Duration window : List.of(Duration.ZERO, Duration.ofSeconds(60))) {
                LongAdder events = new LongAdder();
                LongAdder occurrences = new LongAdder();
                LongAdder threats = new LongAdder();
                EventSink sink = list2 -> {
                    for (Event e : list2) {
                        events.increment();
                        occurrences.add(e.count());
                        if (e.kind() == org.omamori.events.Kind.THREAT) {
                            threats.increment();
                        }
                    }
                };
                DnsFilterSettings settings = DnsFilterSettings.builder()
                        .listeners(List.of(Listener.parse("lan=127.0.0.1:0")))
                        .upstreams(List.of(upstream.address()))
                        .blockMode(BlockMode.NXDOMAIN).clientRate(0).clientInFlight(0)
                        .eventWindow(window)
                        .build();
                long t0 = System.nanoTime();
                DnsFilterServer server = DnsFilterServer.start(settings, pipeline, new EventFactory(ApplianceId.parse("0000000000bf")), sink);
                InetSocketAddress to = server.udpAddresses().getFirst();
                List<DatagramSocket> sockets = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + c)), 0));
                    s.setSoTimeout(2000);
                    sockets.add(s);
                }
                byte[] in = new byte[1500];
                int lost = 0;
                for (int i = 0; i < queries; i++) {
                    Message q = Message.newQuery(Record.newRecord(Name.fromString(names[i] + "."), Type.A, DClass.IN));
                    byte[] wire = q.toWire();
                    DatagramSocket s = sockets.get(from[i]);
                    s.send(new DatagramPacket(wire, wire.length, to));
                    try {
                        s.receive(new DatagramPacket(in, in.length));
                    } catch (java.net.SocketTimeoutException e) {
                        lost++;
                    }
                }
                server.close(); // a clean stop sends what the window held
                long ms = (System.nanoTime() - t0) / 1_000_000;
                sockets.forEach(DatagramSocket::close);
                System.out.printf("round %d, window %2d s: %,7d events (%,d threat) for %,d queries logged (%,d lost), %.4f events a query, %,d per 100,000; %d ms%n",
                        round + 1, window.toSeconds(), events.sum(), threats.sum(), occurrences.sum(), lost,
                        events.sum() / (double) occurrences.sum(), Math.round(events.sum() * 100_000.0 / occurrences.sum()), ms);
            }
        }
        upstream.close();
        pipeline.close();
        filter.close();
    }
}
