package org.omamori.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.ZonePair;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;

/**
 * Heap allocated per IPS inspection of a browser-like GET and its response head, with the heads as
 * sent (engine API 1.5, as the proxy and the replay pass them: a wrapped array) and without (the
 * buffers rebuilt from the fields), on the project rules and optionally a rule folder (ET Open).
 * {@code java -cp bench/target/benchmarks.jar org.omamori.bench.HeadAllocation [RULE-DIR]}, from the
 * repository root. Single-threaded, {@code getThreadAllocatedBytes}: independent of the machine's load.
 */
public final class HeadAllocation {
    static final String REQ = "GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.jp\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\r\n"
            + "Accept: text/html,application/xhtml+xml\r\nAccept-Language: ja,en;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
            + "Cookie: sid=abc123\r\n\r\n";
    static final String RES = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 10240\r\n\r\n";

    private HeadAllocation() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> rules = new ArrayList<>(List.of(Path.of("engines/ips-hyperscan/rules").toAbsolutePath()));
        if (args.length > 0) {
            rules.add(Path.of(args[0]).toAbsolutePath());
        }
        IpsEngine ips = new IpsEngine("h", IpsSettings.DEFAULTS);
        if (!ips.loadNow(RuleSets.source(rules, Variables.defaults(), Classtypes.standard(), n -> { }), IpsSettings.DEFAULTS)) {
            throw new IllegalStateException("the rules did not load from " + rules);
        }
        System.out.println(ips.report());
        Connection c = new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.10"), 50123, InetAddress.getByName("198.51.100.5"), 80, Optional.empty());
        byte[] req = REQ.getBytes(StandardCharsets.ISO_8859_1);
        byte[] res = RES.getBytes(StandardCharsets.ISO_8859_1);
        List<Header> resHeaders = List.of(Header.statusLine("HTTP/1.1 200 OK"), new Header("Server", "nginx"), new Header("Content-Type", "text/html"), new Header("Content-Length", "10240"));
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int round = 0; round < 10; round++) {
            for (boolean withHead : new boolean[] {false, true}) {
                int n = 20_000;
                long a0 = mx.getThreadAllocatedBytes(tid), t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    var b = InspectionRequest.http("GET", "http://www.example.jp/index.html?q=1").connection(c)
                            .header("Host", "www.example.jp").header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")
                            .header("Accept", "text/html,application/xhtml+xml").header("Accept-Language", "ja,en;q=0.5")
                            .header("Accept-Encoding", "gzip, deflate").header("Connection", "keep-alive").header("Cookie", "sid=abc123");
                    if (withHead) {
                        b.httpVersion("HTTP/1.1").head(ByteBuffer.wrap(req)); // as the proxy passes its array
                    }
                    try (Inspection in = ips.inspect(b.build())) {
                        in.endOfBody(Direction.REQUEST);
                        if (withHead) {
                            in.headers(Direction.RESPONSE, resHeaders, ByteBuffer.wrap(res).asReadOnlyBuffer()); // the pipeline's view
                        } else {
                            in.headers(Direction.RESPONSE, resHeaders);
                        }
                        in.verdict();
                    }
                }
                long a1 = mx.getThreadAllocatedBytes(tid), t1 = mx.getCurrentThreadCpuTime();
                if (round >= 2) { // the first rounds warm up
                    System.out.printf("round %d %-9s %7.0f B/inspection %6.1f us CPU/inspection%n", round, withHead ? "head" : "no head", (a1 - a0) / (double) n, (t1 - t0) / 1e3 / n);
                }
            }
        }
        ips.close();
    }
}
