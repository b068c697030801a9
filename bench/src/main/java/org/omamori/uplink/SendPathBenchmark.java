package org.omamori.uplink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.spool.Batch;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The uplink's send path on the appliance, per event (issue 18): take a batch of 500 from the
 * spool and make the request body the HTTP client reads, through to the last body byte handed to
 * the client. {@code stored}: the batch holds the stored JSON and the body is sliced from it
 * ({@link StoredBody}); {@code decodeEncode}: main's path before ({@link LegacySendPath}: every
 * event decoded, then encoded again into the body). Both read the same 1,000 spooled events (one
 * in ten a threat, URLs of 20-400 characters, a third with Japanese) from the page cache; the
 * set-up fails the trial unless both give the same body bytes. The acknowledgement (a cursor
 * file forced to disk, the same in both) and the network are left out.
 *
 * <pre>java -jar bench/target/benchmarks.jar SendPathBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class SendPathBenchmark {

    static final int BATCH = 500;
    static final long BATCH_BYTES = 1 << 20;
    static final ApplianceId APPLIANCE = new ApplianceId("00a0de5e0d00");

    private Path dir;
    private Spool spool;
    private LegacySendPath legacy;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("send-path-bench");
        spool = Spool.open(SpoolSettings.in(dir), new EventFactory(APPLIANCE));
        spool.publish(events(1000));
        legacy = new LegacySendPath(dir);
        byte[] now = drain(StoredBody.of(APPLIANCE, spool.take(BATCH, BATCH_BYTES)));
        byte[] before = drain(LegacySendPath.body(APPLIANCE, legacy.take(BATCH, BATCH_BYTES)));
        if (!java.util.Arrays.equals(now, before) || spool.take(BATCH, BATCH_BYTES).size() != BATCH) {
            throw new IllegalStateException("the two send paths do not make the same body of " + BATCH + " events");
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void stored(Blackhole bh) {
        Batch batch = spool.take(BATCH, BATCH_BYTES);
        bh.consume(batch.oldestTime());
        bh.consume(consume(StoredBody.of(APPLIANCE, batch)));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decodeEncode(Blackhole bh) {
        LegacySendPath.LegacyBatch batch = legacy.take(BATCH, BATCH_BYTES);
        bh.consume(LegacySendPath.oldest(batch));
        bh.consume(consume(LegacySendPath.body(APPLIANCE, batch)));
    }

    /** Reads the body as the HTTP client does (all of it, by subscription); returns its length. */
    static long consume(HttpRequest.BodyPublisher body) {
        long[] total = {0};
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                total[0] += item.remaining();
            }

            @Override
            public void onError(Throwable t) {
                throw new IllegalStateException(t);
            }

            @Override
            public void onComplete() {
            }
        });
        return total[0];
    }

    static byte[] drain(HttpRequest.BodyPublisher body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                out.writeBytes(b);
            }

            @Override
            public void onError(Throwable t) {
                throw new IllegalStateException(t);
            }

            @Override
            public void onComplete() {
            }
        });
        return out.toByteArray();
    }

    /** n events, one in ten a threat, the rest access logs; fixed seed. */
    static List<Event> events(int n) throws IOException {
        Random random = new Random(18);
        EventIds ids = new EventIds();
        InetAddress client = InetAddress.getByName("192.168.1.10");
        InetAddress server = InetAddress.getByName("203.0.113.7");
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder path = new StringBuilder();
            int length = 20 + random.nextInt(380);
            boolean japanese = random.nextInt(3) == 0;
            while (path.length() < length) {
                path.append(japanese && random.nextBoolean() ? "検索" : "news/").append(random.nextInt(1000)).append('/');
            }
            String url = "https://www.example.jp/" + path + "?q=" + random.nextInt(100000);
            events.add(i % 10 == 0
                    ? new Event(ids.next(), APPLIANCE, Instant.now(), Kind.THREAT, ZonePair.LAN_TO_WAN, client, 40000 + i % 20000, server, 443,
                            Optional.empty(), "evil.example", url, "", SecurityFunction.IPS, "ips-hyperscan", "1.0.0", "sid:2100498",
                            "GPL ATTACK_RESPONSE id check returned root", Result.BLOCK, Level.HIGH, 90, Evidence.EXPLOIT_ATTEMPT, "")
                    : new Event(ids.next(), APPLIANCE, Instant.now(), Kind.ACCESS, ZonePair.LAN_TO_WAN, client, 40000 + i % 20000, server, 443,
                            Optional.empty(), "www.example.jp", url, "", SecurityFunction.URL_FILTERING, "urlfilter", "1.0.0",
                            "category:news", japanese ? "ニュース" : "News", Result.PASS, Level.LOW, 100, Evidence.NONE, ""));
        }
        return events;
    }
}
