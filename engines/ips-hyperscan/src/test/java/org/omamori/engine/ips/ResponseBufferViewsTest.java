package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.ips.rules.Buffer;

/**
 * The response's head buffers are views of one {@code http.response_start} array (and of the
 * head as sent) rather than made one by one from text: each holds the bytes of its definition
 * from the response's headers ({@link HttpBuffers#text} as Latin-1, as before the views), for
 * heads folded, in odd case, beyond Latin-1, without fields, of HTTP/1.0, and with odd status lines.
 */
class ResponseBufferViewsTest {

    private static final List<Buffer> RESPONSE_HEAD = java.util.Arrays.stream(Buffer.values())
            .filter(b -> b.responseHead() && !b.tlsCertificate() && !Side.streamed(b)).toList();

    private static final InspectionRequest REQUEST = InspectionRequest.http("GET", "http://h/").header("Host", "h").build();

    /** A head as sent and the headers an intake parses from it (status line first). */
    private record Response(String sent, List<Header> headers) {
    }

    private static Response response(String sent, String... fields) {
        List<Header> headers = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            headers.add(new Header(fields[i], fields[i + 1]));
        }
        return new Response(sent, headers);
    }

    private static final List<Response> RESPONSES = List.of(
            response("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: 10\r\n\r\n",
                    ":status-line", "HTTP/1.1 200 OK", "Server", "nginx", "Content-Type", "text/html", "Content-Length", "10"),
            response("HTTP/1.1 302 Found\r\nX-Long: a\r\n  b\r\nLocation: /x\r\n\r\n",
                    ":status-line", "HTTP/1.1 302 Found", "X-Long", "a b", "Location", "/x"),
            response("HTTP/1.1 200 OK\r\nset-COOKIE: a=1\r\nSET-cookie: b=2\r\nCONTENT-type: text/plain\r\nconnection: close\r\n\r\n",
                    ":status-line", "HTTP/1.1 200 OK", "set-COOKIE", "a=1", "SET-cookie", "b=2", "CONTENT-type", "text/plain",
                    "connection", "close"),
            response("HTTP/1.1 200 OK\r\nX-Name: \u00e9t\u00e9\r\nX-Euro: 5 \u20ac\r\n\r\n",
                    ":status-line", "HTTP/1.1 200 OK", "X-Name", "\u00e9t\u00e9", "X-Euro", "5 \u20ac"),
            response("HTTP/1.1 200 OK\r\nX-Name: \u00e9t\u00e9\r\n\r\n",
                    ":status-line", "HTTP/1.1 200 OK", "X-Name", "\u00e9t\u00e9"),
            response("HTTP/1.1 204 No Content\r\n\r\n", ":status-line", "HTTP/1.1 204 No Content"),
            response("HTTP/1.0 404 Not Found Here\r\nServer: x\r\n\r\n", ":status-line", "HTTP/1.0 404 Not Found Here", "Server", "x"),
            response("HTTP/1.1 200\r\nServer:\r\n\r\n", ":status-line", "HTTP/1.1 200", "Server", ""),
            response("HTTP/1.1  200 OK\r\n\r\n", ":status-line", "HTTP/1.1  200 OK"),
            response("HTTP/1.1\r\n\r\n", ":status-line", "HTTP/1.1"),
            response("Server: no status\r\n\r\n", "Server", "no status"),
            response("HTTP/1.1 200 OK\r\n\r\n", ":status-line", "HTTP/1.1 200 OK", ":status-line", "HTTP/1.1 201 Also"),
            response("", ":status-line", "HTTP/1.1 200 OK", ":other", "x", "Location", "http://h/\u00ff"));

    @Test
    void viewsHoldTheBytesOfTheTextWithAndWithoutTheHeadAsSent() {
        for (Response r : RESPONSES) {
            for (boolean withHead : new boolean[] {false, true}) {
                ByteBuffer head = withHead && !r.sent().isEmpty()
                        ? ByteBuffer.wrap(r.sent().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer() : null;
                IpsExchange exchange = new IpsExchange(REQUEST) { };
                exchange.responseHeaders = List.copyOf(r.headers());
                exchange.responseHeadSent = head;
                for (Buffer b : RESPONSE_HEAD) {
                    byte[] expected = b == Buffer.HTTP_RESPONSE_RAW_HEADER && head != null
                            ? r.sent().substring(r.sent().indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8)
                            : CompiledRules.latin1(HttpBuffers.text(b, REQUEST, r.headers()));
                    assertThat(exchange.headerBytes(b)).as("%s of %s (head as sent: %s)", b, r.headers(), withHead).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void theBuffersOfAHeadShareOneArray() {
        IpsExchange exchange = new IpsExchange(REQUEST) { };
        exchange.responseHeaders = RESPONSES.get(0).headers();
        ByteBuffer start = exchange.headerView(Buffer.HTTP_RESPONSE_START).data();
        for (Buffer b : List.of(Buffer.HTTP_STAT_CODE, Buffer.HTTP_STAT_MSG, Buffer.HTTP_RESPONSE_LINE, Buffer.HTTP_RESPONSE_HEADER,
                Buffer.HTTP_RESPONSE_CONTENT_TYPE, Buffer.HTTP_SERVER, Buffer.HTTP_RESPONSE_RAW_HEADER)) {
            assertThat(exchange.headerView(b).data()).as("%s", b).isSameAs(start);
        }
        assertThat(new String(exchange.headerBytes(Buffer.HTTP_STAT_CODE), StandardCharsets.ISO_8859_1)).isEqualTo("200");
    }
}
