package org.omamori.ids;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.http.ChunkedDecoder;

/**
 * HTTP/1.x on one reassembled TCP connection, fed to the pipeline as the live proxy feeds it:
 * each request opens an inspection with its facts and headers, then its body (as sent, chunked
 * framing included), the response's headers and body, and the result becomes events. Pipelined
 * requests queue (bounded) and are answered in order. A connection whose client does not begin
 * with an HTTP request line is left alone; one that breaks the syntax, or tunnels (CONNECT,
 * Upgrade), stops being parsed, and the exchanges it had are still reported.
 */
final class HttpSession implements StreamSession {

    private enum State { HEAD, LENGTH, CHUNKED, UNTIL_CLOSE, BODY, IGNORE }

    private final SessionHost host;
    private final ReplayCounters counters;
    private final ReplayLimits limits;
    private final Connection connection;
    private final Endpoint server;
    private final ArrayDeque<HttpExchange> exchanges = new ArrayDeque<>();
    final Side clientSide;
    final Side serverSide;
    private Boolean http; // null until the client's first bytes tell

    HttpSession(SessionHost host, ReplayCounters counters, ReplayLimits limits, Connection connection, Endpoint server) {
        this.host = host;
        this.counters = counters;
        this.limits = limits;
        this.connection = connection;
        this.server = server;
        this.clientSide = new Side(true);
        this.serverSide = new Side(false);
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
        return Boolean.FALSE.equals(http) || (clientSide.state == State.IGNORE && serverSide.state == State.IGNORE);
    }

    boolean isHttp() {
        return Boolean.TRUE.equals(http);
    }

    /** The connection is over: every exchange still open is reported with what was seen. */
    @Override
    public void close() {
        for (HttpExchange e : exchanges) {
            if (!e.responseDone) {
                counters.httpUnansweredRequests++;
            }
            finish(e);
        }
        exchanges.clear();
    }

    private void finish(HttpExchange e) {
        if (e.finished) {
            return;
        }
        e.finished = true;
        if (e.inspection != null) {
            if (!e.requestDone) {
                e.inspection.endOfBody(Direction.REQUEST);
            }
            host.finish(e.request, e.inspection);
        }
        if (!e.quirks.isEmpty()) {
            host.evasion(e.request, e.quirks);
        }
    }

    private void finishDone() {
        while (!exchanges.isEmpty() && exchanges.peekFirst().requestDone && exchanges.peekFirst().responseDone) {
            finish(exchanges.pollFirst());
        }
    }

    private void stopParsing() {
        clientSide.state = State.IGNORE;
        serverSide.state = State.IGNORE;
    }

    /** One direction's parser. */
    final class Side implements TcpStream.Receiver {
        private final boolean fromClient;
        private State state = State.HEAD;
        private final HeadBuffer head;
        private long remaining;
        private ChunkedDecoder chunked;
        private BrowserBody browser;
        private HttpExchange current;

        Side(boolean fromClient) {
            this.fromClient = fromClient;
            this.head = new HeadBuffer(limits.maxHeadBytes(), !fromClient);
        }

        @Override
        public void data(byte[] data, int offset, int length) {
            if (!fromClient && !Boolean.TRUE.equals(http)) {
                return; // the server spoke first, or to a client that is not speaking HTTP
            }
            int end = offset + length;
            while (offset < end && state != State.IGNORE) {
                offset = switch (state) {
                    case HEAD -> head(data, offset, end);
                    case LENGTH -> length(data, offset, end);
                    case CHUNKED -> chunked(data, offset, end);
                    case UNTIL_CLOSE -> untilClose(data, offset, end);
                    case BODY -> browserBody(data, offset, end);
                    case IGNORE -> end;
                };
            }
        }

        @Override
        public void gap(long bytes) {
            if (state == State.LENGTH && bytes < remaining) {
                remaining -= bytes; // framing survives: the engines miss these bytes only
                return;
            }
            if (state == State.UNTIL_CLOSE) {
                return;
            }
            if (http == null && fromClient) {
                http = false; // never saw the start of a request
                counters.otherTcpFlows++;
            }
            lose();
        }

        @Override
        public void end() {
            switch (state) {
                case HEAD -> {
                    if (head.length() > 0 && !fromClient && http09(head.drain())) {
                        browserDone(); // a server that closed without a status line: all it sent was body
                    } else if (head.length() > 0) {
                        counters.httpIncomplete++;
                        if (fromClient) {
                            cutRequest();
                        }
                    }
                }
                case UNTIL_CLOSE -> bodyDone();
                case BODY -> {
                    if (!browser.closeDelimited()) {
                        counters.httpIncomplete++;
                    }
                    browserDone();
                }
                case LENGTH, CHUNKED -> {
                    counters.httpIncomplete++;
                    bodyDone();
                }
                case IGNORE -> { }
            }
            if (http == null && fromClient) {
                http = false;
                counters.otherTcpFlows++;
            }
            state = State.IGNORE;
        }

        /** This direction cannot be followed any more; what it had is closed properly. */
        private void lose() {
            if (state == State.BODY) {
                counters.httpIncomplete++;
                browserDone();
            } else if (state == State.LENGTH || state == State.CHUNKED || state == State.UNTIL_CLOSE) {
                counters.httpIncomplete++;
                bodyDone();
            }
            state = State.IGNORE;
        }

        // ---- heads ----------------------------------------------------------------------------

        private int head(byte[] data, int offset, int end) {
            if (head.length() == 0) {
                while (offset < end && (data[offset] == '\r' || data[offset] == '\n')) {
                    offset++; // empty lines before a message are allowed (RFC 9112 §2.2)
                }
                if (offset == end) {
                    return end;
                }
            }
            int take = Math.min(end - offset, head.room());
            if (take <= 0) {
                if (!fromClient && LenientResponse.statusLine(head.peek()) < 0 && http09(head.drain())) {
                    return offset;
                }
                counters.httpParseErrors++;
                lose();
                return end;
            }
            int before = head.length();
            head.append(data, offset, take);
            if (http == null && fromClient && !head.looksLikeRequest()) {
                http = false;
                counters.otherTcpFlows++;
                stopParsing();
                return end;
            }
            int stop = head.end();
            if (stop < 0) {
                return offset + take; // the bound is checked when more comes
            }
            String text = head.take(stop);
            if (fromClient) {
                request(text);
            } else {
                response(text);
            }
            return offset + stop - before;
        }

        private void request(String text) {
            List<String> lines = HttpSyntax.lines(text);
            String[] start = HttpSyntax.requestLine(lines.isEmpty() ? "" : lines.get(0));
            List<Header> headers = HttpSyntax.headers(lines, limits.maxHeaders());
            if (start.length != 3 || start[0].isEmpty() || start[1].isEmpty() || !start[2].startsWith("HTTP/1.")
                    || headers == null) {
                counters.httpParseErrors++;
                if (http == null) {
                    http = false;
                    counters.otherTcpFlows++;
                }
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
                    .connection(connection);
            for (Header h : headers) {
                builder.header(h.name(), h.value());
            }
            InspectionRequest request = builder.build();
            if (exchanges.size() >= limits.maxOpenExchanges()) {
                counters.httpOverLimit++;
                lose();
                return;
            }
            HttpExchange e = new HttpExchange(request, host.open(request));
            if (e.inspection == null) {
                counters.httpOverLimit++;
            }
            exchanges.addLast(e);
            current = e;
            String te = HttpSyntax.last(headers, "Transfer-Encoding");
            if (te != null) {
                if (!HttpSyntax.lastCoding(te).equals("chunked")) {
                    counters.httpParseErrors++; // a request body must end by chunked framing
                    lose();
                    return;
                }
                startChunked();
                return;
            }
            long length = HttpSyntax.contentLength(headers);
            if (length == -2) {
                length = 0; // a request without Content-Length or Transfer-Encoding has no body
            }
            if (length < 0) {
                counters.httpParseErrors++; // the body's end is unknown: reported when the connection ends
                current = null;
                lose();
                return;
            }
            startLength(length);
        }

        /** A response head, read as a browser reads it; its body is undone the same way ({@link BrowserBody}). */
        private void response(String text) {
            HttpExchange e = firstUnanswered();
            Set<String> quirks = e != null ? e.quirks : new LinkedHashSet<>();
            LenientResponse r = LenientResponse.parse(text, quirks);
            if (r == null && http09(text.getBytes(StandardCharsets.ISO_8859_1))) {
                return;
            }
            if (r == null || r.headers().size() > limits.maxHeaders()) {
                counters.httpParseErrors++;
                lose();
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
                    answered(e, r.headers());
                    stopParsing();
                    return;
                } else if (code != 204) {
                    return; // an interim response: the final one follows
                }
            }
            counters.httpResponses++;
            current = e;
            if (e != null && e.inspection != null) {
                e.inspection.headers(Direction.RESPONSE, r.decodedHeaders()); // the body comes decoded
            }
            if (e != null && e.connect && code / 100 == 2) {
                counters.httpTunnels++;
                answered(e, List.of());
                stopParsing();
                return;
            }
            if ((e != null && e.head) || code == 204 && !framed || code == 304) {
                startLength(0);
                return;
            }
            browser = new BrowserBody(r.contentLength(), r.joined("Transfer-Encoding"), r.joined("Content-Encoding"),
                    quirks, this::body);
            state = State.BODY;
            if (browser.finished()) {
                browserDone();
            }
        }

        /**
         * A request head the capture (or connection) ends inside: once its request line is complete
         * it is inspected with the header lines that are complete, as Suricata inspects it.
         */
        private void cutRequest() {
            String held = head.peek();
            int lf = held.lastIndexOf('\n');
            if (lf > 0 && head.looksLikeRequest()) {
                head.drain();
                request(held.substring(0, lf + 1) + "\r\n");
            }
        }

        private HttpExchange firstUnanswered() {
            for (HttpExchange x : exchanges) {
                if (!x.responseDone) {
                    return x;
                }
            }
            return null;
        }

        /** A server answering without a status line (HTTP/0.9, or junk): all it sends is body, until it closes. */
        private boolean http09(byte[] held) {
            HttpExchange e = firstUnanswered();
            if (e == null) {
                return false;
            }
            e.quirks.add("response without a status line (HTTP/0.9)");
            counters.httpResponses++;
            current = e;
            if (e.inspection != null) {
                e.inspection.headers(Direction.RESPONSE, List.of());
            }
            browser = new BrowserBody(-1, "", "", e.quirks, this::body);
            state = State.BODY;
            browser.feed(held, 0, held.length);
            return true;
        }

        private void answered(HttpExchange e, List<Header> headers) {
            if (e == null) {
                return;
            }
            if (e.inspection != null && !headers.isEmpty()) {
                e.inspection.headers(Direction.RESPONSE, headers);
            }
            e.requestDone = true;
            e.responseDone = true;
            finishDone();
            if (!e.finished) {
                exchanges.remove(e);
                finish(e);
            }
        }

        // ---- bodies ---------------------------------------------------------------------------

        private void startLength(long length) {
            remaining = length;
            state = State.LENGTH;
            if (length == 0) {
                bodyDone();
            }
        }

        private void startChunked() {
            chunked = new ChunkedDecoder();
            state = State.CHUNKED;
        }

        private int length(byte[] data, int offset, int end) {
            int n = (int) Math.min(remaining, end - offset);
            body(data, offset, n);
            remaining -= n;
            if (remaining == 0) {
                bodyDone();
            }
            return offset + n;
        }

        private int chunked(byte[] data, int offset, int end) {
            ByteBuffer in = ByteBuffer.wrap(data, offset, end - offset);
            boolean failed = false;
            try {
                chunked.decode(in, decoded -> { });
            } catch (IOException | RuntimeException e) { // BodyFormatException: the framing is broken
                failed = true;
            }
            int used = in.position() - offset;
            body(data, offset, used);
            if (failed) {
                counters.httpParseErrors++;
                lose();
                return end;
            }
            if (chunked.finished()) {
                chunked = null;
                bodyDone();
            }
            return offset + used;
        }

        private int browserBody(byte[] data, int offset, int end) {
            int used = browser.feed(data, offset, end - offset);
            if (browser.finished()) {
                browserDone();
            }
            return offset + used;
        }

        private void browserDone() {
            BrowserBody b = browser;
            browser = null;
            b.end(); // the decoders let out what they hold
            bodyDone();
        }

        private int untilClose(byte[] data, int offset, int end) {
            body(data, offset, end - offset);
            return end;
        }

        private void body(byte[] data, int offset, int length) {
            if (length > 0 && current != null && current.inspection != null && !current.finished) {
                current.inspection.body(fromClient ? Direction.REQUEST : Direction.RESPONSE,
                        ByteBuffer.wrap(data, offset, length));
            }
        }

        private void bodyDone() {
            state = State.HEAD;
            chunked = null;
            HttpExchange e = current;
            current = null;
            if (e == null || e.finished) {
                return;
            }
            if (e.inspection != null) {
                e.inspection.endOfBody(fromClient ? Direction.REQUEST : Direction.RESPONSE);
            }
            if (fromClient) {
                e.requestDone = true;
            } else {
                e.responseDone = true;
            }
            finishDone();
        }
    }
}
