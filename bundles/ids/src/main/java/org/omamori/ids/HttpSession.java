package org.omamori.ids;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
final class HttpSession {

    /** What a session needs from the replay. */
    interface Host {
        /** Opens an inspection, or returns null when too many are open. */
        StreamingInspection open(InspectionRequest request);

        /** Takes the result of a finished exchange (events, summary) and closes the inspection. */
        void finish(InspectionRequest request, StreamingInspection inspection);
    }

    /** One request and its response. */
    private static final class Exchange {
        final InspectionRequest request;
        final StreamingInspection inspection;
        final boolean head;
        final boolean connect;
        boolean requestDone;
        boolean responseDone;
        boolean finished;

        Exchange(InspectionRequest request, StreamingInspection inspection) {
            this.request = request;
            this.inspection = inspection;
            this.head = request.method().equals("HEAD");
            this.connect = request.method().equals("CONNECT");
        }
    }

    private enum State { HEAD, LENGTH, CHUNKED, UNTIL_CLOSE, IGNORE }

    private final Host host;
    private final ReplayCounters counters;
    private final ReplayLimits limits;
    private final Connection connection;
    private final Endpoint server;
    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
    final Side clientSide = new Side(true);
    final Side serverSide = new Side(false);
    private Boolean http; // null until the client's first bytes tell

    HttpSession(Host host, ReplayCounters counters, ReplayLimits limits, Connection connection, Endpoint server) {
        this.host = host;
        this.counters = counters;
        this.limits = limits;
        this.connection = connection;
        this.server = server;
    }

    /** Whether the connection turned out not to be HTTP (or stopped being parsed): its data need not be reassembled. */
    boolean ignoring() {
        return Boolean.FALSE.equals(http) || (clientSide.state == State.IGNORE && serverSide.state == State.IGNORE);
    }

    boolean isHttp() {
        return Boolean.TRUE.equals(http);
    }

    /** The connection is over: every exchange still open is reported with what was seen. */
    void close() {
        for (Exchange e : exchanges) {
            if (!e.responseDone) {
                counters.httpUnansweredRequests++;
            }
            finish(e);
        }
        exchanges.clear();
    }

    private void finish(Exchange e) {
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
        private byte[] head = new byte[256];
        private int headLength;
        private int scanned;
        private long remaining;
        private ChunkedDecoder chunked;
        private Exchange current;

        Side(boolean fromClient) {
            this.fromClient = fromClient;
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
                    if (headLength > 0) {
                        counters.httpIncomplete++;
                    }
                }
                case UNTIL_CLOSE -> bodyDone();
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
            if (state == State.LENGTH || state == State.CHUNKED || state == State.UNTIL_CLOSE) {
                counters.httpIncomplete++;
                bodyDone();
            }
            state = State.IGNORE;
        }

        // ---- heads ----------------------------------------------------------------------------

        private int head(byte[] data, int offset, int end) {
            if (headLength == 0) {
                while (offset < end && (data[offset] == '\r' || data[offset] == '\n')) {
                    offset++; // empty lines before a message are allowed (RFC 9112 §2.2)
                }
                if (offset == end) {
                    return end;
                }
            }
            int take = Math.min(end - offset, limits.maxHeadBytes() - headLength);
            if (take <= 0) {
                counters.httpParseErrors++;
                lose();
                return end;
            }
            if (headLength + take > head.length) {
                head = java.util.Arrays.copyOf(head, Math.min(limits.maxHeadBytes(), Math.max(head.length * 2, headLength + take)));
            }
            System.arraycopy(data, offset, head, headLength, take);
            int before = headLength;
            headLength += take;
            if (http == null && fromClient && !looksLikeRequest()) {
                http = false;
                counters.otherTcpFlows++;
                stopParsing();
                return end;
            }
            int stop = endOfHead();
            if (stop < 0) {
                if (headLength >= limits.maxHeadBytes()) {
                    counters.httpParseErrors++;
                    lose();
                    return end;
                }
                return offset + take;
            }
            int used = stop - before;
            String text = new String(head, 0, stop, StandardCharsets.ISO_8859_1);
            headLength = 0;
            scanned = 0;
            if (head.length > 4096) {
                head = new byte[256];
            }
            if (fromClient) {
                request(text);
            } else {
                response(text);
            }
            return offset + used;
        }

        /** Whether the first bytes can be the start of a request line: a method token then a space. */
        private boolean looksLikeRequest() {
            for (int i = 0; i < headLength; i++) {
                byte c = head[i];
                if (c == ' ') {
                    return i > 0;
                }
                if (i >= 24 || !(c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
                    return false;
                }
            }
            return true;
        }

        /** The index after the empty line ending the head, or -1. */
        private int endOfHead() {
            for (int i = Math.max(scanned, 1); i < headLength; i++) {
                if (head[i] == '\n' && (head[i - 1] == '\n' || (head[i - 1] == '\r' && i >= 2 && head[i - 2] == '\n'))) {
                    return i + 1;
                }
            }
            scanned = Math.max(1, headLength);
            return -1;
        }

        private void request(String text) {
            List<String> lines = lines(text);
            String[] start = lines.isEmpty() ? new String[0] : lines.get(0).split(" ", -1);
            List<Header> headers = headers(lines);
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
            InspectionRequest.Builder builder = InspectionRequest.http(method, url(method, start[1], headers))
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
            Exchange e = new Exchange(request, host.open(request));
            if (e.inspection == null) {
                counters.httpOverLimit++;
            }
            exchanges.addLast(e);
            current = e;
            String te = last(headers, "Transfer-Encoding");
            if (te != null) {
                if (!lastCoding(te).equals("chunked")) {
                    counters.httpParseErrors++; // a request body must end by chunked framing
                    lose();
                    return;
                }
                startChunked();
                return;
            }
            long length = contentLength(headers);
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

        private void response(String text) {
            List<String> lines = lines(text);
            String status = lines.isEmpty() ? "" : lines.get(0);
            List<Header> headers = headers(lines);
            int code = status.length() >= 12 && status.startsWith("HTTP/1.") && status.charAt(8) == ' '
                    ? parseStatus(status.substring(9, 12)) : -1;
            if (code < 0 || headers == null) {
                counters.httpParseErrors++;
                lose();
                return;
            }
            Exchange e = null;
            for (Exchange x : exchanges) {
                if (!x.responseDone) {
                    e = x;
                    break;
                }
            }
            if (e == null) {
                counters.httpUnsolicitedResponses++;
            }
            if (code >= 100 && code < 200) {
                if (code == 101) {
                    counters.httpTunnels++;
                    answered(e, headers);
                    stopParsing();
                }
                return; // an interim response: the final one follows
            }
            counters.httpResponses++;
            current = e;
            if (e != null && e.inspection != null) {
                e.inspection.headers(Direction.RESPONSE, headers);
            }
            if (e != null && e.connect && code / 100 == 2) {
                counters.httpTunnels++;
                answered(e, List.of());
                stopParsing();
                return;
            }
            if ((e != null && e.head) || code == 204 || code == 304) {
                startLength(0);
                return;
            }
            String te = last(headers, "Transfer-Encoding");
            if (te != null) {
                if (lastCoding(te).equals("chunked")) {
                    startChunked();
                } else {
                    state = State.UNTIL_CLOSE;
                }
                return;
            }
            long length = contentLength(headers);
            if (length == -2) {
                state = State.UNTIL_CLOSE;
            } else if (length < 0) {
                counters.httpParseErrors++;
                current = e;
                lose();
            } else {
                startLength(length);
            }
        }

        private void answered(Exchange e, List<Header> headers) {
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
            Exchange e = current;
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

    // ---- syntax -------------------------------------------------------------------------------

    private static List<String> lines(String head) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from < head.length()) {
            int lf = head.indexOf('\n', from);
            if (lf < 0) {
                lf = head.length();
            }
            int to = lf > from && head.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            if (to > from) {
                out.add(head.substring(from, to));
            }
            from = lf + 1;
        }
        return out;
    }

    /** The header fields after the start line, or null when one is malformed or there are too many. */
    private List<Header> headers(List<String> lines) {
        List<Header> out = new ArrayList<>(Math.max(0, lines.size() - 1));
        if (lines.size() - 1 > limits.maxHeaders()) {
            return null;
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon <= 0 || !token(line, colon)) {
                return null; // no name, a space before the colon, or obsolete line folding
            }
            out.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return out;
    }

    private static boolean token(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String last(List<Header> headers, String name) {
        String found = null;
        for (Header h : headers) {
            if (h.is(name)) {
                found = found == null ? h.value() : found + ", " + h.value();
            }
        }
        return found;
    }

    private static String lastCoding(String te) {
        int comma = te.lastIndexOf(',');
        return te.substring(comma + 1).strip().toLowerCase(Locale.ROOT);
    }

    /** The Content-Length: -2 when absent, -1 when invalid or when copies disagree. */
    private static long contentLength(List<Header> headers) {
        long length = -2;
        for (Header h : headers) {
            if (!h.is("Content-Length")) {
                continue;
            }
            for (String part : h.value().split(",", -1)) {
                String v = part.strip();
                if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return -1;
                }
                long n = Long.parseLong(v);
                if (length >= 0 && n != length) {
                    return -1;
                }
                length = n;
            }
        }
        return length;
    }

    private static int parseStatus(String s) {
        for (int i = 0; i < 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        int code = Integer.parseInt(s);
        return code >= 100 ? code : -1;
    }

    /** The request URL as the proxy would report it. */
    private String url(String method, String target, List<Header> headers) {
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            return target; // absolute form: a request to a proxy
        }
        if (method.equals("CONNECT")) {
            return "https://" + target + "/";
        }
        String authority = last(headers, "Host");
        if (authority == null || authority.isEmpty() || authority.contains(",") || !authority.chars().allMatch(
                c -> c > ' ' && c < 127 && c != '/' && c != '?' && c != '#' && c != '@' && c != '\\')) {
            authority = server.port() == 80 ? server.urlHost() : server.urlHost() + ":" + server.port();
        }
        return "http://" + authority + (target.startsWith("/") ? target : "/");
    }
}
