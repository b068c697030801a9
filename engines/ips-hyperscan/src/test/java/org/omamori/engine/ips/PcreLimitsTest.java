package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Pcre;

/**
 * No pcre, however pathological, may exhaust the stack or run long: the JDK's regex is cut off
 * by its step budget or a stack overflow, then Hyperscan answers in linear time where it reads
 * the pcre (the right answer, not just "no"), and a pcre it cannot read (a back-reference)
 * counts as not matched.
 */
class PcreLimitsTest {

    /** Pattern, its answer on 60 KB of a's ending in b, on 60 KB of a's ending in !, or null for "any answer". */
    record Evil(String pcre, Boolean onAb, Boolean onABang) {
    }

    static final List<Evil> EVIL = List.of(
            new Evil("(a+)+$", false, false),
            new Evil("(a|aa)+$", false, false),
            new Evil("(a|a?)+$", true, true), // the empty match at the end
            new Evil("(.*a){20}", true, true),
            new Evil("^(\\w+\\s?)*$", true, false),
            new Evil("(a*)*\\1b", null, false)); // a back-reference: Hyperscan cannot, the budget decides

    static final String AB = "a".repeat(60_000) + "b";
    static final String A_BANG = "a".repeat(60_000) + "!";
    static final long BOUND_MILLIS = 2000;
    /**
     * The bound is on this thread's CPU time, not the wall clock: the work is bounded by the
     * step budget whatever else runs, while a wall clock on a loaded 2-core machine measured the
     * wait for a core (6.2 s once at load 25).
     */
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    IpsEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void everyCatastrophicPatternGivesAVerdictWithinTheBoundOnAResponseBody(@TempDir Path tmp) throws Exception {
        StringBuilder rules = new StringBuilder();
        for (int r = 0; r < EVIL.size(); r++) {
            // The content trigger makes the rule load whatever Hyperscan thinks of the pcre.
            rules.append("drop http any any -> any any (msg:\"evil ").append(r).append("\"; flow:to_client; file_data; ")
                    .append("content:\"aaaa\"; pcre:\"/").append(EVIL.get(r).pcre()).append("/\"; sid:").append(200 + r)
                    .append("; rev:1;)\n");
        }
        Path file = tmp.resolve("evil.rules");
        Files.writeString(file, rules.toString());
        engine = new IpsEngine("1.0.0", IpsSettings.DEFAULTS);
        engine.reload(IpsEngineTest.source(file), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);
        assertThat(engine.report().loaded()).isEqualTo(EVIL.size());
        for (String body : new String[] {AB, A_BANG}) {
            for (int chunk : new int[] {body.length(), 16 * 1024, 1500}) {
                InspectionRequest request = IpsEngineTest.outbound("POST", "http://appliance.example/inspect").build();
                long t0 = cpuNanos();
                boolean[] fired = new boolean[EVIL.size()];
                try (Inspection i = engine.inspect(request)) {
                    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
                    for (int at = 0; at < bytes.length; at += chunk) {
                        i.body(Direction.RESPONSE, ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at)));
                    }
                    i.endOfBody(Direction.RESPONSE);
                    assertThat(i.verdict()).isNotNull();
                    for (int r = 0; r < fired.length; r++) {
                        fired[r] = ((IpsInspection) i).hasFired(r);
                    }
                }
                long millis = (cpuNanos() - t0) / 1_000_000;
                String what = (body == AB ? "a…ab" : "a…a!") + " in chunks of " + chunk;
                assertThat(millis).as(what).isLessThan(BOUND_MILLIS);
                for (int r = 0; r < EVIL.size(); r++) {
                    Boolean expected = body == AB ? EVIL.get(r).onAb() : EVIL.get(r).onABang();
                    if (expected != null) {
                        assertThat(fired[r]).as("%s on %s", EVIL.get(r).pcre(), what).isEqualTo(expected);
                    }
                }
            }
        }
        assertThat(engine.pcreLimitHits()).as("the JDK's regex was cut off and counted").isPositive();
    }

    /** The same on a whole header buffer (the URI), where no window bounds the input. */
    @Test
    void aChainOnAWholeBufferIsCutOffTooAndAnswersLinearlyWhereItCan() {
        for (Evil e : EVIL) {
            for (String text : new String[] {AB, A_BANG}) {
                Pcre pcre = new Pcre(Buffer.HTTP_URI, e.pcre(), false, false, false, false, false, false);
                Chain chain = new Chain(Buffer.HTTP_URI, List.of(pcre));
                long t0 = cpuNanos();
                boolean matched = chain.matches(ByteView.of(text.getBytes(StandardCharsets.ISO_8859_1)));
                long millis = (cpuNanos() - t0) / 1_000_000;
                chain.close();
                assertThat(millis).as(e.pcre()).isLessThan(BOUND_MILLIS);
                Boolean expected = text == AB ? e.onAb() : e.onABang();
                if (expected != null) {
                    assertThat(matched).as("%s on %s", e.pcre(), text.substring(text.length() - 2)).isEqualTo(expected);
                }
            }
        }
    }

    /** Hyperscan reads a pattern as UTF-8: the rule's byte characters go to it as \\xHH, so the linear answer is the JDK's. */
    @Test
    void theLinearSearchReadsHighBytesAsBytes() {
        assertThat(PcreStep.bytesEscaped("a\u00e9\\\u00e8[\u00ff]\\.")).isEqualTo("a\\xe9\\xe8[\\xff]\\.");
        String bytes = "\u00e9".repeat(60_000);
        Chain evil = new Chain(Buffer.HTTP_URI, List.of(new Pcre(Buffer.HTTP_URI, "(\u00e9|\u00e9\u00e9)+$", false, false, false, false, false, false)));
        Search search = new Search();
        assertThat(evil.matches(search, ByteView.of(bytes.getBytes(StandardCharsets.ISO_8859_1)), -1, -1, null, 0, true)).isTrue();
        assertThat(search.exhausted()).as("answered by Hyperscan").isEqualTo(1);
        assertThat(evil.matches(search, ByteView.of((bytes + "b").getBytes(StandardCharsets.ISO_8859_1)), -1, -1, null, 0, true)).isFalse();
        evil.close();
    }

    /** A deep stack overflow inside the regex leaves the search usable: the next confirmation works. */
    @Test
    void aSearchThatOverflowedTheStackStillConfirmsOrdinaryPcres() {
        Chain evil = new Chain(Buffer.HTTP_URI, List.of(new Pcre(Buffer.HTTP_URI, "(a|aa)+$", false, false, false, false, false, false)));
        Chain plain = new Chain(Buffer.HTTP_URI, List.of(new Pcre(Buffer.HTTP_URI, "id=\\d+$", false, false, false, false, false, false)));
        Search search = new Search();
        ByteView many = ByteView.of(AB.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(evil.matches(search, many, -1, -1, null, 0, true)).isFalse();
        assertThat(search.exhausted()).isEqualTo(1);
        assertThat(plain.matches(search, ByteView.of("/x?id=42".getBytes(StandardCharsets.ISO_8859_1)), -1, -1, null, 0, true)).isTrue();
        assertThat(plain.matches(search, ByteView.of("/x?id=4x".getBytes(StandardCharsets.ISO_8859_1)), -1, -1, null, 0, true)).isFalse();
        evil.close();
        plain.close();
    }
}
