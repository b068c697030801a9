package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.ips.rules.Buffer;

/**
 * The head scans kept per pooled state: a repeated value gives exactly the matches a scan of it
 * gives, in the same order; a changed value, a value seen only in part (the listener stopped the
 * scan) and a buffer whose values do not repeat are scanned again. A read-only view (the intake's
 * head as sent) searched in Java gives the matches of its bytes.
 */
class HeadScannersTest {

    @TempDir
    Path tmp;
    LoadedRules loaded;
    IpsEngine engine;
    CompiledRules compiled;

    @AfterEach
    void close() {
        if (loaded != null) {
            loaded.close();
        }
    }

    private void load(String... rules) throws Exception {
        loaded = LoadedRules.of(tmp, rules);
        engine = loaded.engine();
        compiled = loaded.compiled();
    }

    private String sids(String method, String url) throws Exception {
        InspectionRequest request = InspectionRequest.http(method, url)
                .connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 80)).build();
        try (Inspection i = engine.inspect(request)) {
            i.endOfBody(Direction.REQUEST);
            return String.join(",", new TreeSet<>(i.verdict().findings().stream().map(f -> f.ruleId()).toList()));
        }
    }

    @Test
    void exchangesThatRepeatOrChangeAHeadValueFireAsEachAlone() throws Exception {
        load("alert http any any -> any any (msg:\"GET\"; http.method; content:\"GET\"; flowbits:set,got; flowbits:noalert; sid:1;)",
                "alert http any any -> any any (msg:\"host after GET\"; flowbits:isset,got; http.host; content:\"bad.example\"; sid:2;)",
                "alert http any any -> any any (msg:\"POST\"; http.method; content:\"POST\"; sid:3;)",
                "alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/x\"; sid:4;)");
        // One thread, one pooled state: each exchange sees what the one before it scanned.
        for (int round = 0; round < 3; round++) {
            assertThat(sids("GET", "http://bad.example/x")).isEqualTo("sid:2,sid:4");
            assertThat(sids("GET", "http://bad.example/x")).isEqualTo("sid:2,sid:4");
            assertThat(sids("GET", "http://good.example/y")).isEmpty();
            assertThat(sids("POST", "http://bad.example/")).isEqualTo("sid:3");
            assertThat(sids("POST", "http://bad.example/")).isEqualTo("sid:3");
            assertThat(sids("GET", "http://bad.example/")).isEqualTo("sid:2");
            assertThat(sids("GET", "http://BAD.example:80/x")).isEqualTo("sid:2,sid:4"); // http.host normalised
        }
    }

    private record Hit(int id, long from, long to) {
    }

    @Test
    void aKeptValueGivesTheScansMatchesInOrderAndAStoppedScanIsNotKept() throws Exception {
        List<String> rules = new ArrayList<>(List.of(
                "alert http any any -> any any (msg:\"GE\"; http.method; content:\"GE\"; sid:1;)",
                "alert http any any -> any any (msg:\"ET\"; http.method; content:\"ET\"; sid:2;)",
                "alert http any any -> any any (msg:\"T\"; http.method; content:\"T\"; sid:3;)",
                "alert http any any -> any any (msg:\"uri\"; http.uri; content:\"ab\"; sid:4;)"));
        for (int i = 0; i < FewLiterals.MAX; i++) { // enough for a Hyperscan database on http.uri: the method's are searched in Java
            rules.add("alert http any any -> any any (msg:\"u" + i + "\"; http.uri; content:\"zq" + i + "q\"; sid:" + (100 + i) + ";)");
        }
        load(rules.toArray(String[]::new));
        assertThat(compiled.header(Buffer.HTTP_URI).database()).isNotNull();
        assertThat(compiled.header(Buffer.HTTP_METHOD).database()).isNull();
        List<Hit> fresh = new ArrayList<>();
        byte[] get = "xxGETyy".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer value = ByteBuffer.wrap(get, 2, 3).slice(); // an array offset, as a view's bytes may have
        compiled.header(Buffer.HTTP_METHOD).scan(value, (id, from, to) -> fresh.add(new Hit(id, from, to)));
        assertThat(fresh).hasSize(3);
        HeadScanners heads = new HeadScanners();
        try {
            List<Hit> first = new ArrayList<>();
            heads.scan(compiled, Buffer.HTTP_METHOD, value, (id, from, to) -> first.add(new Hit(id, from, to)) && first.size() < 2);
            assertThat(first).containsExactlyElementsOf(fresh.subList(0, 2));
            for (int i = 0; i < 3; i++) { // scanned whole the first time, then kept
                List<Hit> again = new ArrayList<>();
                heads.scan(compiled, Buffer.HTTP_METHOD, ByteBuffer.wrap("GET".getBytes(StandardCharsets.ISO_8859_1)),
                        (id, from, to) -> again.add(new Hit(id, from, to)));
                assertThat(again).containsExactlyElementsOf(fresh);
            }
            List<Hit> stopped = new ArrayList<>();
            heads.scan(compiled, Buffer.HTTP_METHOD, value, (id, from, to) -> stopped.add(new Hit(id, from, to)) && stopped.isEmpty());
            assertThat(stopped).containsExactlyElementsOf(fresh.subList(0, 1)); // a kept value stops where the scan would
            List<Hit> other = new ArrayList<>();
            heads.scan(compiled, Buffer.HTTP_METHOD, ByteBuffer.wrap("PUT".getBytes(StandardCharsets.ISO_8859_1)),
                    (id, from, to) -> other.add(new Hit(id, from, to)));
            assertThat(other).extracting(Hit::id).containsExactly(compiledIndex(3L));
            List<Hit> uri = new ArrayList<>();
            heads.scan(compiled, Buffer.HTTP_URI, ByteBuffer.wrap("/ab".getBytes(StandardCharsets.ISO_8859_1)),
                    (id, from, to) -> uri.add(new Hit(id, from, to)));
            assertThat(uri).extracting(Hit::id).containsExactly(compiledIndex(4L));
            // Copied into a direct buffer grown to fit, or past 64 KiB scanned as handed over: found at its place either way.
            for (int length : new int[] {2_000, 100_000, 3}) {
                byte[] long1 = new byte[length];
                java.util.Arrays.fill(long1, (byte) '/');
                long1[length - 2] = 'a';
                long1[length - 1] = 'b';
                List<Hit> far = new ArrayList<>();
                heads.scan(compiled, Buffer.HTTP_URI, ByteBuffer.wrap(long1), (id, from, to) -> far.add(new Hit(id, from, to)));
                assertThat(far).containsExactly(new Hit(compiledIndex(4L), 0, length));
            }
        } finally {
            heads.close();
        }
    }

    @Test
    void aReadOnlyHeadAsSentIsSearchedInJavaWithTheMatchesOfItsBytes() throws Exception {
        // contents like ET's on http.header.raw, one starting with spaces: searched by skipping, which needs an array
        load("alert http any any -> any any (msg:\"spaces\"; http.header.raw; content:\"   /SERVER IP:\"; sid:1;)",
                "alert http any any -> any any (msg:\"agent\"; http.header.raw; content:\"Agent: \"; sid:2;)");
        assertThat(compiled.header(Buffer.HTTP_RAW_HEADER).database()).isNull();
        HeadScanners heads = new HeadScanners();
        try {
            for (String head : List.of("User-Agent: x\r\nX-Info:    /SERVER IP: 1\r\n\r\n", "Host: a\r\n\r\n",
                    "X-A: " + " ".repeat(700) + "/SERVER IP:\r\nUser-Agent: y\r\n\r\n", "X-Media: " + "a".repeat(20_000) + "\r\n\r\n")) {
                byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
                List<Hit> expected = new ArrayList<>();
                compiled.header(Buffer.HTTP_RAW_HEADER).scan(ByteBuffer.wrap(bytes), (id, from, to) -> expected.add(new Hit(id, from, to)));
                // the intake's head: read-only, the buffer a stretch of a larger one, as IpsExchange slices it
                byte[] wider = ("GET / HTTP/1.1\r\n" + head).getBytes(StandardCharsets.ISO_8859_1);
                ByteBuffer sent = ByteBuffer.wrap(wider).asReadOnlyBuffer();
                for (int i = 0; i < 2; i++) { // the state's copy reused
                    List<Hit> got = new ArrayList<>();
                    heads.scan(compiled, Buffer.HTTP_RAW_HEADER, IpsExchange.slice(sent, 16, wider.length), (id, from, to) -> got.add(new Hit(id, from, to)));
                    assertThat(got).isEqualTo(expected);
                }
            }
        } finally {
            heads.close();
        }
    }

    @Test
    void viewsOfOneArrayAreFoundAtTheirPlacesAndAnArrayReusedByTheNextInspectionIsReadAgain() throws Exception {
        List<String> rules = new ArrayList<>(List.of(
                "alert http any any -> any any (msg:\"a\"; http.uri; content:\"/a\"; sid:1;)",
                "alert http any any -> any any (msg:\"b\"; http.uri; content:\"/b\"; sid:2;)"));
        for (int i = 0; i < FewLiterals.MAX; i++) { // a Hyperscan database on http.uri, whose bytes are staged
            rules.add("alert http any any -> any any (msg:\"u" + i + "\"; http.uri; content:\"zq" + i + "q\"; sid:" + (100 + i) + ";)");
        }
        load(rules.toArray(String[]::new));
        assertThat(compiled.header(Buffer.HTTP_URI).database()).isNotNull();
        // One array, as the request's head buffers are: two views of it scanned one after the other.
        byte[] head = "GET /a HTTP/1.1 /b".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer data = ByteBuffer.wrap(head);
        HeadScanners heads = new HeadScanners();
        try {
            assertThat(hits(heads, new ByteView(data, 4, 2, 0))).containsExactly(new Hit(compiledIndex(1L), 0, 2));
            assertThat(hits(heads, new ByteView(data, 16, 2, 0))).containsExactly(new Hit(compiledIndex(2L), 0, 2));
            assertThat(hits(heads, new ByteView(data, 0, head.length, 0))).extracting(Hit::id)
                    .containsExactly(compiledIndex(1L), compiledIndex(2L));
            // The inspection ends; an intake fills the same array with the next request's head.
            heads.forget();
            System.arraycopy("/b".getBytes(StandardCharsets.ISO_8859_1), 0, head, 4, 2);
            assertThat(hits(heads, new ByteView(data, 4, 2, 0))).containsExactly(new Hit(compiledIndex(2L), 0, 2));
        } finally {
            heads.close();
        }
    }

    /**
     * The trace the benchmark's exchange baseline is checked against: every scan through a Hyperscan database
     * (a head buffer's block scan, or its matches handed over from the same value's last scan; the raw head
     * through the request stream), and none of a buffer searched in Java ({@link FewLiterals}), kept or not.
     */
    @Test
    void theTraceNamesTheScansThroughADatabaseAndNoBufferSearchedInJava() throws Exception {
        load("alert http any any -> any any (msg:\"GET\"; http.method; content:\"GET\"; sid:1;)",
                "alert http any any -> any any (msg:\"host\"; http.host; pcre:\"/^bad\\./\"; sid:2;)",
                "alert http any any -> any any (msg:\"uri\"; http.uri; pcre:\"/\\/x$/\"; sid:3;)",
                "alert http any any -> any any (msg:\"raw\"; flow:to_server; content:\"HTTP/1.1\"; sid:4;)");
        assertThat(compiled.header(Buffer.HTTP_METHOD).database()).isNull();
        List<String> seen = new ArrayList<>();
        HeadScanners.trace = (database, bytes, kept) -> {
            byte[] b = new byte[bytes.remaining()];
            bytes.duplicate().get(b);
            seen.add(database + (kept ? " kept " : " ") + new String(b, StandardCharsets.ISO_8859_1).strip());
        };
        try {
            for (int round = 0; round < 2; round++) {
                seen.clear();
                assertThat(sids("GET", "http://bad.example/x")).isEqualTo("sid:1,sid:2,sid:3,sid:4");
                assertThat(seen).containsExactly("HTTP_URI /x", round == 0 ? "HTTP_HOST bad.example" : "HTTP_HOST kept bad.example",
                        "REQUEST GET /x HTTP/1.1");
            }
        } finally {
            HeadScanners.trace = null;
        }
    }

    private List<Hit> hits(HeadScanners heads, ByteView view) {
        List<Hit> out = new ArrayList<>();
        heads.scan(compiled, Buffer.HTTP_URI, view, (id, from, to) -> out.add(new Hit(id, from, to)));
        return out;
    }

    private int compiledIndex(long sid) {
        for (CompiledRule r : compiled.rules) {
            if (r != null && r.rule.sid() == sid) {
                return r.index;
            }
        }
        throw new AssertionError("no rule " + sid);
    }
}
