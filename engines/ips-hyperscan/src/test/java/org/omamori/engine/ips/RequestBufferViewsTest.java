package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.engine.ips.rules.Buffer;

/**
 * The request's head buffers are views of one {@code http.start} array (and of the head as sent)
 * rather than made one by one from text: each holds the same bytes as its definition from the
 * request's facts ({@link HttpBuffers#text}, {@code http.uri} percent-decoded), whatever the
 * method, target, version and fields, characters beyond Latin-1 included.
 */
class RequestBufferViewsTest {

    private static final List<Buffer> REQUEST_HEAD = java.util.Arrays.stream(Buffer.values())
            .filter(b -> !b.responseHead() && !b.tlsClientHello() && !b.tlsCertificate() && !Side.streamed(b)).toList();

    @Test
    void viewsHoldTheBuffersBytesWithoutAHead() {
        List<InspectionRequest> requests = List.of(
                InspectionRequest.http("GET", "http://198.51.100.5/index.html").build(),
                InspectionRequest.http("POST", "http://Example.COM:8080/a%20b?q=%41#frag").header("Host", "Example.COM:8080")
                        .header("User-Agent", "curl/8").header("Cookie", "a=1").header("Cookie", "b=2").httpVersion("HTTP/1.0").build(),
                InspectionRequest.http("", "http://h/").build(),
                InspectionRequest.http("GET", "http://h/caf\u00e9").header("X-Name", "\u20ac uro").build(),
                InspectionRequest.http("GET", "http://h/\u20ac").header("Accept", "*/*").build(),
                InspectionRequest.http("G\u0100T", "http://h/").header("Accept", "*/*").build(),
                InspectionRequest.http("GET", "http://h.example./x").header("Host", "H.example.").header("Referer", "r").build(),
                InspectionRequest.http("GET", "http://h?x=1").build(),
                InspectionRequest.http("GET", "http://h").build(),
                InspectionRequest.http("GET", "/rel/p?q#f").build(),
                InspectionRequest.http("GET", "http://h/p#f?x").header("Host", "h:80").build(),
                InspectionRequest.http("GET", "http://h/").header("Host", "h\u0100st").build(),
                InspectionRequest.http("GET", "http://H/x").header("Host", "a, B").build(),
                // a pseudo-header is no header line; header lines are written into the array without their text made first
                InspectionRequest.http("GET", "http://h/").header(":authority", "h").header("Accept", "*/*").header("X-E", "").build());
        for (InspectionRequest request : requests) {
            for (boolean reversed : new boolean[] {false, true}) {
                viewsHoldTheirBytes(request, reversed ? REQUEST_HEAD.reversed() : REQUEST_HEAD);
            }
        }
    }

    /** The buffers asked for in the given order (the first one asked makes those of the one array). */
    private static void viewsHoldTheirBytes(InspectionRequest request, List<Buffer> order) {
        {
            IpsExchange exchange = new IpsExchange(request) { };
            for (Buffer b : order) {
                byte[] text = CompiledRules.latin1(HttpBuffers.text(b, request, null));
                byte[] expected = switch (b) {
                    case HTTP_URI -> HttpBuffers.percentDecoded(text);
                    case HTTP_RAW_HEADER -> (HttpBuffers.lines(request.headers()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    default -> text;
                };
                assertThat(new String(exchange.headerBytes(b), StandardCharsets.ISO_8859_1)).as("%s of %s", b, request.url())
                        .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void theFirstBufferAskedMakesEveryStretchOfOneArray() {
        InspectionRequest request = InspectionRequest.http("GET", "http://198.51.100.5/index.html").build();
        IpsExchange exchange = new IpsExchange(request) { };
        ByteBuffer array = exchange.headerView(Buffer.HTTP_URI_RAW).data();
        for (Buffer b : List.of(Buffer.HTTP_METHOD, Buffer.HTTP_URI, Buffer.HTTP_REQUEST_LINE, Buffer.HTTP_PROTOCOL, Buffer.HTTP_START,
                Buffer.HTTP_RAW_HEADER, Buffer.HTTP_HOST, Buffer.HTTP_HOST_RAW, Buffer.HTTP_HOST_DOTPREFIX)) {
            assertThat(exchange.headerView(b).data()).as("%s: a view of the one array", b).isSameAs(array);
        }
        assertThat(text(exchange, Buffer.HTTP_HOST_DOTPREFIX)).isEqualTo(".198.51.100.5");
        assertThat(text(exchange, Buffer.HTTP_PROTOCOL)).isEqualTo("HTTP/1.1");
        assertThat(exchange.rawRequestHead().length()).as("http.start only, not the host after it").isEqualTo("GET /index.html HTTP/1.1\r\n".length());
    }

    @Test
    void headAsSentGivesItsLineAndRawHeaderAndTheNormalisedStart() {
        String head = "GET http://h/a%41 HTTP/1.0\r\nHost:  h\r\nX-A: 1\r\n\r\n";
        InspectionRequest request = InspectionRequest.http("GET", "http://h/a%41").header("Host", "h").header("X-A", "1")
                .httpVersion("HTTP/1.0").head(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer()).build();
        IpsExchange exchange = new IpsExchange(request) { };
        assertThat(text(exchange, Buffer.HTTP_REQUEST_LINE)).isEqualTo("GET http://h/a%41 HTTP/1.0");
        assertThat(text(exchange, Buffer.HTTP_RAW_HEADER)).isEqualTo("Host:  h\r\nX-A: 1\r\n\r\n");
        assertThat(text(exchange, Buffer.HTTP_HEADER)).isEqualTo("Host: h\r\nX-A: 1\r\n");
        assertThat(text(exchange, Buffer.HTTP_START)).isEqualTo("GET http://h/a%41 HTTP/1.0\r\nHost: h\r\nX-A: 1\r\n\r\n");
        assertThat(text(exchange, Buffer.HTTP_METHOD)).isEqualTo("GET");
        assertThat(text(exchange, Buffer.HTTP_URI_RAW)).isEqualTo("/a%41");
        assertThat(text(exchange, Buffer.HTTP_URI)).isEqualTo("/aA");
        assertThat(text(exchange, Buffer.HTTP_PROTOCOL)).isEqualTo("HTTP/1.0");
        assertThat(exchange.headerView(Buffer.HTTP_RAW_HEADER).data().isReadOnly()).as("a view of the head, not a copy").isTrue();
    }

    private static String text(IpsExchange exchange, Buffer b) {
        return new String(exchange.headerBytes(b), StandardCharsets.ISO_8859_1);
    }
}
