package org.omamori.ids;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;

/**
 * HTTP/1.x on one reassembled TCP connection, fed to the pipeline as the live proxy feeds it:
 * each request opens an inspection with its facts and headers, then its body (as sent, chunked
 * framing included), the response's headers and body, and the result becomes events. Pipelined
 * requests queue (bounded) and are answered in order. A connection whose client does not begin
 * with an HTTP request line is left alone, unless the server answers it with HTTP responses
 * ({@link #answeringUnknown}); one that breaks the syntax stops being parsed, and the exchanges it
 * had are still reported; one that tunnels (CONNECT, Upgrade) hands the rest of its bytes to a
 * reader of their own ({@link #tunnel}).
 *
 * <p>This class decides what each head means (whether the connection is HTTP, which exchange a
 * message belongs to, how its body is framed); {@link HttpSide} cuts each direction's bytes into
 * heads and bodies, {@link HttpExchanges} reports the exchanges in order.
 */
final class HttpSession implements StreamSession {

    private final ReplayCounters counters;
    private final ReplayLimits limits;
    private final Connection connection;
    private final Endpoint server;
    private final HttpExchanges exchanges;
    final HttpSide clientSide;
    final HttpSide serverSide;
    private Boolean http; // null until the client's first bytes tell
    private final SessionHost host;
    /** What the connection carries after it became a tunnel; null before. */
    private StreamSession tunnel;
    /** Null while responses pair with requests only; else the quirk of a response without one (may be empty). */
    private String requestsUnseen;

    HttpSession(SessionHost host, ReplayCounters counters, ReplayLimits limits, Connection connection, Endpoint server) {
        this.host = host;
        this.counters = counters;
        this.limits = limits;
        this.connection = connection;
        this.server = server;
        this.exchanges = new HttpExchanges(host, counters);
        this.clientSide = new HttpSide(this, exchanges, counters, limits.maxHeadBytes(), true);
        this.serverSide = new HttpSide(this, exchanges, counters, limits.maxHeadBytes(), false);
    }

    @Override
    public TcpStream.Receiver clientSide() {
        return clientSide;
    }

    @Override
    public TcpStream.Receiver serverSide() {
        return serverSide;
    }

    /** Whether the connection turned out not to be HTTP (or stopped being parsed): its data need not be reassembled. */
    @Override
    public boolean ignoring() {
        if (tunnel != null) {
            return tunnel.ignoring();
        }
        return Boolean.FALSE.equals(http) || (clientSide.ignored() && serverSide.ignored());
    }

    boolean isHttp() {
        return Boolean.TRUE.equals(http);
    }

    /** Whether the client's first bytes have not told yet. */
    boolean undecided() {
        return http == null;
    }

    /** The client is not speaking HTTP (or its start was lost) — unless it already was: counted once. */
    void notHttp() {
        if (http == null) {
            http = false;
            counters.otherTcpFlows++;
        }
    }

    /** The connection is over: every exchange still open is reported with what was seen. */
    @Override
    public void close() {
        exchanges.close();
        if (tunnel != null) {
            tunnel.close();
        }
    }

    void stopParsing() {
        clientSide.ignore();
        serverSide.ignore();
    }

    /**
     * The connection became a tunnel (CONNECT answered 2xx, 101 Switching Protocols): the rest of
     * both directions is read as a connection of its own, chosen by its first bytes as any is (TLS
     * inside CONNECT, a raw stream for h2c), as Suricata goes on inspecting the stream.
     */
    private void tunnel() {
        tunnel = new SniffingSession(host, counters, limits, connection, server);
        clientSide.tunnel(tunnel.clientSide());
        serverSide.tunnel(tunnel.serverSide());
    }

    /** A complete request head from the client: opens its exchange and frames its body. */
    void request(String text) {
        HttpSide side = clientSide;
        List<String> lines = HttpSyntax.lines(text);
        String[] start = HttpSyntax.requestLine(lines.isEmpty() ? "" : lines.get(0));
        List<Header> headers = HttpSyntax.headers(lines, limits.maxHeaders());
        // A request line without a version, header lines after it: libhtp reads the headers (an
        // evasion, reported); without header lines it is HTTP/0.9, which the replay does not read.
        boolean versionless = start.length == 2 && lines.size() > 1 && headers != null;
        if (!versionless && (start.length != 3 || !start[2].startsWith("HTTP/1.")) || start[0].isEmpty()
                || start[1].isEmpty() || headers == null) {
            counters.httpParseErrors++;
            notHttp();
            stopParsing();
            return;
        }
        if (http == null) {
            http = true;
            counters.httpFlows++;
        }
        counters.httpRequests++;
        String method = start[0];
        InspectionRequest.Builder builder = InspectionRequest.http(method, HttpSyntax.url(method, start[1], headers, server))
                .connection(connection)
                .httpVersion(versionless ? "" : start[2])
                .head(sent(text, HttpSyntax.startLineOffset(text)));
        for (Header h : headers) {
            builder.header(h.name(), h.value());
        }
        InspectionRequest request = builder.build();
        if (exchanges.size() >= limits.maxOpenExchanges()) {
            counters.httpOverLimit++;
            side.lose();
            return;
        }
        HttpExchange e = exchanges.open(request);
        if (e.inspection == null) {
            counters.httpOverLimit++;
        }
        if (versionless) {
            e.quirks.add("request line without a protocol version");
        }
        side.current(e);
        String te = HttpSyntax.last(headers, "Transfer-Encoding");
        if (te != null) {
            if (!HttpSyntax.lastCoding(te).equals("chunked")) {
                counters.httpParseErrors++; // a request body must end by chunked framing
                side.lose();
                return;
            }
            side.startChunked();
            return;
        }
        long length = HttpSyntax.contentLength(headers);
        if (length == -2) {
            length = 0; // a request without Content-Length or Transfer-Encoding has no body
        }
        if (length < 0) {
            counters.httpParseErrors++; // the body's end is unknown: reported when the connection ends
            side.current(null);
            side.lose();
            return;
        }
        side.startLength(length);
    }

    /** A response head, read as a browser reads it; its body is undone the same way ({@link BrowserBody}). */
    void response(String text) {
        HttpSide side = serverSide;
        HttpExchange e = exchanges.firstUnanswered();
        if (e == null && requestsUnseen != null && LenientResponse.statusLine(text) >= 0
                && exchanges.size() < limits.maxOpenExchanges()) {
            e = unseenRequest();
        }
        Set<String> quirks = e != null ? e.quirks : new LinkedHashSet<>();
        LenientResponse r = LenientResponse.parse(text, quirks);
        if (r == null && http09(text.getBytes(StandardCharsets.ISO_8859_1))) {
            return;
        }
        if (r == null || r.headers().size() > limits.maxHeaders()) {
            counters.httpParseErrors++;
            side.lose();
            return;
        }
        int code = r.code();
        if (e == null) {
            counters.httpUnsolicitedResponses++;
        }
        // A body on a status that has none is read as libhtp reads it; 304 keeps none (servers send
        // the cached length there).
        boolean framed = r.contentLength() > 0 || !r.joined("Transfer-Encoding").isBlank();
        if (code >= 100 && code < 200 || code == 204) {
            if (framed && !(code == 101 && !r.joined("Upgrade").isBlank())) {
                quirks.add("a body on status " + code);
            } else if (code == 101) {
                counters.httpTunnels++;
                exchanges.answered(e, r.headers());
                tunnel();
                return;
            } else if (code != 204) {
                return; // an interim response: the final one follows
            }
        }
        counters.httpResponses++;
        side.current(e);
        if (e != null && e.inspection != null) {
            // the body comes decoded; the head as sent is the server's bytes, for http.header.raw
            e.inspection.headers(Direction.RESPONSE, r.decodedHeaders(), sent(text, LenientResponse.statusLineStart(text)));
        }
        if (e != null && e.connect && code / 100 == 2) {
            counters.httpTunnels++;
            exchanges.answered(e, List.of());
            tunnel();
            return;
        }
        // 304 keeps none, unless the server closes the connection after it: then no next response
        // can be taken for its body, and libhtp reads the bytes the head frames, as a browser may
        boolean body304 = code == 304 && framed && r.joined("Connection").contains("close");
        if (body304) {
            quirks.add("a body on status 304");
        }
        if ((e != null && e.head) || code == 204 && !framed || code == 304 && !body304) {
            side.startLength(0);
            return;
        }
        BrowserBody browser = side.startBrowser(r.contentLength(), r.joined("Transfer-Encoding"),
                r.joined("Content-Encoding"), quirks);
        if (browser.finished()) {
            side.browserDone();
        }
    }

    /** The head's bytes as sent from its start line on (what comes before it is not the message's), for the engines. */
    private static ByteBuffer sent(String head, int startLine) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return startLine < 0 ? ByteBuffer.wrap(bytes) : ByteBuffer.wrap(bytes, startLine, bytes.length - startLine);
    }

    /**
     * The server answers with HTTP responses that no request seen precedes: bytes that are no
     * request (a server refusing junk with {@code 400 Bad Request}; the client's bytes are then not
     * parsed), or none at all (a capture of the server's side only). Suricata detects HTTP from the
     * response side and libhtp pairs each such response with a transaction of its own; so does the
     * replay: each response without a request opens an exchange with no method, the server's URL
     * and no request headers (reported as an evasion when the client's bytes were junk).
     */
    void answeringUnknown(boolean junk) {
        http = true;
        counters.httpFlows++;
        requestsUnseen = junk ? "HTTP response to a request that is no HTTP" : "";
        if (junk) {
            clientSide.ignore();
        }
    }

    /** An exchange for a response that no request seen precedes ({@link #answeringUnknown}). */
    private HttpExchange unseenRequest() {
        counters.httpRequests++;
        HttpExchange e = exchanges.open(InspectionRequest.http("", HttpSyntax.url("", "/", List.of(), server))
                .connection(connection).build());
        if (!requestsUnseen.isEmpty()) {
            e.quirks.add(requestsUnseen);
        }
        if (e.inspection != null) {
            e.inspection.endOfBody(Direction.REQUEST);
        } else {
            counters.httpOverLimit++;
        }
        e.requestDone = true;
        return e;
    }

    /** A server answering without a status line (HTTP/0.9, or junk): all it sends is body, until it closes. */
    boolean http09(byte[] held) {
        HttpExchange e = exchanges.firstUnanswered();
        if (e == null) {
            return false;
        }
        e.quirks.add("response without a status line (HTTP/0.9)");
        counters.httpResponses++;
        serverSide.current(e);
        if (e.inspection != null) {
            e.inspection.headers(Direction.RESPONSE, List.of());
        }
        serverSide.startBrowser(-1, "", "", e.quirks).feed(held, 0, held.length);
        return true;
    }
}
