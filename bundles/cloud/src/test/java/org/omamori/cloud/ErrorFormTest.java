package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error the API answers has the Error body of docs/api/uplink.yaml and Connection: close,
 * also the ones Jetty answers itself before a request reaches the API (raw sockets, since no
 * well-behaved client sends such requests) and JAX-RS's own refusals (the JDK client).
 */
class ErrorFormTest {

    @TempDir
    static Path dir;

    static CloudFixture cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = new CloudFixture(dir, new MemoryIngestStore());
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    /** Sends {@code head} as it is and reads the answer. */
    static String raw(String head) throws Exception {
        try (SSLSocket socket = (SSLSocket) CloudFixture.sslContext(cloud.certificate.pem(), "TLSv1.3").getSocketFactory()
                .createSocket("127.0.0.1", cloud.server.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return UplinkApiTest.readAnswer(socket.getInputStream());
        }
    }

    static Map<String, Object> assertRawError(String answer, int status, String error) {
        assertThat(answer).as(answer).startsWith("HTTP/1.1 " + status + " ");
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split).toLowerCase(java.util.Locale.ROOT);
        assertThat(head).as(answer).contains("\r\ncontent-type: application/json").contains("\r\nconnection: close");
        String body = answer.substring(split + 4);
        assertThat(body).doesNotContain("<html");
        Map<String, Object> fields = UplinkApiTest.fields(body);
        assertThat(fields).as(body).containsEntry("error", error).containsKey("message");
        return fields;
    }

    @Test
    void aHeaderLineOf10KiBIs431InTheApisForm() throws Exception {
        String answer = raw("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "x".repeat(10 * 1024)
                + "\r\nContent-Length: 2\r\n\r\n{}");
        assertRawError(answer, 431, "too-large");
        assertThat(answer).doesNotContain("xxxxxxxx");
    }

    @Test
    void aBadRequestLineIs400InTheApisForm() throws Exception {
        assertRawError(raw("GET /health HTTP/1.1 extra\r\nHost: localhost\r\n\r\n"), 400, "malformed-request");
        assertRawError(raw("GET /he\u0001alth HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400, "malformed-request");
        assertRawError(raw("GET /health HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n"), 400, "malformed-request");
    }

    @Test
    void anOverlongUriIs414InTheApisForm() throws Exception {
        assertRawError(raw("GET /health?" + "q".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414, "too-large");
    }

    @Test
    void anAmbiguousPathIs400InTheApisForm() throws Exception {
        Map<String, Object> error = assertRawError(raw("POST /api/v1/%2e%2e/%2e%2e/etc HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"),
                400, "malformed-request");
        assertThat((String) error.get("message")).doesNotContain("etc");
    }

    @Test
    void jaxRsRefusalsAreInTheApisForm() throws Exception {
        UplinkApiTest.assertError(cloud.post("api/v1/nothing", Optional.empty(), "{}"), 404, "invalid-request");
        UplinkApiTest.assertError(cloud.get("api/v1/activate"), 405, "invalid-request");
        UplinkApiTest.assertError(cloud.post("health", Optional.empty(), "{}"), 405, "invalid-request");
        HttpResponse<String> html = cloud.http.send(HttpRequest.newBuilder(cloud.uri("health")).header("Accept", "text/html")
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        UplinkApiTest.assertError(html, 406, "invalid-request");
        HttpResponse<String> put = cloud.http.send(HttpRequest.newBuilder(cloud.uri("api/v1/events")).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        UplinkApiTest.assertError(put, 405, "invalid-request");
        assertThat(URI.create("x")).isNotNull();
    }

    @Test
    void aBadChunkIs400InTheApisForm() throws Exception {
        String token = ((MemoryIngestStore) cloud.store.get()).tokenFor(TestEvents.APPLIANCE);
        String answer = raw("POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"app\r\nzz\r\n");
        assertRawError(answer, 400, "malformed-request");
    }
}
