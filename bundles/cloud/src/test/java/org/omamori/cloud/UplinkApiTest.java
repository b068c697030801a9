package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.omamori.events.Event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.omamori.events.EventCodec;

/** The uplink API over real HTTPS against an in-memory store: docs/api/uplink.yaml, answer by answer. */
class UplinkApiTest {

    @TempDir
    static Path dir;

    static MemoryIngestStore store;
    static CloudFixture cloud;

    final TestEvents events = new TestEvents();
    String token;

    @BeforeAll
    static void start() throws Exception {
        store = new MemoryIngestStore();
        cloud = new CloudFixture(dir, store);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @BeforeEach
    void fresh() {
        synchronized (store) {
            store.events.clear();
            store.heartbeats.clear();
        }
        store.broken = false;
        cloud.store.set(store);
        token = store.tokenFor(TestEvents.APPLIANCE);
    }

    @Test
    void anApplianceActivatesThenSendsEventsThenAHeartbeat() throws Exception {
        store.issue(TestEvents.APPLIANCE, "code-0001");
        HttpResponse<String> activated = cloud.post("api/v1/activate", Optional.empty(),
                "{\"appliance\":\"00a0de123456\",\"activationCode\":\"code-0001\",\"firmwareVersion\":\"1.2.3\"}");
        assertThat(activated.statusCode()).as(activated.body()).isEqualTo(200);
        assertThat(activated.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> answer = fields(activated.body());
        assertThat(answer).containsEntry("appliance", "00a0de123456");
        String deviceToken = (String) answer.get("deviceToken");
        assertThat(deviceToken).matches("[A-Za-z0-9._~+/=-]{16,512}");

        HttpResponse<String> sent = cloud.post("api/v1/events", Optional.of(deviceToken), TestEvents.batch(TestEvents.APPLIANCE, events.threats(3)));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(fields(sent.body())).containsEntry("received", 3L).containsEntry("stored", 3L).containsEntry("duplicates", 0L);

        HttpResponse<String> beat = cloud.post("api/v1/heartbeat", Optional.of(deviceToken), TestEvents.heartbeat(TestEvents.APPLIANCE));
        assertThat(beat.statusCode()).as(beat.body()).isEqualTo(204);
        assertThat(store.eventCount()).isEqualTo(3);
        assertThat(store.heartbeats).singleElement().satisfies(h -> {
            assertThat(h.firmwareVersion()).isEqualTo("1.2.3");
            assertThat(h.counters()).containsEntry("pending", 2L).containsEntry("spoolBytes", 4096L).hasSize(6);
            assertThat(h.definitions()).containsEntry("ips", "2026.11.23.1");
        });
    }

    @Test
    void anActivationCodeWorksOnceAndOnlyForItsAppliance() throws Exception {
        store.issue(TestEvents.APPLIANCE, "code-0002");
        String other = "{\"appliance\":\"00a0de999999\",\"activationCode\":\"code-0002\",\"firmwareVersion\":\"1.2.3\"}";
        assertError(cloud.post("api/v1/activate", Optional.empty(), other), 401, "invalid-activation-code");
        String request = "{\"appliance\":\"00a0de123456\",\"activationCode\":\"code-0002\",\"firmwareVersion\":\"1.2.3\"}";
        assertThat(cloud.post("api/v1/activate", Optional.empty(), request).statusCode()).isEqualTo(200);
        HttpResponse<String> again = cloud.post("api/v1/activate", Optional.empty(), request);
        assertError(again, 401, "invalid-activation-code");
        assertThat(again.body()).doesNotContain("code-0002");
    }

    @Test
    void aReplayedBatchIsCountedAsDuplicatesAndNotStoredTwice() throws Exception {
        List<Event> batch = events.threats(5);
        String body = TestEvents.batch(TestEvents.APPLIANCE, batch);
        assertThat(fields(cloud.post("api/v1/events", Optional.of(token), body).body())).containsEntry("stored", 5L);
        HttpResponse<String> replay = cloud.post("api/v1/events", Optional.of(token), body);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(fields(replay.body())).containsEntry("received", 5L).containsEntry("stored", 0L).containsEntry("duplicates", 5L);
        String partly = TestEvents.batch(TestEvents.APPLIANCE, List.of(batch.get(0), events.threat(TestEvents.APPLIANCE, Instant.now())));
        assertThat(fields(cloud.post("api/v1/events", Optional.of(token), partly).body()))
                .containsEntry("received", 2L).containsEntry("stored", 1L).containsEntry("duplicates", 1L);
        assertThat(store.eventCount()).isEqualTo(6);
    }

    @Test
    void everyCallAfterActivationNeedsAValidDeviceToken() throws Exception {
        String body = TestEvents.batch(TestEvents.APPLIANCE, events.threats(1));
        HttpResponse<String> none = cloud.post("api/v1/events", Optional.empty(), body);
        assertError(none, 401, "unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertError(cloud.post("api/v1/events", Optional.of("unknown-token-0123456789"), body), 401, "unauthorized");
        assertError(cloud.post("api/v1/events", Optional.of("short"), body), 401, "unauthorized");
        assertError(cloud.post("api/v1/heartbeat", Optional.empty(), TestEvents.heartbeat(TestEvents.APPLIANCE)), 401, "unauthorized");
        // A valid token of another appliance than the batch's.
        String otherToken = store.tokenFor(TestEvents.OTHER);
        assertError(cloud.post("api/v1/events", Optional.of(otherToken), body), 403, "forbidden");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(otherToken), TestEvents.heartbeat(TestEvents.APPLIANCE)), 403, "forbidden");
        assertThat(store.eventCount()).isZero();
        assertThat(store.heartbeatCount()).isZero();
    }

    static List<Arguments> badBatches() {
        TestEvents e = new TestEvents();
        String good = TestEvents.batch(TestEvents.APPLIANCE, e.threats(3));
        String secondOfThree = TestEvents.batch(TestEvents.APPLIANCE, List.of(e.threat(TestEvents.APPLIANCE, Instant.now()),
                e.threat(TestEvents.OTHER, Instant.now()), e.threat(TestEvents.APPLIANCE, Instant.now())));
        String future = TestEvents.batch(TestEvents.APPLIANCE, List.of(e.threat(TestEvents.APPLIANCE, Instant.now()),
                e.threat(TestEvents.APPLIANCE, Instant.now().plusSeconds(11 * 60))));
        String lastWrongType = replaceLast(good, "\"sourcePort\":51515", "\"sourcePort\":\"51515\"");
        String lastUnknownField = replaceLast(good, "\"note\":\"\"", "\"note\":\"\",\"payload\":\"x\"");
        String past = TestEvents.batch(TestEvents.APPLIANCE, List.of(e.threat(TestEvents.APPLIANCE, Instant.now()),
                e.threat(TestEvents.APPLIANCE, Instant.now().minus(Duration.ofDays(91)))));
        String epoch = TestEvents.batch(TestEvents.APPLIANCE, List.of(e.threat(TestEvents.APPLIANCE, Instant.EPOCH)));
        Event now = e.threat(TestEvents.APPLIANCE, Instant.now());
        String lastAhead = TestEvents.batch(TestEvents.APPLIANCE, List.of(e.threat(TestEvents.APPLIANCE, Instant.now()),
                now.withCount(5, now.time().plusSeconds(11 * 60))));
        String countZero = replaceLast(good, "\"note\":\"\"", "\"note\":\"\",\"count\":0,\"last\":\"" + Instant.now() + "\"");
        String url = "\"url\":\"https://evil.example/login?id=1\"";
        return List.of(
                Arguments.of("not JSON", good.substring(0, good.length() - 10), 400, "malformed-json", null, null),
                Arguments.of("trailing garbage", good + "{}", 400, "malformed-json", null, null),
                Arguments.of("empty body", "", 400, "malformed-json", null, null),
                Arguments.of("an array, not an object", "[" + good + "]", 400, "wrong-type", null, null),
                Arguments.of("events not an array", "{\"appliance\":\"00a0de123456\",\"events\":{}}", 400, "wrong-type", null, "events"),
                Arguments.of("a string port", lastWrongType, 400, "wrong-type", 2, "sourcePort"),
                Arguments.of("a null field", replaceLast(good, "\"host\":\"evil.example\"", "\"host\":null"), 400, "wrong-type", 2, "host"),
                Arguments.of("an unknown event field", lastUnknownField, 422, "invalid-event", 2, null),
                Arguments.of("a missing event field", replaceLast(good, ",\"note\":\"\"", ""), 422, "invalid-event", 2, "note"),
                Arguments.of("an unknown batch field", good.replace("{\"appliance\"", "{\"extra\":1,\"appliance\""), 422, "invalid-request", null, null),
                Arguments.of("no events", "{\"appliance\":\"00a0de123456\",\"events\":[]}", 422, "invalid-request", null, "events"),
                Arguments.of("no appliance", good.replace("\"appliance\":\"00a0de123456\",\"events\"", "\"events\""), 422, "invalid-request", null, "appliance"),
                Arguments.of("a bad appliance id", good.replace("{\"appliance\":\"00a0de123456\"", "{\"appliance\":\"00A0DE12345\""), 422, "invalid-request", null, "appliance"),
                Arguments.of("an event of another appliance", secondOfThree, 422, "wrong-appliance", 1, "appliance"),
                Arguments.of("an event 11 minutes ahead", future, 422, "future-event", 1, "time"),
                Arguments.of("a folded event whose last is 11 minutes ahead", lastAhead, 422, "future-event", 1, "last"),
                Arguments.of("a count of 0", countZero, 422, "invalid-event", 2, "count"),
                Arguments.of("a bad event id", replaceLast(good, "\"id\":\"", "\"id\":\"x"), 422, "invalid-event", 2, "id"),
                Arguments.of("an event 91 days old", past, 422, "past-event", 1, "time"),
                Arguments.of("an event of 1970", epoch, 422, "past-event", 0, "time"),
                Arguments.of("a NUL in a URL", replaceLast(good, url, "\"url\":\"https://evil.example/\\u0000\""), 422,
                        "control-character", 2, "url"),
                Arguments.of("CR LF in a host", replaceLast(good, "\"host\":\"evil.example\"", "\"host\":\"evil.example\\r\\nBcc: x\""),
                        422, "control-character", 2, "host"),
                Arguments.of("ESC in a note", replaceLast(good, "\"note\":\"\"", "\"note\":\"\\u001b[31m\""), 422, "control-character", 2, "note"),
                Arguments.of("DEL and C1 in a rule name", replaceLast(good, "\"ruleName\":\"", "\"ruleName\":\"\\u007f\\u0085"), 422,
                        "control-character", 2, "ruleName"),
                Arguments.of("a port out of range", replaceLast(good, "\"sourcePort\":51515", "\"sourcePort\":70000"), 422, "invalid-event", 2,
                        "sourcePort"),
                Arguments.of("a port of 20 digits", replaceLast(good, "\"sourcePort\":51515", "\"sourcePort\":99999999999999999999"), 422,
                        "invalid-event", 2, "sourcePort"),
                Arguments.of("a confidence over 100", replaceLast(good, "\"confidence\":90", "\"confidence\":101"), 422, "invalid-event", 2,
                        "confidence"),
                Arguments.of("an upper-case zone", replaceLast(good, "\"zoneFrom\":\"lan\"", "\"zoneFrom\":\"LAN\""), 422, "invalid-event", 2,
                        "zoneFrom"),
                Arguments.of("a URL longer than any string the reader takes", replaceLast(good, url, "\"url\":\"" + "a".repeat(20_000) + "\""),
                        422, "invalid-event", 2, "url"));
    }

    @ParameterizedTest(name = "{0}: {2} {3}")
    @MethodSource("badBatches")
    void aBadBatchIsRefusedWholeWithItsErrorAndNothingIsStored(String what, String body, int status, String error, Integer index,
                                                               String field) throws Exception {
        HttpResponse<String> r = cloud.post("api/v1/events", Optional.of(token), body);
        Map<String, Object> answer = assertError(r, status, error);
        if (index != null) {
            assertThat(answer).as(r.body()).containsEntry("index", (long) index);
        } else {
            assertThat(answer).doesNotContainKey("index");
        }
        if (field != null) {
            assertThat(answer).as(r.body()).containsEntry("field", field);
        }
        assertThat(store.eventCount()).as("stored after refusing %s", what).isZero();
    }

    @Test
    void aFoldedEventAndAnOlderAppliancesEventAreBothTaken() throws Exception {
        Event first = events.threat(TestEvents.APPLIANCE, Instant.now().minusSeconds(60));
        Event folded = first.withCount(250, first.time().plusSeconds(59));
        Event single = events.threat(TestEvents.APPLIANCE, Instant.now());
        String old = CloudFixture.utf8(EventCodec.toJson(single));
        assertThat(old).doesNotContain("\"count\"", "\"last\""); // format 1.0, as an older appliance writes it
        String body = "{\"appliance\":\"" + TestEvents.APPLIANCE + "\",\"events\":[" + CloudFixture.utf8(EventCodec.toJson(folded))
                + "," + old + "]}";
        HttpResponse<String> r = cloud.post("api/v1/events", Optional.of(token), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(fields(r.body())).containsEntry("received", 2L).containsEntry("stored", 2L);
        synchronized (store) {
            assertThat(store.events.values()).extracting(Event::count).containsExactlyInAnyOrder(250L, 1L);
            assertThat(store.events.values()).filteredOn(ev -> ev.count() == 250)
                    .singleElement().satisfies(ev -> assertThat(ev.last()).isEqualTo(folded.last()));
        }
    }

    @Test
    void anEventJustInsideTheRetentionIsTaken() throws Exception {
        String body = TestEvents.batch(TestEvents.APPLIANCE, List.of(events.threat(TestEvents.APPLIANCE, Instant.now().minus(Duration.ofDays(89)))));
        assertThat(cloud.post("api/v1/events", Optional.of(token), body).statusCode()).isEqualTo(200);
        assertThat(store.eventCount()).isEqualTo(1);
    }

    @Test
    void aBadHeartbeatIsRefused() throws Exception {
        String good = TestEvents.heartbeat(TestEvents.APPLIANCE);
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"pending\":2", "\"pending\":-2")), 422, "invalid-request");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"pending\":2", "\"pending\":\"2\"")), 400, "wrong-type");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace(",\"lastSuccess\":null", "")), 422, "invalid-request");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"lastSuccess\":null", "\"lastSuccess\":null,\"x\":1")), 422,
                "invalid-request");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"time\":\"", "\"time\":\"yesterday")), 422, "invalid-request");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"firmwareVersion\":\"1.2.3\"",
                "\"firmwareVersion\":\"1.2.3\\u0000\"")), 422, "control-character");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"arch\":\"amd64\"", "\"arch\":\"amd64\\n\"")), 422,
                "control-character");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"firmwareVersion\":\"1.2.3\"",
                "\"firmwareVersion\":\"" + "1".repeat(10_000) + "\"")), 422, "invalid-request");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), good.replace("\"pending\":2", "\"pending\":2" + "0".repeat(24))), 422,
                "invalid-request");
        assertThat(store.heartbeatCount()).isZero();
        assertThat(cloud.post("api/v1/heartbeat", Optional.of(token),
                good.replace("\"lastSuccess\":null", "\"lastSuccess\":\"" + Instant.now() + "\"")).statusCode()).isEqualTo(204);
    }

    @Test
    void aBadActivationIsRefusedWithoutEchoingTheCode() throws Exception {
        store.issue(TestEvents.APPLIANCE, "secret-code-42");
        HttpResponse<String> malformed = cloud.post("api/v1/activate", Optional.empty(),
                "{\"appliance\":\"00a0de123456\",\"activationCode\":secret-code-42}");
        assertError(malformed, 400, "malformed-json");
        assertThat(malformed.body()).doesNotContain("secret");
        assertError(cloud.post("api/v1/activate", Optional.empty(), "{\"appliance\":\"00a0de123456\",\"activationCode\":\"secret-code-42\"}"),
                422, "invalid-request");
        assertError(cloud.post("api/v1/activate", Optional.empty(),
                "{\"appliance\":\"00a0de123456\",\"activationCode\":42,\"firmwareVersion\":\"1\"}"), 400, "wrong-type");
        HttpResponse<String> control = cloud.post("api/v1/activate", Optional.empty(),
                "{\"appliance\":\"00a0de123456\",\"activationCode\":\"secret-code-42\\r\\n\",\"firmwareVersion\":\"1\"}");
        assertError(control, 422, "control-character");
        assertThat(control.body()).doesNotContain("secret");
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsSent() throws Exception {
        try (SSLSocket socket = socket("TLSv1.3")) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{\"appliance\"").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\":\"too-large\"").contains(Long.toString(CloudFixture.TEST_BODY_LIMIT));
        }
        assertThat(store.eventCount()).isZero();
    }

    @Test
    void aChunkedBodyIsCutOffWhenItPassesTheLimit() throws Exception {
        String body = TestEvents.batch(TestEvents.APPLIANCE, events.threats(200)); // ~100 KB, over the 64 KiB test limit
        assertThat(body.length()).isGreaterThan((int) CloudFixture.TEST_BODY_LIMIT);
        try (SSLSocket socket = socket("TLSv1.3")) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream chunked = new ByteArrayOutputStream();
            for (int at = 0; at < bytes.length; at += 8192) {
                int n = Math.min(8192, bytes.length - at);
                chunked.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                chunked.write(bytes, at, n);
                chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(chunked.toByteArray());
                out.flush();
            } catch (IOException cutOff) {
                // The server answered 413 and closed while the rest was still being written: the
                // cut-off this test is about. The socket is unusable now, so the answer cannot be read.
                assertThat(store.eventCount()).isZero();
                return;
            }
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 413").contains("\"error\":\"too-large\"");
        }
        assertThat(store.eventCount()).isZero();
    }

    @Test
    void onlyTls13IsSpoken() throws Exception {
        try (SSLSocket socket = socket("TLSv1.3")) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        for (String old : List.of("TLSv1.2", "TLSv1.1")) {
            assertThatThrownBy(() -> {
                try (SSLSocket socket = socket(old)) {
                    socket.startHandshake();
                }
            }).as(old).isInstanceOfAny(SSLHandshakeException.class, IOException.class);
        }
    }

    @Test
    void healthIsOkWithAWorkingStoreAndDegradedWithout() throws Exception {
        HttpResponse<String> ok = cloud.get("health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"status\":\"ok\"").contains("\"store\":\"ok\"");

        store.broken = true;
        HttpResponse<String> broken = cloud.get("health");
        assertThat(broken.statusCode()).isEqualTo(503);
        assertThat(broken.body()).contains("\"status\":\"degraded\"");
        HttpResponse<String> failing = cloud.post("api/v1/events", Optional.of(token), TestEvents.batch(TestEvents.APPLIANCE, events.threats(1)));
        assertError(failing, 503, "unavailable");
        assertThat(failing.headers().firstValue("Retry-After")).isPresent();

        store.broken = false;
        cloud.store.set(null);
        HttpResponse<String> none = cloud.get("health");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).contains("no IngestStore service");
        assertError(cloud.post("api/v1/heartbeat", Optional.of(token), TestEvents.heartbeat(TestEvents.APPLIANCE)), 503, "unavailable");
    }

    @Test
    void unknownPathsAndMethodsGetAnErrorBody() throws Exception {
        assertError(cloud.post("api/v1/nothing", Optional.of(token), "{}"), 404, "invalid-request");
        assertError(cloud.get("api/v1/events"), 405, "invalid-request");
    }

    // ---- helpers ----

    static Map<String, Object> assertError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as("content type of " + r.body())
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> fields = fields(r.body());
        assertThat(fields).as(r.body()).containsEntry("error", error).containsKey("message");
        assertThat((String) fields.get("message")).isNotBlank().doesNotContain("\n");
        assertThat(r.headers().firstValue("Connection")).as("an error answer closes the connection").hasValue("close");
        return fields;
    }

    static Map<String, Object> fields(String json) {
        Map<String, Object> fields = new java.util.HashMap<>();
        try (JsonParser p = EventCodec.JSON.createParser(json)) {
            assertThat(p.nextToken()).as(json).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                fields.put(name, t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText());
            }
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
        return fields;
    }

    static String replaceLast(String text, String what, String with) {
        int at = text.lastIndexOf(what);
        assertThat(at).as(what).isNotNegative();
        return text.substring(0, at) + with + text.substring(at + what.length());
    }

    static SSLSocket socket(String protocol) throws Exception {
        SSLSocket socket = (SSLSocket) CloudFixture.sslContext(cloud.certificate.pem(), protocol).getSocketFactory()
                .createSocket("127.0.0.1", cloud.server.port());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Reads the head and the (short, Content-Length) body of one HTTP answer. */
    static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            String s = out.toString(StandardCharsets.ISO_8859_1);
            int head = s.indexOf("\r\n\r\n");
            if (head >= 0) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(s);
                if (m.find() && s.length() - head - 4 >= Integer.parseInt(m.group(1))) {
                    return s;
                }
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
