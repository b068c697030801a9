package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;

/** The IPS engine on the project's own rule set, with real Hyperscan databases. */
class IpsEngineTest {

    static final Path OMAMORI_RULES = Path.of("rules/omamori.rules");
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    IpsEngine engine;

    @BeforeEach
    void load() {
        engine = new IpsEngine("1.0.0", IpsSettings.DEFAULTS);
        assertThat(engine.loadNow(source(OMAMORI_RULES), IpsSettings.DEFAULTS)).isTrue();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    static RuleSetSource source(Path... paths) {
        return RuleSets.source(List.of(paths), Variables.defaults(), Classtypes.standard(), n -> { });
    }

    /** A new rules file in {@code dir} holding {@code rules}, one per line. */
    static Path rulesFile(Path dir, String... rules) throws Exception {
        Path file = Files.createTempFile(dir, "t", ".rules");
        Files.writeString(file, String.join("\n", rules) + "\n");
        return file;
    }

    /** An engine with {@code file}'s rules loaded, none of them skipped; the caller closes it. */
    static IpsEngine loaded(Path file) {
        IpsEngine engine = new IpsEngine("1.0.0", IpsSettings.DEFAULTS);
        assertThat(engine.loadNow(source(file), IpsSettings.DEFAULTS)).isTrue();
        assertThat(engine.report().skipped()).as("skipped: %s", engine.report().skippedByKeyword()).isZero();
        return engine;
    }

    static Connection connection(String client, int clientPort, String server, int serverPort) throws Exception {
        return new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName(client), clientPort, InetAddress.getByName(server),
                serverPort, Optional.empty());
    }

    /** An attacker on the internet reaching a web server in the office. */
    static InspectionRequest.Builder inbound(String method, String url) throws Exception {
        return InspectionRequest.http(method, url).connection(connection("203.0.113.7", 51515, "192.168.1.20", 80));
    }

    /** A PC in the office browsing the internet. */
    static InspectionRequest.Builder outbound(String method, String url) throws Exception {
        return InspectionRequest.http(method, url).connection(connection("192.168.1.10", 50123, "198.51.100.5", 80));
    }

    Verdict verdict(InspectionRequest request) {
        try (Inspection i = engine.inspect(request)) {
            return i.verdict();
        }
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theProjectRuleSetLoadsWithNothingSkippedOrFailed() {
        RuleSetReport report = engine.report();
        assertThat(report.errors()).isEmpty();
        assertThat(report.skippedByKeyword()).isEmpty();
        assertThat(report.loaded()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void sqlInjectionInTheUriIsBlockedAsAnExploitAttempt() throws Exception {
        Verdict v = verdict(inbound("GET", "http://shop.example.jp/item.php?id=1%20UNION%20SELECT%20password%20FROM%20users").build());

        assertThat(v.action()).isEqualTo(Action.BLOCK);
        assertThat(v.finding().orElseThrow().ruleId()).isEqualTo("sid:9000001");
        assertThat(v.finding().orElseThrow().evidence()).isEqualTo(Evidence.EXPLOIT_ATTEMPT);
        assertThat(v.note()).contains("omamori.rules:");
    }

    @Test
    void httpUriIsPercentDecodedAndHttpUriRawIsAsSent() throws Exception {
        // <script, percent-encoded in the URL, is seen by the decoded http.uri rule.
        Verdict xss = verdict(inbound("GET", "http://shop.example.jp/search?q=%3Cscript%3Ealert(1)%3C/script%3E").build());
        assertThat(xss.finding().orElseThrow().ruleId()).isEqualTo("sid:9000005");
        // The encoded traversal is seen as written by the http.uri.raw rule.
        Verdict traversal = verdict(inbound("GET", "http://shop.example.jp/files/%2e%2e%2fetc/passwd").build());
        assertThat(traversal.finding().orElseThrow().ruleId()).isIn("sid:9000008");
        assertThat(HttpBuffers.percentDecoded("a%41%zz%4".getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo("aA%zz%4".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void anOrdinaryRequestIsClean() throws Exception {
        Verdict v = verdict(inbound("GET", "http://shop.example.jp/item.php?id=42").header("User-Agent", "Mozilla/5.0").build());
        assertThat(v).isEqualTo(Verdict.clean());
    }

    @Test
    void theAddressHeaderOfARuleCounts() throws Exception {
        // The same URI from inside the office to the internet is not an attack on our servers.
        assertThat(verdict(outbound("GET", "http://other.example/?q=union select").build()).finding()).isEmpty();
    }

    @Test
    void eicarSplitAcrossChunksOfADownloadIsFound() throws Exception {
        try (Inspection i = engine.inspect(outbound("GET", "http://files.example/eicar.com").build())) {
            i.body(Direction.RESPONSE, ascii("header junk " + EICAR.substring(0, 20)));
            assertThat(i.verdict().finding()).isEmpty();
            i.body(Direction.RESPONSE, ascii(EICAR.substring(20, 40)));
            i.body(Direction.RESPONSE, ascii(EICAR.substring(40) + " trailer"));
            assertThat(i.verdict().finding().orElseThrow().ruleId()).isIn("sid:9000018", "sid:9000019");
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding().orElseThrow().evidence()).isEqualTo(Evidence.MALWARE);
        }
    }

    @Test
    void responseBodiesAreInspectedAsTheBrowserSeesThemChunkedAndGzipped() throws Exception {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(gz)) {
            g.write(("<html>" + EICAR + "</html>").getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] zipped = gz.toByteArray();
        assertThat(new String(zipped, StandardCharsets.ISO_8859_1)).doesNotContain("EICAR");
        // gzip, then chunked framing that cuts through it every 7 bytes
        java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
        for (int at = 0; at < zipped.length; at += 7) {
            int n = Math.min(7, zipped.length - at);
            framed.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            framed.write(zipped, at, n);
            framed.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        framed.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (Inspection i = engine.inspect(outbound("GET", "http://files.example/page").build())) {
            i.headers(Direction.RESPONSE, List.of(new org.omamori.api.engine.Header("Content-Encoding", "gzip"),
                    new org.omamori.api.engine.Header("Transfer-Encoding", "chunked")));
            byte[] wire = framed.toByteArray();
            for (int at = 0; at < wire.length; at += 10) {
                i.body(Direction.RESPONSE, ByteBuffer.wrap(wire, at, Math.min(10, wire.length - at)));
            }
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding().orElseThrow().ruleId()).isIn("sid:9000018", "sid:9000019");
        }
    }

    @Test
    void aBodyThatCannotBeDecodedIsInspectedAsSentAndTheVerdictSaysSo() throws Exception {
        try (Inspection i = engine.inspect(outbound("GET", "http://files.example/broken").build())) {
            i.headers(Direction.RESPONSE, List.of(new org.omamori.api.engine.Header("Content-Encoding", "gzip")));
            i.body(Direction.RESPONSE, ascii("not gzip at all " + EICAR));
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding()).as("the raw bytes still carry EICAR").isPresent();
            assertThat(i.verdict().note()).contains("could not be decoded").contains("inspected as sent");
        }
    }

    @Test
    void aDnsQueryForATestC2NameIsInfectionEvidence() throws Exception {
        InspectionRequest query = InspectionRequest.dns("BEACON.c2.test").connection(connection("192.168.1.10", 53000, "192.168.1.1", 53)).build();
        Verdict v = verdict(query);
        assertThat(v.finding().orElseThrow().ruleId()).isEqualTo("sid:9000020");
        assertThat(v.finding().orElseThrow().evidence()).isEqualTo(Evidence.INFECTION);
        assertThat(v.action()).isEqualTo(Action.BLOCK);
    }

    @Test
    void aTlsConnectionToATestC2NameIsBlockedBySni() throws Exception {
        InspectionRequest hello = InspectionRequest.tls("cc.botnet.invalid").connection(connection("192.168.1.10", 50200, "198.51.100.9", 443)).build();
        assertThat(verdict(hello).finding().orElseThrow().ruleId()).isEqualTo("sid:9000023");
    }

    @Test
    void aC2BeaconAndItsAnswerAreBothFound() throws Exception {
        try (Inspection i = engine.inspect(outbound("POST", "http://198.51.100.5/c2/beacon").build())) {
            assertThat(i.verdict().finding().orElseThrow().ruleId()).isEqualTo("sid:9000012");
            assertThat(i.verdict().finding().orElseThrow().evidence()).isEqualTo(Evidence.INFECTION);
        }
    }

    @Test
    void flowbitsSetOnTheRequestAreSeenByTheResponseRule(@TempDir Path tmp) throws Exception {
        useRules(tmp, "flowbits.rules", String.join("\n",
                "alert http $HOME_NET any -> any any (msg:\"beacon\"; flow:to_server; http.uri; content:\"/beacon\"; "
                        + "flowbits:set,seen.beacon; flowbits:noalert; sid:100; rev:1;)",
                "alert http any any -> $HOME_NET any (msg:\"task after beacon\"; flow:to_client; flowbits:isset,seen.beacon; "
                        + "http.response_body; content:\"task\"; classtype:command-and-control; sid:101; rev:1;)", ""));

        try (Inspection i = engine.inspect(outbound("POST", "http://198.51.100.5/beacon").build())) {
            assertThat(i.verdict().finding()).as("noalert: the setting rule is silent").isEmpty();
            i.body(Direction.RESPONSE, ascii("{\"task\":\"collect\"}"));
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding().orElseThrow().ruleId()).isEqualTo("sid:101");
        }
        try (Inspection i = engine.inspect(outbound("GET", "http://198.51.100.5/news").build())) {
            i.body(Direction.RESPONSE, ascii("{\"task\":\"collect\"}"));
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding()).as("no beacon, no flowbit, no alert").isEmpty();
        }
    }

    @Test
    void httpHostIsLowerCaseWithoutPortAndHttpHostRawIsAsSent(@TempDir Path tmp) throws Exception {
        useRules(tmp, "host.rules", String.join("\n",
                "alert http any any -> any any (msg:\"host\"; http.host; content:\"www.example.com\"; endswith; sid:201;)",
                "alert http any any -> any any (msg:\"host, upper case\"; http.host; content:\"ExAmPlE\"; sid:202;)",
                "alert http any any -> any any (msg:\"raw host\"; http.host.raw; content:\"ExAmPlE.cOM:8080\"; sid:203;)",
                "alert http any any -> any any (msg:\"raw host, pcre\"; content:\"www\"; http_raw_host; pcre:\"/cOM:8080$/Z\"; sid:204;)", ""));
        try (Inspection i = engine.inspect(outbound("GET", "http://www.example.com:8080/").header("Host", "www.ExAmPlE.cOM.:8080").build())) {
            assertThat(i.verdict().finding()).isPresent();
            assertThat(fired(i)).as("normalised: trailing dot and port gone; raw: as sent").containsExactly("sid:201");
        }
        try (Inspection i = engine.inspect(outbound("GET", "http://www.example.com:8080/").header("Host", "www.ExAmPlE.cOM:8080").build())) {
            assertThat(fired(i)).containsExactlyInAnyOrder("sid:201", "sid:203", "sid:204");
        }
        assertThat(HttpBuffers.normalizedHost("WWW.Example.COM:443")).isEqualTo("www.example.com");
        assertThat(HttpBuffers.normalizedHost("[2001:DB8::1]:8080")).isEqualTo("[2001:db8::1]");
        assertThat(HttpBuffers.normalizedHost("host.example..")).isEqualTo("host.example");
        assertThat(HttpBuffers.normalizedHost("A.example, B.example:80")).as("several Host values: only the case").isEqualTo("a.example, b.example:80");
        assertThat(HttpBuffers.normalizedHost("ÄBC.example")).as("ASCII letters only, as Suricata").isEqualTo("Äbc.example");
    }

    private static List<String> fired(Inspection i) {
        List<String> ids = new java.util.ArrayList<>();
        i.verdict().finding().ifPresent(f -> ids.add(f.ruleId()));
        for (var further : i.verdict().further()) {
            further.finding().ifPresent(f -> ids.add(f.ruleId()));
        }
        return ids;
    }

    @Test
    void aWebShellUploadInTheRequestBodyIsFound() throws Exception {
        try (Inspection i = engine.inspect(inbound("POST", "http://shop.example.jp/upload.php").build())) {
            i.body(Direction.REQUEST, ascii("------x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n<?php "));
            i.body(Direction.REQUEST, ascii("eval($_POST['c']); ?>\r\n------x--"));
            i.endOfBody(Direction.REQUEST);
            assertThat(i.verdict().finding().orElseThrow().ruleId()).isEqualTo("sid:9000009");
        }
    }

    @Test
    void aBodyBeyondTheInspectionLimitIsInspectedUpToItAndTheVerdictSaysSo() throws Exception {
        IpsSettings small = new IpsSettings(IpsSettings.DEFAULTS.blockLevel(), 4096, 10_000);
        engine.loadNow(source(OMAMORI_RULES), small);
        try (Inspection i = engine.inspect(outbound("GET", "http://files.example/big.bin").build())) {
            for (int k = 0; k < 5; k++) {
                i.body(Direction.RESPONSE, ByteBuffer.allocate(4000));
            }
            i.body(Direction.RESPONSE, ascii(EICAR)); // past the limit: not inspected
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding()).isEmpty();
            assertThat(i.verdict().note()).contains("inspected the first 10000 bytes of the response body only");
        }
    }

    @Test
    void aMatchEarlyInAChunkLargerThanTheWindowIsStillConfirmed(@TempDir Path tmp) throws Exception {
        useRules(tmp, "pair.rules", "drop http any any -> any any (msg:\"pair\"; flow:to_client; http.response_body; "
                + "content:\"FIRSTPART\"; content:\"SECONDPART\"; distance:0; within:50; sid:77; rev:1;)\n");
        byte[] body = new byte[1 << 20];
        java.util.Arrays.fill(body, (byte) 'x');
        byte[] pair = "FIRSTPART--SECONDPART".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(pair, 0, body, 100, pair.length);
        for (int chunk : new int[] {body.length, 16 * 1024, 1000}) {
            try (Inspection i = engine.inspect(outbound("GET", "http://files.example/big").build())) {
                for (int at = 0; at < body.length; at += chunk) {
                    i.body(Direction.RESPONSE, ByteBuffer.wrap(body, at, Math.min(chunk, body.length - at)));
                }
                i.endOfBody(Direction.RESPONSE);
                assertThat(i.verdict().finding().orElseThrow().ruleId()).as("chunks of " + chunk).isEqualTo("sid:77");
            }
        }
    }

    @Test
    void aTriggerWithoutItsPartnerDoesNotFireAnywhere(@TempDir Path tmp) throws Exception {
        useRules(tmp, "pair.rules", "drop http any any -> any any (msg:\"pair\"; flow:to_client; http.response_body; "
                + "content:\"FIRSTPART\"; content:\"SECONDPART\"; distance:0; within:50; sid:77; rev:1;)\n");
        // The partner comes 60 bytes after the trigger: outside "within:50".
        String body = "x".repeat(5000) + "FIRSTPART" + "y".repeat(60) + "SECONDPART" + "z".repeat(5000);
        try (Inspection i = engine.inspect(outbound("GET", "http://files.example/near").build())) {
            i.body(Direction.RESPONSE, ascii(body));
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding()).isEmpty();
        }
    }

    /**
     * A pcre that begins with a literal is confirmed at the places the stream scan saw the literal
     * (Sightings), or by searching where that record is incomplete (more occurrences than it keeps):
     * either way it must fire exactly where java.util.regex says the rule matches, in request
     * bodies (which start after the request head in the stream) and response bodies, caseless or
     * not, however the body is chunked.
     */
    @Test
    void aPcreAfterItsTriggerFiresExactlyWhereTheRegexSaysWhateverTheChunks(@TempDir Path tmp) throws Exception {
        useRules(tmp, "pcre.rules", "drop http any any -> any any (msg:\"down\"; flow:to_client; http.response_body; "
                + "content:\"TRIGGER\"; pcre:\"/name=[0-9a-f]{4,16}&/R\"; sid:81; rev:1;)\n"
                + "drop http any any -> any any (msg:\"up\"; flow:to_server; http.request_body; "
                + "content:\"UPLOAD\"; pcre:\"/Key=[a-z]{3}!/iR\"; sid:82; rev:1;)\n");
        java.util.regex.Pattern down = java.util.regex.Pattern.compile("TRIGGER(?s:.*?)name=[0-9a-f]{4,16}&");
        java.util.regex.Pattern up = java.util.regex.Pattern.compile("UPLOAD(?s:.*?)(?i:Key=[a-z]{3}!)");
        java.util.Random rnd = new java.util.Random(11);
        String[] pieces = {"name=", "name=12", "name=abcd", "NAME=abcd&", "Key=", "KEY=abc!", "key=ab!",
                "kEy=xyz!", "TRIGGER", "UPLOAD", "x", "yy", "&", "!", " "};
        int fired = 0;
        for (int t = 0; t < 120; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = rnd.nextInt(300); k > 0; k--) {
                b.append(pieces[rnd.nextInt(pieces.length)]);
            }
            byte[] body = b.toString().getBytes(StandardCharsets.ISO_8859_1);
            boolean expectDown = down.matcher(b).find();
            boolean expectUp = up.matcher(b).find();
            fired += expectDown ? 1 : 0;
            for (int chunk : new int[] {body.length + 1, 1000, 7}) {
                try (Inspection i = engine.inspect(outbound("POST", "http://files.example/x").build())) {
                    for (int at = 0; at < body.length; at += chunk) {
                        ByteBuffer piece = ByteBuffer.wrap(body, at, Math.min(chunk, body.length - at));
                        i.body(Direction.REQUEST, piece.duplicate());
                        i.body(Direction.RESPONSE, piece);
                    }
                    i.endOfBody(Direction.REQUEST);
                    i.endOfBody(Direction.RESPONSE);
                    RuleIndexes f = i instanceof IpsInspection ips ? firedOf(ips) : new RuleIndexes();
                    assertThat(f.contains(0)).as("sid 81, chunks of %d, body %s", chunk, b).isEqualTo(expectDown);
                    assertThat(f.contains(1)).as("sid 82, chunks of %d, body %s", chunk, b).isEqualTo(expectUp);
                }
            }
        }
        assertThat(fired).isBetween(10, 110); // both outcomes, many with more prefixes than Sightings keeps
    }

    private static RuleIndexes firedOf(IpsInspection inspection) throws Exception {
        java.lang.reflect.Field f = IpsInspection.class.getDeclaredField("fired");
        f.setAccessible(true);
        return java.util.Objects.requireNonNullElseGet((RuleIndexes) f.get(inspection), RuleIndexes::new); // null until one fires
    }

    @Test
    void aPayloadOfAnySizeAndContentNeverCrashesTheEngine() throws Exception {
        java.util.Random random = new java.util.Random(7);
        try (Inspection i = engine.inspect(inbound("POST", "http://shop.example.jp/x").build())) {
            byte[] chunk = new byte[1 << 20];
            for (int k = 0; k < 40; k++) { // 40 MiB of noise in 1 MiB chunks
                random.nextBytes(chunk);
                i.body(Direction.REQUEST, ByteBuffer.wrap(chunk));
            }
            i.body(Direction.REQUEST, ByteBuffer.allocate(0));
            i.endOfBody(Direction.REQUEST);
            i.endOfBody(Direction.REQUEST);
            assertThat(i.verdict()).isNotNull();
        }
    }

    @Test
    void aReloadSwapsTheRuleSetAndAFailedOneKeepsTheOldInForce(@TempDir Path tmp) throws Exception {
        Path custom = tmp.resolve("custom.rules");
        Files.writeString(custom, "alert http any any -> any any (msg:\"custom\"; http.uri; content:\"/only-in-custom\"; "
                + "classtype:trojan-activity; sid:1; rev:1;)\n");
        InspectionRequest probe = outbound("GET", "http://x.example/only-in-custom").build();
        assertThat(verdict(probe).finding()).isEmpty();

        engine.reload(source(custom), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);
        assertThat(verdict(probe).finding().orElseThrow().ruleId()).isEqualTo("sid:1");

        assertThatThrownBy(() -> engine.reload(source(tmp.resolve("missing.rules")), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("missing.rules");
        assertThat(verdict(probe).finding().orElseThrow().ruleId()).as("the old set stays in force").isEqualTo("sid:1");
    }

    /**
     * Per-direction states (stream, window, candidates) are pooled and reused: nothing of one
     * inspection may reach the next, whether it ended its bodies, was closed half-way or failed,
     * and a rule set's pooled streams are freed with it when swapped out.
     */
    @Test
    void pooledStatesCarryNothingFromOneInspectionToTheNext(@TempDir Path tmp) throws Exception {
        Path rules = tmp.resolve("pair.rules");
        Files.writeString(rules, "drop http any any -> any any (msg:\"pair\"; flow:to_client; http.response_body; "
                + "content:\"FIRSTPART\"; content:\"SECONDPART\"; distance:0; within:50; sid:77; rev:1;)\n"
                + "drop http any any -> any any (msg:\"tail\"; flow:to_client; http.response_body; "
                + "pcre:\"/ENDMARK$/\"; sid:78; rev:1;)\n");
        engine.reload(source(rules), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);
        for (int round = 0; round < 50; round++) {
            // Half a pair, then closed without the end of the body: the trigger and the window
            // must be forgotten, and so must the stream's state (a pattern split across chunks).
            Inspection abandoned = engine.inspect(outbound("GET", "http://files.example/a").build());
            abandoned.body(Direction.RESPONSE, ascii("x".repeat(round) + "FIRSTPART--"));
            abandoned.close();
            try (Inspection next = engine.inspect(outbound("GET", "http://files.example/b").build())) {
                next.body(Direction.RESPONSE, ascii("SECONDPART"));
                next.endOfBody(Direction.RESPONSE);
                assertThat(next.verdict().finding()).as("round " + round).isEmpty();
            }
            abandoned = engine.inspect(outbound("GET", "http://files.example/a").build());
            abandoned.body(Direction.RESPONSE, ascii("x".repeat(round) + "ENDM"));
            abandoned.close();
            try (Inspection next = engine.inspect(outbound("GET", "http://files.example/b").build())) {
                next.body(Direction.RESPONSE, ascii("ARK"));
                next.endOfBody(Direction.RESPONSE);
                assertThat(next.verdict().finding()).as("round " + round).isEmpty();
            }
            // A whole match, ended: the next inspection starts at stream position 0 again.
            try (Inspection hit = engine.inspect(outbound("GET", "http://files.example/c").build())) {
                hit.body(Direction.RESPONSE, ascii("FIRSTPART--SECONDPART ENDMARK"));
                hit.endOfBody(Direction.RESPONSE);
                assertThat(hit.verdict().finding().orElseThrow().ruleId()).isIn("sid:77", "sid:78");
            }
            try (Inspection tail = engine.inspect(outbound("GET", "http://files.example/e").build())) {
                tail.body(Direction.RESPONSE, ascii("ENDM"));
                tail.body(Direction.RESPONSE, ascii("ARK"));
                tail.endOfBody(Direction.RESPONSE);
                assertThat(tail.verdict().finding().orElseThrow().ruleId()).isEqualTo("sid:78");
            }
            try (Inspection after = engine.inspect(outbound("GET", "http://files.example/d").build())) {
                after.body(Direction.RESPONSE, ascii("y".repeat(round) + "FIRSTPART" + "-".repeat(60) + "SECONDPART"));
                after.endOfBody(Direction.RESPONSE);
                assertThat(after.verdict().finding()).as("round " + round).isEmpty();
            }
        }
        // Several at once take several states; swapping the set out frees them after the last closes.
        List<Inspection> open = new java.util.ArrayList<>();
        for (int k = 0; k < 40; k++) {
            Inspection i = engine.inspect(outbound("GET", "http://files.example/" + k).build());
            i.body(Direction.RESPONSE, ascii("FIRSTPART-" + k));
            open.add(i);
        }
        Files.writeString(rules, "# nothing\n");
        engine.reload(source(rules), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);
        for (Inspection i : open) {
            i.body(Direction.RESPONSE, ascii("SECONDPART"));
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding().orElseThrow().ruleId()).isEqualTo("sid:77");
            i.close();
        }
        assertThat(verdict(outbound("GET", "http://files.example/FIRSTPART--SECONDPART").build()).finding()).isEmpty();
    }

    /**
     * Bodies larger than a pooled state's window keep: their window memory is shared by the
     * pool's states and used again by the next large body, with nothing of the last one's bytes
     * in it (a half pair left at the end of one body does not complete in the next).
     */
    @Test
    void largeBodiesReuseWindowMemoryWithoutCarryingBytes(@TempDir Path tmp) throws Exception {
        Path rules = tmp.resolve("pair.rules");
        Files.writeString(rules, "drop http any any -> any any (msg:\"pair\"; flow:to_client; http.response_body; "
                + "content:\"FIRSTPART\"; content:\"SECONDPART\"; distance:0; within:50; sid:77; rev:1;)\n");
        engine.reload(source(rules), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);
        String filler = "0123456789abcdef".repeat(5000); // 80,000 bytes: more than a pooled state keeps
        for (int round = 0; round < 20; round++) {
            try (Inspection abandoned = engine.inspect(outbound("GET", "http://files.example/a").build())) {
                abandoned.body(Direction.RESPONSE, ascii(filler.substring(round) + "FIRSTPART--"));
            }
            try (Inspection next = engine.inspect(outbound("GET", "http://files.example/b").build())) {
                next.body(Direction.RESPONSE, ascii("SECONDPART" + filler));
                next.endOfBody(Direction.RESPONSE);
                assertThat(next.verdict().finding()).as("round " + round).isEmpty();
            }
            try (Inspection hit = engine.inspect(outbound("GET", "http://files.example/c").build())) {
                hit.body(Direction.RESPONSE, ascii(filler.substring(round)));
                hit.body(Direction.RESPONSE, ascii(filler + "FIRSTPART--SECONDPART" + filler));
                hit.endOfBody(Direction.RESPONSE);
                assertThat(hit.verdict().finding().orElseThrow().ruleId()).as("round " + round).isEqualTo("sid:77");
            }
        }
    }

    /**
     * Header checks are kept with a pooled state while it serves the same endpoints: a state that
     * served an inbound exchange (the rule's header fits) and then an outbound one (it does not),
     * and back, must answer for the endpoints in front of it each time. (A response rule's header
     * is written as the response travels: from the server to the client.)
     */
    @Test
    void headerChecksFollowTheConnectionAPooledStateServes(@TempDir Path tmp) throws Exception {
        useRules(tmp, "inbound.rules", "drop http $HOME_NET 80 -> $EXTERNAL_NET any (msg:\"inbound marker\"; flow:to_client; "
                + "http.response_body; content:\"INBOUNDMARK\"; sid:91; rev:1;)\n"
                + "drop http $EXTERNAL_NET any -> $HOME_NET any (msg:\"outbound marker\"; flow:to_client; "
                + "http.response_body; content:\"OUTBOUNDMARK\"; sid:92; rev:1;)\n");
        Connection otherClient = connection("203.0.113.99", 40000, "192.168.1.20", 80);
        Connection otherPort = connection("203.0.113.7", 51515, "192.168.1.20", 8080);
        for (int round = 0; round < 20; round++) {
            assertThat(bodyVerdict(inbound("GET", "http://shop.example.jp/").build(), "INBOUNDMARK OUTBOUNDMARK"))
                    .as("round " + round).isEqualTo("sid:91");
            assertThat(bodyVerdict(outbound("GET", "http://other.example/").build(), "INBOUNDMARK OUTBOUNDMARK"))
                    .as("round " + round).isEqualTo("sid:92");
            assertThat(bodyVerdict(InspectionRequest.http("GET", "http://shop.example.jp/").connection(otherClient).build(),
                    "INBOUNDMARK")).isEqualTo("sid:91");
            assertThat(bodyVerdict(InspectionRequest.http("GET", "http://shop.example.jp/").connection(otherPort).build(),
                    "INBOUNDMARK")).as("port 8080 is not the rule's port 80").isEmpty();
        }
    }

    /**
     * A candidate holds {@link Candidates#ENDS} trigger positions; the 17th occurrence in one piece
     * makes the engine try the oldest at once, in the middle of the scan. The content it needs lies
     * after the scan's position: the stream has not reported it yet, so it must be searched in the
     * window rather than looked up (only the first occurrence is far enough from it).
     */
    @Test
    void aCandidateTriedInTheMiddleOfAScanFindsContentTheScanHasNotReachedYet(@TempDir Path tmp) throws Exception {
        Path rules = tmp.resolve("far.rules");
        String trigger = "TRIGGERPARTXX";
        int gap = Candidates.ENDS * trigger.length(); // from the end of the first occurrence to the partner
        Files.writeString(rules, "drop http any any -> any any (msg:\"far partner\"; flow:to_client; http.response_body; "
                + "content:\"" + trigger + "\"; content:\"SECONDPART\"; distance:" + gap + "; within:" + (gap + 10)
                + "; sid:93; rev:1;)\n");
        engine.reload(source(rules), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);
        String body = trigger.repeat(Candidates.ENDS + 1) + "SECONDPART";
        assertThat(bodyVerdict(outbound("GET", "http://files.example/").build(), body)).isEqualTo("sid:93");
        // One occurrence fewer: the partner is too close to every trigger.
        assertThat(bodyVerdict(outbound("GET", "http://files.example/").build(), trigger.repeat(Candidates.ENDS) + "SECONDPART"))
                .isEmpty();
    }

    /**
     * A rule whose other literal the stream scan never reported is dropped without a search, but
     * only on bytes the scan has passed: the literal in a later chunk still completes the rule;
     * the literal only before the trigger, or nowhere, does not.
     */
    @Test
    void aRuleWaitsForALiteralTheScanHasNotSeenYetAndFailsWithoutIt(@TempDir Path tmp) throws Exception {
        useRules(tmp, "partner.rules", "drop http any any -> any any (msg:\"partner\"; flow:to_client; http.response_body; "
                + "content:\"TRIGGERWORD\"; content:\"PARTNERWORD\"; distance:0; sid:94; rev:1;)\n");
        assertThat(engine.report().patterns()).as("the trigger and the looked-up partner").isEqualTo(2);
        try (Inspection i = engine.inspect(outbound("GET", "http://files.example/").build())) {
            i.body(Direction.RESPONSE, ascii("x".repeat(100) + "TRIGGERWORD" + "y".repeat(100)));
            assertThat(i.verdict().finding()).as("after the first chunk").isEmpty();
            i.body(Direction.RESPONSE, ascii("z".repeat(100) + "PARTNERWORD"));
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().finding().map(f -> f.ruleId())).as("after the second").hasValue("sid:94");
        }
        assertThat(bodyVerdict(outbound("GET", "http://files.example/").build(), "PARTNERWORD" + "x".repeat(50) + "TRIGGERWORD"))
                .as("the literal before the trigger only").isEmpty();
        assertThat(bodyVerdict(outbound("GET", "http://files.example/").build(), "TRIGGERWORD" + "x".repeat(50) + "PARTNERWORX"))
                .as("the literal nowhere").isEmpty();
        assertThat(bodyVerdict(outbound("GET", "http://files.example/").build(), "TRIGGERWORD" + "x".repeat(50) + "PARTNERWORD"))
                .as("the literal after it in the same chunk").isEqualTo("sid:94");
    }

    /** Writes {@code text} as the rule file {@code name} and puts it in force. */
    private void useRules(Path tmp, String name, String text) throws Exception {
        Path rules = tmp.resolve(name);
        Files.writeString(rules, text);
        engine.reload(source(rules), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);
    }

    private String bodyVerdict(InspectionRequest request, String body) {
        try (Inspection i = engine.inspect(request)) {
            i.body(Direction.RESPONSE, ascii(body));
            i.endOfBody(Direction.RESPONSE);
            return i.verdict().finding().map(f -> f.ruleId()).orElse("");
        }
    }

    /**
     * A rule with a negated body content is confirmed only at the end of the stream; a candidate
     * keeps the newest {@link Candidates#ENDS} trigger positions, so a match at an older one must
     * still be found (by searching the window) when more occurrences follow in the same piece.
     */
    @Test
    void aNegatedContentRuleStillFiresAfterManyLaterTriggerOccurrences(@TempDir Path tmp) throws Exception {
        useRules(tmp, "negated.rules", "drop http any any -> any any (msg:\"neg\"; flow:to_client; http.response_body; "
                + "content:\"TRIGGER1\"; content:\"PAIR\"; distance:0; within:10; content:!\"NOPE\"; sid:79; rev:1;)\n");
        String later = "..TRIGGER1.......".repeat(3 * Candidates.ENDS);
        for (String body : new String[] {"TRIGGER1--PAIR" + later, "x".repeat(5000) + "TRIGGER1--PAIR" + later}) {
            try (Inspection i = engine.inspect(outbound("GET", "http://files.example/n").build())) {
                i.body(Direction.RESPONSE, ascii(body));
                i.endOfBody(Direction.RESPONSE);
                assertThat(i.verdict().finding().orElseThrow().ruleId()).isEqualTo("sid:79");
            }
            try (Inspection i = engine.inspect(outbound("GET", "http://files.example/n").build())) {
                i.body(Direction.RESPONSE, ascii(body + "NOPE"));
                i.endOfBody(Direction.RESPONSE);
                assertThat(i.verdict().finding()).isEmpty();
            }
        }
    }

    @Test
    void anInspectionInFlightFinishesOnTheRuleSetItStartedOn(@TempDir Path tmp) throws Exception {
        Inspection inFlight = engine.inspect(outbound("GET", "http://files.example/eicar.com").build());
        Path empty = tmp.resolve("empty.rules");
        Files.writeString(empty, "# nothing\n");
        engine.reload(source(empty), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);

        inFlight.body(Direction.RESPONSE, ascii(EICAR));
        inFlight.endOfBody(Direction.RESPONSE);
        assertThat(inFlight.verdict().finding()).as("the old databases are still alive for it").isPresent();
        inFlight.close();
        assertThat(engine.report().loaded()).isZero();
    }

    @Test
    void rulesThatDoNotParseAreReportedWithFileAndLineAndTheOthersLoad(@TempDir Path tmp) throws Exception {
        Path mixed = tmp.resolve("mixed.rules");
        Files.writeString(mixed, String.join("\n",
                "alert http any any -> any any (msg:\"ok\"; http.uri; content:\"/fine\"; sid:10;)",
                "alert http any any -> any any (msg:\"broken\"; content:\"|zz|\"; sid:11;)",
                "alert http any any -> any any (msg:\"unsupported\"; stream_size:server,>,1; content:\"x\"; sid:12;)", ""));
        engine.reload(source(mixed), IpsSettings.DEFAULTS).get(30, TimeUnit.SECONDS);

        RuleSetReport report = engine.report();
        assertThat(report.loaded()).isEqualTo(1);
        assertThat(report.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).endsWith("mixed.rules");
            assertThat(e.line()).isEqualTo(2);
        });
        assertThat(report.skippedByKeyword()).containsEntry("stream_size", 1);
    }
}
