package org.omamori.bench.dns;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.dns.DnsFilterServer;
import org.omamori.dns.DnsFilterSettings;
import org.omamori.dns.DnsStats;
import org.omamori.dns.Listener;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * Queries per second through the DNS filter (UDP on loopback, the URL filter with 1,000,000
 * domains in the pipeline, an access-log event built per query) against the same load sent
 * straight to the upstream, in the same run. Closed loop: each client thread has one query
 * outstanding. Names: 65,536, half subdomains of listed domains (a quarter of those block),
 * half listed nowhere.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.dns.DnsFilterThroughput [threads] [seconds] [warm-up seconds]</pre>
 */
public final class DnsFilterThroughput {

    private static final String[] CATEGORIES = {"phishing", "malware", "news", "adult"};
    private static final String[] TLDS = {"com", "net", "org", "jp", "co.jp", "info", "example", "test"};

    private DnsFilterThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 5;

        Path root = Files.createTempDirectory("omamori-dns-bench");
        String[] listed = writeLists(root, 1_000_000);
        byte[][] queries = queries(listed, 1 << 16);
        UrlFilter filter = new UrlFilter("bench");
        long t0 = System.nanoTime();
        filter.swapIn(CategoryLists.load(root));
        System.out.printf("lists: %,d domains loaded in %d ms%n", filter.lists().entries(), (System.nanoTime() - t0) / 1_000_000);
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(new Engine() {
            public EngineDescriptor descriptor() {
                return filter.descriptor();
            }

            public Inspection inspect(InspectionRequest request) {
                return Inspection.decided(filter.inspect(request));
            }
        });
        LongAdder events = new LongAdder();
        EventSink sink = list -> events.add(list.size());
        EventFactory factory = new EventFactory(ApplianceId.parse("0000000000be"));

        try (InstantUpstream upstream = new InstantUpstream()) {
            DnsFilterSettings.Builder base = DnsFilterSettings.builder()
                    .listeners(List.of(Listener.parse("lan=127.0.0.1:0")))
                    .upstreams(List.of(upstream.address()))
                    .clientRate(0).clientInFlight(0).maxInFlight(4096);

            System.out.printf("%d client threads, one query outstanding each, %d s warm-up, %d s measured%n", threads, warmUp, seconds);
            Run direct = run("baseline: straight to the upstream", upstream.address(), queries, threads, warmUp, seconds);
            Run uncached;
            try (DnsFilterServer server = DnsFilterServer.start(base.cacheMaxEntries(0).build(), pipeline, factory, sink)) {
                uncached = run("filter, cache off (every allowed query forwarded)", server.udpAddresses().getFirst(), queries, threads, warmUp, seconds);
                print(server.stats());
            }
            Run cached;
            try (DnsFilterServer server = DnsFilterServer.start(base.cacheMaxEntries(100_000).build(), pipeline, factory, sink)) {
                cached = run("filter, cache on (100,000 entries)", server.udpAddresses().getFirst(), queries, threads, warmUp, seconds);
                print(server.stats());
            }
            System.out.printf("%nfilter / baseline: cache off %.2f, cache on %.2f; access-log events built: %,d%n",
                    uncached.qps / direct.qps, cached.qps / direct.qps, events.sum());
        } finally {
            pipeline.close();
            filter.close();
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Run(double qps, double meanMicros, long lost) {
    }

    private static void print(DnsStats s) {
        System.out.printf("    filter counters: %,d queries, %,d blocked, %,d forwarded, %,d from cache, %,d refused, %,d upstream failures%n",
                s.queries(), s.blocked(), s.forwarded(), s.cacheHits(), s.refusedRate() + s.refusedInFlight(), s.upstreamFailures());
    }

    private static Run run(String label, InetSocketAddress target, byte[][] queries, int threads, int warmUp, int seconds)
            throws InterruptedException {
        load(target, queries, threads, warmUp);
        Run r = load(target, queries, threads, seconds);
        System.out.printf("%-52s %,10.0f queries/s, mean %,7.0f µs, %d lost%n", label, r.qps, r.meanMicros, r.lost);
        return r;
    }

    private static Run load(InetSocketAddress target, byte[][] queries, int threads, int seconds) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder done = new LongAdder();
        LongAdder lost = new LongAdder();
        LongAdder nanos = new LongAdder();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 7919;
            clients.add(Thread.ofPlatform().name("client-" + t).start(() -> {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    socket.setSoTimeout(1000);
                    byte[] buf = new byte[4096];
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    int i = offset;
                    int id = 0;
                    while (running.get()) {
                        byte[] q = queries[i++ & (queries.length - 1)].clone();
                        id = (id + 1) & 0xffff;
                        q[0] = (byte) (id >>> 8);
                        q[1] = (byte) id;
                        long start = System.nanoTime();
                        socket.send(new DatagramPacket(q, q.length, target));
                        try {
                            do {
                                in.setData(buf);
                                socket.receive(in);
                            } while ((((buf[0] & 0xff) << 8) | (buf[1] & 0xff)) != id);
                            nanos.add(System.nanoTime() - start);
                            done.increment();
                        } catch (SocketTimeoutException e) {
                            lost.increment();
                        }
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = done.sum();
        long ns = nanos.sum();
        long elapsed = System.nanoTime() - t0;
        running.set(false);
        for (Thread c : clients) {
            c.join();
        }
        return new Run(n * 1e9 / elapsed, n == 0 ? 0 : ns / 1e3 / n, lost.sum());
    }

    /** One million names round-robin into the four categories; returns them. */
    private static String[] writeLists(Path root, int count) throws IOException {
        SplittableRandom r = new SplittableRandom(20261123L);
        String[] out = new String[count];
        BufferedWriter[] w = new BufferedWriter[CATEGORIES.length];
        for (int c = 0; c < w.length; c++) {
            Files.createDirectories(root.resolve(CATEGORIES[c]));
            w[c] = Files.newBufferedWriter(root.resolve(CATEGORIES[c]).resolve("domains"), StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < count; i++) {
            out[i] = label(r, 6, 14) + "." + TLDS[r.nextInt(TLDS.length)];
            w[i % w.length].write(out[i]);
            w[i % w.length].write('\n');
        }
        for (BufferedWriter b : w) {
            b.close();
        }
        return out;
    }

    private static String label(SplittableRandom r, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = "abcdefghijklmnopqrstuvwxyz0123456789".charAt(r.nextInt(i == 0 ? 26 : 36));
        }
        return new String(c);
    }

    /** Wire-format A queries (RD set): even ones under a listed domain, odd ones under a made-up one. */
    private static byte[][] queries(String[] listed, int count) {
        SplittableRandom r = new SplittableRandom(7L);
        byte[][] q = new byte[count][];
        for (int i = 0; i < count; i++) {
            String name = i % 2 == 0
                    ? label(r, 3, 8) + "." + listed[r.nextInt(listed.length)]
                    : label(r, 3, 8) + "." + label(r, 15, 20) + ".unlisted"; // longer labels than any listed name: never a hit
            q[i] = wire(name);
        }
        return q;
    }

    private static byte[] wire(String name) {
        byte[] out = new byte[12 + name.length() + 2 + 4];
        out[2] = 0x01; // RD
        out[5] = 1;    // one question
        int at = 12;
        for (String label : name.split("\\.")) {
            out[at++] = (byte) label.length();
            for (int k = 0; k < label.length(); k++) {
                out[at++] = (byte) label.charAt(k);
            }
        }
        out[at++] = 0;
        out[at + 1] = 1; // type A
        out[at + 3] = 1; // class IN
        return out;
    }
}
