package org.omamori.ids;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

import org.omamori.api.engine.Direction;
import org.omamori.http.ChunkedDecoder;

/**
 * One direction of an HTTP connection: its bytes cut into heads, which {@link HttpSession}
 * interprets, and bodies framed as the head said (length, chunked, until close, or as a browser
 * reads a response), passed on to the current exchange's inspection.
 */
final class HttpSide implements TcpStream.Receiver {

    private enum State { HEAD, LENGTH, CHUNKED, UNTIL_CLOSE, BODY, TUNNEL, IGNORE }

    private final HttpSession session;
    private final HttpExchanges exchanges;
    private final ReplayCounters counters;
    private final boolean fromClient;
    private State state = State.HEAD;
    private final HeadBuffer head;
    private long remaining;
    private ChunkedDecoder chunked;
    private BrowserBody browser;
    private HttpExchange current;
    /** Where this direction's bytes go once the connection is a tunnel. */
    private TcpStream.Receiver tunnel;

    HttpSide(HttpSession session, HttpExchanges exchanges, ReplayCounters counters, int maxHeadBytes, boolean fromClient) {
        this.session = session;
        this.exchanges = exchanges;
        this.counters = counters;
        this.fromClient = fromClient;
        this.head = new HeadBuffer(maxHeadBytes, !fromClient);
    }

    @Override
    public void data(byte[] data, int offset, int length) {
        if (!fromClient && !session.isHttp()) {
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
                case TUNNEL -> {
                    tunnel.data(data, offset, end - offset);
                    yield end;
                }
                case IGNORE -> end;
            };
        }
    }

    @Override
    public void gap(long bytes) {
        if (state == State.TUNNEL) {
            tunnel.gap(bytes);
            return;
        }
        if (state == State.LENGTH && bytes < remaining) {
            remaining -= bytes; // framing survives: the engines miss these bytes only
            return;
        }
        if (state == State.UNTIL_CLOSE) {
            return;
        }
        if (fromClient) {
            session.notHttp(); // never saw the start of a request
        }
        lose();
    }

    @Override
    public void end() {
        if (state == State.TUNNEL) {
            tunnel.end();
            return;
        }
        switch (state) {
            case HEAD -> {
                if (head.length() > 0 && !fromClient && cutResponse()) {
                    return; // its body, if any, ended with it
                }
                if (head.length() > 0 && !fromClient && session.http09(head.drain())) {
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
            case TUNNEL, IGNORE -> { }
        }
        if (fromClient) {
            session.notHttp();
        }
        state = State.IGNORE;
    }

    /** Stops reading this direction without closing what it had (the connection stopped being parsed). */
    void ignore() {
        state = State.IGNORE;
    }

    /**
     * The connection became a tunnel: what this direction held and all it sends from now on go to
     * {@code receiver} (a body being framed is ended first).
     */
    void tunnel(TcpStream.Receiver receiver) {
        lose();
        tunnel = receiver;
        state = State.TUNNEL;
        if (head.length() > 0) {
            byte[] held = head.drain();
            receiver.data(held, 0, held.length);
        }
    }

    boolean ignored() {
        return state == State.IGNORE;
    }

    /** This direction cannot be followed any more; what it had is closed properly. */
    void lose() {
        if (state == State.BODY) {
            counters.httpIncomplete++;
            browserDone();
        } else if (state == State.LENGTH || state == State.CHUNKED || state == State.UNTIL_CLOSE) {
            counters.httpIncomplete++;
            bodyDone();
        }
        state = State.IGNORE;
    }

    /** The exchange the next body belongs to (null: none, its bytes are only framed). */
    void current(HttpExchange e) {
        current = e;
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
            if (!fromClient && LenientResponse.statusLine(head.peek()) < 0 && session.http09(head.drain())) {
                return offset;
            }
            counters.httpParseErrors++;
            lose();
            return end;
        }
        int before = head.length();
        head.append(data, offset, take);
        if (fromClient && session.undecided() && !head.looksLikeRequest()) {
            session.notHttp();
            session.stopParsing();
            return end;
        }
        int stop = head.end();
        if (stop < 0) {
            return offset + take; // the bound is checked when more comes
        }
        String text = head.take(stop);
        if (fromClient) {
            session.request(text);
        } else {
            session.response(text);
        }
        return offset + stop - before;
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
            session.request(held.substring(0, lf + 1) + "\r\n");
        }
    }

    /**
     * A response head the connection closes inside, after its status line and some complete
     * header lines: read with the lines it has, as libhtp reads it at close (Suricata inspects those
     * headers), then ended. False when no complete line is a status line (HTTP/0.9 or junk).
     */
    private boolean cutResponse() {
        String held = head.peek();
        int lf = held.lastIndexOf('\n');
        if (lf < 0 || LenientResponse.statusLine(held.substring(0, lf + 1)) < 0) {
            return false;
        }
        head.drain();
        counters.httpIncomplete++;
        session.response(held.substring(0, lf + 1) + "\r\n");
        if (state == State.BODY) {
            browserDone(); // the body it framed ends here too (the message is counted once)
        } else if (state != State.HEAD && state != State.IGNORE) {
            bodyDone();
        }
        state = State.IGNORE;
        return true;
    }

    // ---- bodies ---------------------------------------------------------------------------

    void startLength(long length) {
        remaining = length;
        state = State.LENGTH;
        if (length == 0) {
            bodyDone();
        }
    }

    void startChunked() {
        chunked = new ChunkedDecoder();
        state = State.CHUNKED;
    }

    /** A response body read as a browser reads it ({@link BrowserBody}); returned for the caller to feed or end. */
    BrowserBody startBrowser(long length, String te, String ce, Set<String> quirks) {
        browser = new BrowserBody(length, te, ce, quirks, this::body);
        state = State.BODY;
        return browser;
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

    void browserDone() {
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
        exchanges.finishDone();
    }
}
