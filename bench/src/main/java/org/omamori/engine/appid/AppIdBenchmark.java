package org.omamori.engine.appid;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.engine.appid.ndpi.Ndpi;
import org.omamori.engine.appid.ndpi.PacketList;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Application identification's cost per connection on the real libndpi (scripts/ndpi.sh install),
 * one thread: an HTTP request, a TLS connection by its SNI and by its ClientHello bytes, a DNS
 * query, a BitTorrent handshake as payload. Baselines in the same run: the URL filter's inspect of
 * the same HTTP requests (sample lists), and nDPI alone on the same prebuilt TLS packets (the cost
 * of the Java side: payload and packets, the pool, the verdict).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AppIdBenchmark {

    private static final String[] HOSTS = {"www.youtube.com", "outlook.office365.com", "obs.line-scdn.net", "www.dropbox.com",
            "open.spotify.com", "www.example.co.jp", "update.microsoft.com", "www.facebook.com"};

    private Ndpi ndpi;
    private AppIdEngine engine;
    private UrlFilter urls;
    private InspectionRequest[] http;
    private InspectionRequest[] tls;
    private InspectionRequest[] dns;
    private byte[][] hellos;
    private PacketList[] tlsPackets;
    private byte[] bitTorrent;
    private Connection connection;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ndpi = Ndpi.open(1);
        engine = new AppIdEngine("bench", ndpi);
        urls = new UrlFilter("bench");
        urls.swapIn(CategoryLists.load(Path.of(System.getProperty("omamori.root", ".")).resolve("engines/urlfilter/sample-lists")));
        connection = new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.20"), 50000,
                InetAddress.getByName("203.0.113.7"), 443, java.util.Optional.empty());
        int n = HOSTS.length;
        http = new InspectionRequest[n];
        tls = new InspectionRequest[n];
        dns = new InspectionRequest[n];
        hellos = new byte[n][];
        tlsPackets = new PacketList[n];
        for (int i = 0; i < n; i++) {
            http[i] = InspectionRequest.http("GET", "http://" + HOSTS[i] + "/watch?v=abc").header("Host", HOSTS[i])
                    .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)").header("Accept", "*/*").build();
            tls[i] = InspectionRequest.tls(HOSTS[i]).connection(connection).build();
            dns[i] = InspectionRequest.dns(HOSTS[i]).build();
            hellos[i] = Payloads.clientHello(HOSTS[i]);
            tlsPackets[i] = PacketList.tcp(connection.source(), 50000, connection.destination(), 443, hellos[i], hellos[i].length,
                    null, 0);
        }
        bitTorrent = new byte[68];
        bitTorrent[0] = 19;
        System.arraycopy("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII), 0, bitTorrent, 1, 19);
        if (verdict(engine.inspect(tls[0])).finding().isEmpty()) {
            throw new IllegalStateException("nDPI did not name " + HOSTS[0]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ndpi.close();
        urls.close();
    }

    private int next() {
        return cursor++ & (HOSTS.length - 1);
    }

    private static Verdict verdict(Inspection i) {
        try (i) {
            return i.verdict();
        }
    }

    @Benchmark
    public Verdict appIdHttp() {
        return verdict(engine.inspect(http[next()]));
    }

    @Benchmark
    public Verdict appIdTlsBySni() {
        return verdict(engine.inspect(tls[next()]));
    }

    @Benchmark
    public Verdict appIdTlsClientHello() {
        int i = next();
        Inspection inspection = engine.inspect(tls[i]);
        inspection.body(Direction.REQUEST, ByteBuffer.wrap(hellos[i]));
        return verdict(inspection);
    }

    @Benchmark
    public Verdict appIdDns() {
        return verdict(engine.inspect(dns[next()]));
    }

    @Benchmark
    public Verdict appIdBitTorrentPayload() {
        Inspection inspection = engine.inspect(InspectionRequest.other().connection(connection).build());
        inspection.body(Direction.REQUEST, ByteBuffer.wrap(bitTorrent));
        return verdict(inspection);
    }

    /** Baseline: the URL filter's inspect of the same HTTP requests. */
    @Benchmark
    public Verdict urlFilterHttp() {
        return urls.inspect(http[next()]);
    }

    /** Baseline: nDPI alone on prebuilt packets of the same TLS connections. */
    @Benchmark
    public Object ndpiAloneTls() {
        return ndpi.identify(tlsPackets[next()], 1000, 20).orElseThrow();
    }
}
