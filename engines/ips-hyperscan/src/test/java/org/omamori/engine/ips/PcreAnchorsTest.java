package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;

/**
 * A pcre's {@code ^} and {@code $} on a body are the start and end of the whole body (Suricata's
 * buffer semantics), not of the chunk at hand: the verdict is the same however the body is split.
 */
class PcreAnchorsTest {

    /** A rule per line; its expected answer is the JDK regex (PCRE's newline: UNIX_LINES) on the whole body. */
    record Case(String rule, String regex, boolean request) {
    }

    static final List<Case> CASES = List.of(
            // the request body (the stream starts with the request head), by pcre trigger and by header trigger
            new Case("flow:to_server; pcre:\"/a$/P\";", "a$", true),
            new Case("flow:to_server; http.method; content:\"POST\"; http.request_body; pcre:\"/a$/\";", "a$", true),
            new Case("flow:to_server; http.method; content:\"POST\"; http.request_body; pcre:\"/b$/\";", "b$", true),
            new Case("flow:to_server; http.method; content:\"POST\"; http.request_body; pcre:\"/^x/\";", "^x", true),
            new Case("flow:to_server; http.method; content:\"POST\"; http.request_body; pcre:\"/^a+x/\";", "^a+x", true),
            new Case("flow:to_server; pcre:\"/^x/mP\";", "(?m)^x", true),
            new Case("flow:to_server; pcre:\"/^a/P\";", "^a", true),
            new Case("flow:to_server; http.method; content:\"POST\"; http.request_body; pcre:\"/a$/m\";", "(?m)a$", true),
            // the response body: a content trigger, then the pcre
            new Case("flow:to_client; file_data; pcre:\"/a$/\";", "a$", false),
            new Case("flow:to_client; file_data; content:\"xyz\"; pcre:\"/a$/\";", "a$", false),
            new Case("flow:to_client; file_data; content:\"xyz\"; pcre:\"/^x/\";", "^x", false),
            new Case("flow:to_client; file_data; content:\"xyz\"; pcre:\"/^a+x/\";", "^a+x", false),
            new Case("flow:to_client; file_data; content:\"xyz\"; pcre:\"/a$/m\";", "(?m)a$", false),
            new Case("flow:to_client; file_data; content:\"xyz\"; pcre:\"/^x/m\";", "(?m)^x", false),
            new Case("flow:to_client; file_data; content:\"xyz\"; pcre:\"/a\\r$/m\";", "(?m)a\r$", false),
            new Case("flow:to_client; file_data; content:\"xyz\"; pcre:\"/z\\b/\";", "z\\b", false),
            // the raw response stream (no buffer): its $ is where the response body ends
            new Case("flow:to_client; pcre:\"/a$/\";", "a$", false),
            new Case("flow:to_client; content:\"xyz\"; pcre:\"/a\\n?$/\";", "a\n?$", false));

    static final String A = "a".repeat(1500);
    static final String XYZ = "xyz".repeat(500);
    static final List<String> BODIES = List.of(
            A + XYZ + "b", // the probe's body: ends in b, its first write ends in a
            A + XYZ + "a",
            A + XYZ + "a\n", // $ before a final newline
            A + "\n" + XYZ + "b", // a line break inside: /m anchors there
            A + "\r\n" + XYZ + "b\n\n",
            "xyz" + A + "xyz z");

    IpsEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void anchorsAreTheWholeBodysWhateverTheSplit(@TempDir Path tmp) throws Exception {
        load(tmp, IpsSettings.DEFAULTS);
        Random random = new Random(13);
        int checked = 0;
        for (String body : BODIES) {
            byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
            boolean[] expected = expected(body);
            for (int[] split : splits(bytes.length, random)) {
                boolean[] actual = fired(bytes, split);
                for (int r = 0; r < CASES.size(); r++) {
                    assertThat(actual[r]).as("rule %s on body %s split at %s", CASES.get(r).rule(), shortly(body),
                            java.util.Arrays.toString(split)).isEqualTo(expected[r]);
                    checked += expected[r] ? 1 : 0;
                }
            }
        }
        assertThat(checked).isGreaterThan(100); // both answers occur
    }

    /**
     * With a window smaller than the body, the body's start leaves it: then {@code ^} matches
     * nowhere (the first byte held is not the body's first), wherever the window happens to begin.
     */
    @Test
    void aCaretNeverMatchesWhereTheWindowBeginsMidBody(@TempDir Path tmp) throws Exception {
        load(tmp, new IpsSettings(IpsSettings.DEFAULTS.blockLevel(), 1024, IpsSettings.DEFAULTS.maxBodyBytes()));
        Random random = new Random(17);
        String body = "b".repeat(100) + "xyz".repeat(2000);
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        List<int[]> splits = splits(bytes.length, random);
        for (int step = 1; step <= 9; step += 2) {
            splits.add(everyN(bytes.length, step * 100 + 1));
        }
        for (int[] split : splits) {
            boolean[] actual = fired(bytes, split);
            for (int r = 0; r < CASES.size(); r++) {
                if (CASES.get(r).regex().contains("^x")) {
                    assertThat(actual[r]).as("rule %s split at %s", CASES.get(r).rule(), java.util.Arrays.toString(split)).isFalse();
                }
            }
        }
    }

    @Test
    void aBodyWithoutItsEndDecidesNothingThatNeedsTheEnd(@TempDir Path tmp) throws Exception {
        load(tmp, IpsSettings.DEFAULTS);
        List<Integer> endingInA = new ArrayList<>();
        for (int r = 0; r < CASES.size(); r++) {
            if (CASES.get(r).regex().equals("a$")) {
                endingInA.add(r);
            }
        }
        assertThat(endingInA).hasSize(5);
        try (Inspection i = engine.inspect(IpsEngineTest.outbound("POST", "http://files.example/up").build())) {
            i.body(Direction.REQUEST, IpsEngineTest.ascii(A));
            i.body(Direction.RESPONSE, IpsEngineTest.ascii("xyz" + A));
            for (int r : endingInA) {
                assertThat(((IpsInspection) i).hasFired(r)).as("no end yet: %s", CASES.get(r).rule()).isFalse();
            }
            i.endOfBody(Direction.REQUEST);
            i.endOfBody(Direction.RESPONSE);
            for (int r : endingInA) {
                assertThat(((IpsInspection) i).hasFired(r)).as("ended in a: %s", CASES.get(r).rule()).isTrue();
            }
        }
    }

    private void load(Path tmp, IpsSettings settings) throws Exception {
        StringBuilder rules = new StringBuilder();
        for (int r = 0; r < CASES.size(); r++) {
            rules.append("drop http any any -> any any (msg:\"case ").append(r).append("\"; ").append(CASES.get(r).rule())
                    .append(" sid:").append(100 + r).append("; rev:1;)\n");
        }
        Path file = tmp.resolve("anchors.rules");
        Files.writeString(file, rules.toString());
        engine = new IpsEngine("1.0.0", settings);
        engine.reload(IpsEngineTest.source(file), settings).get(30, TimeUnit.SECONDS);
        assertThat(engine.report().loaded()).as(engine.report().toString()).isEqualTo(CASES.size());
    }

    private static boolean[] expected(String body) {
        boolean[] out = new boolean[CASES.size()];
        for (int r = 0; r < out.length; r++) {
            Case c = CASES.get(r);
            boolean trigger = !c.rule().contains("content:\"xyz\"") || body.contains("xyz");
            out[r] = trigger && Pattern.compile(c.regex(), Pattern.UNIX_LINES).matcher(body).find();
        }
        return out;
    }

    /** The body sent as the same chunks both ways (request and response), then both ends; which rules fired. */
    private boolean[] fired(byte[] body, int[] split) throws Exception {
        try (Inspection i = engine.inspect(IpsEngineTest.outbound("POST", "http://files.example/up").build())) {
            int at = 0;
            for (int cut : split) {
                i.body(Direction.REQUEST, ByteBuffer.wrap(body, at, cut - at));
                i.body(Direction.RESPONSE, ByteBuffer.wrap(body, at, cut - at));
                at = cut;
            }
            i.endOfBody(Direction.REQUEST);
            i.endOfBody(Direction.RESPONSE);
            boolean[] out = new boolean[CASES.size()];
            for (int r = 0; r < out.length; r++) {
                out[r] = ((IpsInspection) i).hasFired(r);
            }
            return out;
        }
    }

    /** Chunk ends (the last is the body's length): whole, at the a/xyz boundary and around it, before the end, and random. */
    private static List<int[]> splits(int length, Random random) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[] {length});
        for (int cut : new int[] {1, 1499, 1500, 1501, 1502, length - 2, length - 1}) {
            out.add(new int[] {cut, length});
        }
        for (int k = 0; k < 6; k++) {
            TreeSet<Integer> cuts = new TreeSet<>();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                cuts.add(1 + random.nextInt(length - 1));
            }
            cuts.add(length);
            out.add(cuts.stream().mapToInt(Integer::intValue).toArray());
        }
        out.add(everyN(length, 7));
        return out;
    }

    private static int[] everyN(int length, int n) {
        int[] cuts = new int[(length + n - 1) / n];
        for (int k = 0; k < cuts.length; k++) {
            cuts[k] = Math.min(length, (k + 1) * n);
        }
        return cuts;
    }

    private static String shortly(String body) {
        return body.length() + " bytes ending " + body.substring(body.length() - 3).replace("\n", "\\n").replace("\r", "\\r");
    }
}
