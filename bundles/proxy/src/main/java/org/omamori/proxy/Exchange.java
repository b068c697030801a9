package org.omamori.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.http.NeutralisationNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one request/response exchange on a client connection: the request forwarded (its
 * body held back until inspected, up to a bound), the origin's response read, inspected and held
 * likewise, then forwarded, blocked or replaced by the neutralisation notice.
 */
final class Exchange implements BodyRelay.SliceSink {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final ClientSession session;
    private final WebProxy proxy;
    private final ProxySettings settings;
    private final Socket client;
    private final HttpInput in;
    private final OutputStream out;
    final InspectionRequest facts;
    final StreamingInspection inspection;
    final Head request;
    final HeldBody requestBody;
    final HeldBody responseBody;
    Origin origin;
    private boolean published;
    /*
     * What the body relay's slices go to (this exchange is its sink: no lambda and no boxes per body):
     * the request's toward the origin, past the hold bound streamed; then the response's toward the
     * client, its head written when the first slice does not fit the hold.
     */
    private boolean relayingResponse;
    private boolean streaming;
    private boolean committed;
    private long sent;
    private Head relayedHead;
    private Framing relayedFraming;

    Exchange(ClientSession session, InspectionRequest facts, StreamingInspection inspection, Head request) {
        this.session = session;
        this.proxy = session.proxy;
        this.settings = session.settings;
        this.client = session.client;
        this.in = session.in;
        this.out = session.out;
        this.requestBody = session.requestBody;
        this.responseBody = session.responseBody;
        this.facts = facts;
        this.inspection = inspection;
        this.request = request;
    }

    boolean run(Target target, InetAddress address, Framing requestFraming) throws IOException {
        Verdict verdict = inspection.verdict();
        if (verdict.action() == Action.BLOCK) {
            return blocked(verdict);
        }
        if (address == null) {
            session.refuse(502, "the name " + target.host() + " does not resolve");
            return false;
        }
        if (requestFraming != Framing.NONE && request.hasElement(KnownField.EXPECT, "100-continue")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        OriginPool.Key key = session.originKey(address, target.port());
        origin = proxy.origins.take(key);
        if (origin == null) {
            origin = connect(key, address, target.port());
            if (origin == null) {
                return false;
            }
        }
        writeRequestHead(target);
        // The request body: held until inspected, streamed past the bound.
        Verdict afterBody = BodyRelay.relay(session, inspection, in, requestFraming, Direction.REQUEST, requestBody, this);
        if (afterBody == null) {
            return false; // the client broke the body's framing; already answered
        }
        if (afterBody.action() == Action.BLOCK || afterBody.action() == Action.NEUTRALISE) {
            origin.close();
            origin = null;
            return blocked(afterBody);
        }
        boolean resendable = !streaming;
        try {
            proxy.counters.bytesUp.add(requestBody.size());
            requestBody.writeTo(origin.out);
            origin.out.flush();
        } catch (IOException e) {
            if (!(resendable && origin.reused)) {
                closeOrigin();
                session.refuse(502, "the origin closed the connection: " + e.getMessage());
                return false;
            }
            // else: the read below fails too and the request is sent again
        }
        return response(target, key, address, resendable);
    }

    /**
     * A pooled connection the origin closed while idle fails at the first read or write; the
     * request is then sent once more on a new connection, if it was held whole.
     */
    private boolean resend(Target target, OriginPool.Key key, InetAddress address) throws IOException {
        closeOrigin();
        origin = connect(key, address, target.port());
        if (origin == null) {
            return false;
        }
        writeRequestHead(target);
        requestBody.writeTo(origin.out);
        origin.out.flush();
        return true;
    }

    private boolean response(Target target, OriginPool.Key key, InetAddress address, boolean resendable) throws IOException {
        Head response;
        Framing framing;
        try {
            try {
                response = Head.response(origin.in.readHead(settings.maxHead(), settings.maxHead(), false, session.responseHead));
            } catch (EOFException | java.net.SocketException stale) {
                if (!(resendable && origin.reused)) {
                    throw stale;
                }
                if (!resend(target, key, address)) {
                    return false; // already answered
                }
                response = Head.response(origin.in.readHead(settings.maxHead(), settings.maxHead(), false, session.responseHead));
            }
            while (response.status() >= 100 && response.status() < 200) { // interim answers: ours to drop
                if (response.status() == 101) {
                    // Upgrade is never forwarded, so a switch of protocols is not an answer to us.
                    throw new HttpProtocolException(502, "the origin switched protocols (101) unasked");
                }
                response = Head.response(origin.in.readHead(settings.maxHead(), settings.maxHead(), false, session.responseHead));
            }
            framing = Framing.ofResponse(request.method(), response);
        } catch (HttpProtocolException e) {
            closeOrigin();
            badOrigin(e.getMessage());
            return false;
        } catch (SocketTimeoutException e) {
            closeOrigin();
            session.refuse(504, "the origin did not answer in time");
            return false;
        } catch (IOException e) {
            closeOrigin();
            session.refuse(502, "the origin closed the connection: " + e.getMessage());
            return false;
        }
        // the merged verdict only: every engine's result is read once, when the exchange is published
        Verdict afterHead = inspection.headersVerdict(Direction.RESPONSE, responseHeaders(response), response.sent());
        if (afterHead.action() == Action.BLOCK) {
            closeOrigin();
            return blocked(afterHead);
        }
        Head head = response;
        Framing f = framing;
        relayingResponse = true;
        relayedHead = head;
        relayedFraming = f;
        Verdict verdict;
        try {
            verdict = BodyRelay.relay(session, inspection, origin.in, framing, Direction.RESPONSE, responseBody, this);
        } catch (SocketTimeoutException e) {
            closeOrigin();
            if (!committed) {
                session.refuse(504, "the origin stopped sending");
            }
            return false;
        }
        if (verdict == null) {
            closeOrigin();
            if (!committed) {
                badOrigin("its response body is malformed or ended early");
            }
            return false;
        }
        if (verdict.intervenes()) {
            closeOrigin();
            publishOnce();
            if (committed) {
                // Too large to hold: the client has part of it. Cutting the connection leaves an
                // incomplete file that the client's program reports as failed.
                LOG.info("{} {} after {} bytes of {}: connection cut", verdict.action(), ClientSession.rule(verdict), sent, target.host());
                client.setSoLinger(true, 0);
                return false;
            }
            return verdict.action() == Action.NEUTRALISE ? neutralised(verdict, head) : blocked(verdict);
        }
        if (!committed) {
            writeResponseHead(head, f);
            proxy.counters.bytesDown.add(responseBody.size());
            responseBody.writeTo(out);
        }
        out.flush();
        // Reused only when the response ended exactly where its framing said and nothing more
        // is waiting: bytes past it would be read as the answer to the next client's request.
        // Here only the bytes already read past it (no system call); the socket itself is asked
        // when the pool hands the connection out again (OriginPool.take), which sees the same
        // bytes and any that came while it was idle.
        int extra = origin.in.buffered();
        if (extra > 0) {
            LOG.info("origin {} sent {} bytes after its response to {}: connection closed, not reused",
                    facts.host(), extra, client.getInetAddress().getHostAddress());
        }
        boolean originReusable = extra == 0 && f != Framing.UNTIL_CLOSE && !head.hasElement(KnownField.CONNECTION, "close")
                && !head.http10();
        if (originReusable) {
            proxy.origins.give(origin);
        } else {
            origin.close();
        }
        origin = null;
        return f != Framing.UNTIL_CLOSE && clientKeepsAlive();
    }

    /** A slice of the body being relayed: held while it fits, else forwarded (with what was held before it). */
    @Override
    public void accept(ByteBuffer slice) throws IOException {
        if (relayingResponse) {
            if (!committed && responseBody.hold(slice)) {
                return;
            }
            boolean commits = !committed;
            if (commits) {
                committed = true;
                writeResponseHead(relayedHead, relayedFraming);
                sent += responseBody.size();
                proxy.counters.bytesDown.add(responseBody.size());
                responseBody.writeTo(out);
            }
            sent += slice.remaining();
            proxy.counters.bytesDown.add(slice.remaining());
            out.write(slice.array(), slice.arrayOffset() + slice.position(), slice.remaining());
            if (commits) {
                responseBody.release(); // after the slice: it may lie in the held body's last block (space())
            }
            return;
        }
        if (!streaming && requestBody.hold(slice)) {
            return;
        }
        boolean streams = !streaming;
        if (streams) {
            streaming = true;
            proxy.counters.bytesUp.add(requestBody.size());
            requestBody.writeTo(origin.out);
        }
        proxy.counters.bytesUp.add(slice.remaining());
        origin.out.write(slice.array(), slice.arrayOffset() + slice.position(), slice.remaining());
        if (streams) {
            requestBody.release(); // after the slice, as above
        }
    }

    @Override
    public ByteBuffer space() {
        if (relayingResponse) {
            return committed ? null : responseBody.space();
        }
        return streaming ? null : requestBody.space();
    }

    private void writeRequestHead(Target target) throws IOException {
        session.heads.writeRequest(request, target, origin.out);
    }

    private void writeResponseHead(Head response, Framing framing) throws IOException {
        session.heads.writeResponse(response, framing == Framing.UNTIL_CLOSE || !clientKeepsAlive(), request.http10(), out);
    }

    /** The origin broke HTTP: a 502 to the client, logged against the origin, not the client. */
    private void badOrigin(String why) throws IOException {
        proxy.counters.badOrigins.increment();
        LOG.info("origin {} answered {} with a malformed response: {}", facts.host(), client.getInetAddress().getHostAddress(), why);
        session.refuse(502, "the origin's answer is not valid HTTP: " + why);
    }

    private boolean clientKeepsAlive() {
        return request.http10() ? request.hasElement(KnownField.CONNECTION, "keep-alive")
                : !request.hasElement(KnownField.CONNECTION, "close");
    }

    /**
     * Puts the exchange's events in the spool, once. A blocked or neutralised exchange does this
     * before the client sees the answer, so no answer is ever given for an event a crash could lose.
     */
    void publishOnce() {
        if (!published) {
            published = true;
            // a clean exchange makes no event: its result (objects per engine) is not made
            if (!inspection.quiet()) {
                proxy.publish(facts, inspection.result());
            }
        }
    }

    /** The response's headers for the engines, sharing the Strings of the connection's previous response where they are the same. */
    private List<Header> responseHeaders(Head response) {
        List<Header> headers = response.headersWithStatusLine(session.lastResponseHeaders);
        session.lastResponseHeaders = headers;
        return headers;
    }

    /** Answers with the block page; the request body, if any, is not read, so the connection ends. */
    private boolean blocked(Verdict verdict) throws IOException {
        publishOnce();
        proxy.counters.blocked.increment();
        LOG.info("blocked {} ({})", facts.host(), ClientSession.rule(verdict));
        session.answer(403, "text/html; charset=utf-8", Pages.blocked(settings.brand(), facts.url(), verdict), List.of());
        return false;
    }

    /** Replaces an infected download with the notice and ends the connection cleanly. */
    private boolean neutralised(Verdict verdict, Head response) throws IOException {
        publishOnce();
        proxy.counters.neutralised.increment();
        String signature = verdict.finding().map(Finding::ruleName).orElse("");
        LOG.info("neutralised a download from {} ({})", facts.host(), ClientSession.rule(verdict));
        NeutralisationNotice notice = new NeutralisationNotice(signature, facts.url(), settings.brand().name(),
                settings.brand().contact(), java.time.ZonedDateTime.now(java.time.ZoneId.of("Asia/Tokyo")));
        List<Header> keep = response.header("Content-Disposition")
                .map(v -> List.of(new Header("Content-Disposition", v))).orElse(List.of());
        session.answer(200, NeutralisationNotice.CONTENT_TYPE, notice.bytes(), keep);
        return false;
    }

    void closeOrigin() {
        if (origin != null) {
            origin.close();
            origin = null;
        }
    }

    void release() {
        requestBody.release();
        responseBody.release();
        closeOrigin();
    }

    private Origin connect(OriginPool.Key key, InetAddress address, int port) throws IOException {
        try {
            return Origin.connect(key, new InetSocketAddress(address, port), ClientSession.millis(settings.connectTimeout()),
                    ClientSession.millis(settings.originTimeout()), proxy.readDeadlines);
        } catch (SocketTimeoutException e) {
            session.refuse(504, "connecting to " + facts.host() + " timed out");
        } catch (IOException e) {
            session.refuse(502, "cannot connect to " + facts.host() + ": " + e.getMessage());
        }
        return null;
    }
}
