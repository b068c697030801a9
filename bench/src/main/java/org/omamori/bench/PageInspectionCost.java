package org.omamori.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.StreamingInspection;

/**
 * What ProxyLoad's "all engines" path costs in the pipeline alone, without sockets: the same
 * 10 KiB page and nginx-like heads through every engine (URL filter with 1,000,000 domains, IPS
 * with the project rules and {@code -Dproxyload.ruleDir}, antivirus on clamd with its answer
 * cache), calls made as the proxy makes them, on one thread. Prints that thread's CPU time and
 * heap allocation per page, per round: on a machine shared with other work these vary far less
 * than a load test's whole-process numbers, so two builds can be compared by them.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.PageInspectionCost [pages per round] [rounds]</pre>
 */
public final class PageInspectionCost {

    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        byte[] page = page();
        String url = "http://127.0.0.1:8080/page.html";
        Connection connection = new Connection(ZonePair.LAN_TO_WAN, InetAddress.getLoopbackAddress(), 50_000,
                InetAddress.getLoopbackAddress(), 8080, Optional.empty());
        byte[] requestHead = ("GET /page.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        String responseText = "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sun, 06 Dec 2026 16:00:00 GMT\r\n"
                + "Content-Type: text/html\r\nContent-Length: " + page.length + "\r\nLast-Modified: Sun, 06 Dec 2026 15:00:00 GMT\r\n"
                + "Connection: keep-alive\r\nETag: \"6753a1c0-2800\"\r\nAccept-Ranges: bytes\r\n\r\n";
        byte[] responseHead = responseText.getBytes(StandardCharsets.ISO_8859_1);
        List<Header> responseHeaders = new ArrayList<>();
        String[] lines = responseText.split("\r\n");
        responseHeaders.add(Header.statusLine(lines[0]));
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            responseHeaders.add(new Header(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // -Dpic.open=50: that many inspections open at once, their steps interleaved (the proxy's 50 connections);
        // -Dpic.open=1,50: rounds alternate the two, so a busy machine weighs on both alike
        int[] opens = java.util.Arrays.stream(System.getProperty("pic.open", "1").split(",")).mapToInt(Integer::parseInt).toArray();
        int most = java.util.Arrays.stream(opens).max().orElse(1);
        StreamingInspection[] ring = new StreamingInspection[most];
        int[] stage = new int[most];
        try (ProxyLoad.Engines all = new ProxyLoad.Engines()) {
            for (int round = 0; round < rounds; round++) {
                int open = opens[round % opens.length];
                long cpu = threads.getCurrentThreadCpuTime();
                long bytes = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                if (open == 1) {
                    for (int i = 0; i < pages; i++) {
                        InspectionRequest request = request(url, connection, requestHead);
                        try (StreamingInspection inspection = all.pipeline.open(request)) {
                            // the merged verdict per call, every engine's result once at the end, as the proxy asks since pipeline API 1.3
                            inspection.verdict();
                            inspection.endOfBodyVerdict(Direction.REQUEST);
                            inspection.headersVerdict(Direction.RESPONSE, responseHeaders, ByteBuffer.wrap(responseHead));
                            response(inspection, page);
                        }
                    }
                } else {
                    // as under load: `open` exchanges under way at once, each step of one with the others' steps between
                    for (int i = 0; i < pages; ) {
                        for (int slot = 0; slot < open && i < pages; slot++) {
                            StreamingInspection inspection = ring[slot];
                            switch (stage[slot]) {
                                case 0 -> {
                                    ring[slot] = all.pipeline.open(request(url, connection, requestHead));
                                    ring[slot].verdict();
                                    ring[slot].endOfBodyVerdict(Direction.REQUEST);
                                }
                                case 1 -> inspection.headersVerdict(Direction.RESPONSE, responseHeaders, ByteBuffer.wrap(responseHead));
                                default -> {
                                    try (inspection) {
                                        response(inspection, page);
                                    }
                                    ring[slot] = null;
                                    i++;
                                }
                            }
                            stage[slot] = (stage[slot] + 1) % 3;
                        }
                    }
                }
                long wall = System.nanoTime() - start;
                System.out.printf((open == 1 ? "" : open + " open, ") + "round %d: %.1f us CPU/page, %.0f B allocated/page, %.1f us wall/page%n", round + 1,
                        (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / pages,
                        (threads.getCurrentThreadAllocatedBytes() - bytes) / (double) pages, wall / 1000.0 / pages);
            }
        }
    }

    private static InspectionRequest request(String url, Connection connection, byte[] requestHead) {
        return InspectionRequest.http("GET", url).host("127.0.0.1").httpVersion("HTTP/1.1")
                .head(ByteBuffer.wrap(requestHead)).connection(connection).header("Host", "127.0.0.1:8080").build();
    }

    private static void response(StreamingInspection inspection, byte[] page) {
        inspection.bodyVerdict(Direction.RESPONSE, ByteBuffer.wrap(page).asReadOnlyBuffer());
        if (inspection.endOfBodyVerdict(Direction.RESPONSE).action() != Action.PASS) {
            throw new IllegalStateException("the page did not pass: " + inspection.result());
        }
        // as the proxy publishes: the result is made only when it has something to say (pipeline API 1.4)
        if (!inspection.quiet()) {
            inspection.result();
        }
    }

    /** The page ProxyLoad serves: 10 KiB of HTML. */
    static byte[] page() {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bench</title></head><body>");
        SplittableRandom r = new SplittableRandom(7);
        while (page.length() < 10 * 1024 - 20) {
            page.append("<p>お知らせ ").append(r.nextInt(1_000_000)).append(" Lorem ipsum dolor sit amet.</p>");
        }
        page.setLength(10 * 1024 - 14);
        page.append("</body></html>");
        return page.toString().getBytes(StandardCharsets.UTF_8);
    }
}
