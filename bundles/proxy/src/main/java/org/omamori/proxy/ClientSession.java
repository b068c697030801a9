package org.omamori.proxy;

import java.io.BufferedOutputStream;
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
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.http.BodyFormatException;
import org.omamori.http.ChunkedDecoder;
import org.omamori.http.NeutralisationNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: HTTP exchanges one after another (keep-alive), or a TLS tunnel after
 * CONNECT or on a transparent TLS listener. Each exchange: request head checked and inspected,
 * request body inspected (held back up to a bound), response head and body inspected (held back
 * likewise), then forwarded, blocked or replaced.
 */
final class ClientSession {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final WebProxy proxy;
    private final ProxySettings settings;
    private final Listener listener;
    private final Socket client;
    private HttpInput in;
    private OutputStream out;

    ClientSession(WebProxy proxy, Listener listener, Socket client) {
        this.proxy = proxy;
        this.settings = proxy.settings;
        this.listener = listener;
        this.client = client;
    }

    void run() {
        try (client) {
            client.setTcpNoDelay(true);
            in = new HttpInput(client, 16 << 10);
            out = new BufferedOutputStream(client.getOutputStream(), 16 << 10);
            if (listener.mode() == Listener.Mode.TRANSPARENT_TLS) {
                client.setSoTimeout(millis(settings.headTimeout()));
                new Tunnel(proxy, listener, client, in, out).run(null, null);
                return;
            }
            while (exchange()) {
                // next request on the same connection
            }
        } catch (HttpInput.DeadlineExceeded e) {
            proxy.headTimedOut(client);
        } catch (SocketTimeoutException | EOFException e) {
            LOG.debug("client {} gone: {}", client.getRemoteSocketAddress(), e.toString());
        } catch (IOException e) {
            LOG.debug("client {} connection ended: {}", client.getRemoteSocketAddress(), e.toString());
        }
    }

    /** Serves one request; true when the connection may carry another. */
    private boolean exchange() throws IOException {
        client.setSoTimeout(millis(settings.idleTimeout()));
        if (in.atEndBeforeMessage()) {
            return false;
        }
        // From its first byte, the whole head must arrive within headTimeout (slowloris).
        client.setSoTimeout(millis(settings.headTimeout()));
        in.deadline(settings.headTimeout().toMillis());
        Head request;
        Target target;
        Framing framing;
        try {
            request = Head.request(in.readHead(settings.maxRequestLine(), settings.maxHead(), true));
            in.clearDeadline();
            if (proxy.shedding(client)) { // past the memory budget: docs/operations.md "Memory budget"
                refuse(503, WebProxy.SHED);
                return false;
            }
            if (request.method().equals("CONNECT")) {
                return connect(request);
            }
            target = targetOf(request);
            framing = Framing.ofRequest(request);
        } catch (HttpProtocolException e) {
            refuse(e.status, e.getMessage());
            return false;
        }
        proxy.counters.requests.increment();
        return forward(request, target, framing);
    }

    /** CONNECT: the port and the address are checked before the tunnel is opened. */
    private boolean connect(Head request) throws IOException, HttpProtocolException {
        if (listener.mode() != Listener.Mode.EXPLICIT) {
            throw new HttpProtocolException(405, "CONNECT is for the explicit proxy port");
        }
        Target t = Target.connect(request.target());
        if (!settings.connectPorts().contains(t.port())) {
            throw new HttpProtocolException(403, "CONNECT to port " + t.port() + " is not allowed");
        }
        if (request.count("Content-Length") > 0 || request.count("Transfer-Encoding") > 0) {
            throw new HttpProtocolException(400, "CONNECT with a body");
        }
        InetAddress address = Destinations.resolve(t.host());
        // A name that does not resolve still gets its ClientHello read and decided on (a listed
        // name is an event even when it has no address); the tunnel then ends there.
        String why = address == null ? null : proxy.destinations.refusal(address);
        if (why != null) {
            proxy.refusedDestination(InspectionRequest.tls("").host(t.host())
                    .connection(proxy.connection(listener, client, address, t.port())).build(), address, why);
            throw new HttpProtocolException(403, "the proxy does not connect to " + t.host() + ": " + why);
        }
        out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        new Tunnel(proxy, listener, client, in, out).run(t, address);
        return false;
    }

    private Target targetOf(Head request) throws HttpProtocolException {
        if (request.count("Host") > 1) {
            throw new HttpProtocolException(400, "more than one Host header");
        }
        Target target;
        if (listener.mode() == Listener.Mode.EXPLICIT) {
            if (request.target().startsWith("/")) {
                throw new HttpProtocolException(400, "this is a proxy: send absolute http:// URLs");
            }
            target = Target.absolute(request.target());
        } else {
            if (request.count("Host") == 0) {
                throw new HttpProtocolException(400, "no Host header");
            }
            target = Target.originForm(request.target(), request.header("Host").orElseThrow().strip());
        }
        if (!settings.httpPorts().contains(target.port())) {
            throw new HttpProtocolException(403, "HTTP to port " + target.port() + " is not allowed");
        }
        return target;
    }

    /** Inspects and forwards one request; true when the client connection stays usable. */
    private boolean forward(Head request, Target target, Framing requestFraming) throws IOException {
        InetAddress address = Destinations.resolve(target.host());
        InspectionRequest.Builder facts = InspectionRequest.http(request.method(), target.url())
                .host(target.host())
                .connection(proxy.connection(listener, client, address == null ? InetAddress.getLoopbackAddress() : address,
                        target.port()));
        for (Header h : request.headers()) {
            facts.header(h.name(), h.value());
        }
        InspectionRequest facts0 = facts.build();
        if (address != null) {
            String why = proxy.destinations.refusal(address);
            if (why != null) {
                proxy.refusedDestination(facts0, address, why);
                refuse(403, "the proxy does not connect to " + target.host() + ": " + why);
                return false;
            }
        }
        try (StreamingInspection inspection = proxy.pipeline.open(facts0)) {
            Exchange x = new Exchange(facts0, inspection, request);
            try {
                return x.run(target, address, requestFraming);
            } finally {
                x.release();
                x.publishOnce();
            }
        }
    }

    /** The work of one request/response exchange. */
    private final class Exchange {
        final InspectionRequest facts;
        final StreamingInspection inspection;
        final Head request;
        final HeldBody requestBody = new HeldBody(settings.holdBytes(), proxy.holdBudget);
        final HeldBody responseBody = new HeldBody(settings.holdBytes(), proxy.holdBudget);
        Origin origin;
        private boolean published;

        Exchange(InspectionRequest facts, StreamingInspection inspection, Head request) {
            this.facts = facts;
            this.inspection = inspection;
            this.request = request;
        }

        boolean run(Target target, InetAddress address, Framing requestFraming) throws IOException {
            Verdict verdict = inspection.result().verdict();
            if (verdict.action() == Action.BLOCK) {
                return blocked(verdict);
            }
            if (address == null) {
                refuse(502, "the name " + target.host() + " does not resolve");
                return false;
            }
            if (requestFraming != Framing.NONE && request.tokens("Expect").contains("100-continue")) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            String key = address.getHostAddress() + "|" + target.port();
            origin = proxy.origins.take(key);
            if (origin == null) {
                origin = connect(key, address, target.port());
                if (origin == null) {
                    return false;
                }
            }
            writeRequestHead(target);
            // The request body: held until inspected, streamed past the bound.
            boolean[] streaming = {false};
            Verdict afterBody = relay(in, requestFraming, Direction.REQUEST, slice -> {
                if (!streaming[0] && requestBody.hold(slice)) {
                    return;
                }
                if (!streaming[0]) {
                    streaming[0] = true;
                    proxy.counters.bytesUp.add(requestBody.size());
                    requestBody.writeTo(origin.out);
                    requestBody.release();
                }
                proxy.counters.bytesUp.add(slice.remaining());
                origin.out.write(slice.array(), slice.arrayOffset() + slice.position(), slice.remaining());
            });
            if (afterBody == null) {
                return false; // the client broke the body's framing; already answered
            }
            if (afterBody.action() == Action.BLOCK || afterBody.action() == Action.NEUTRALISE) {
                origin.close();
                origin = null;
                return blocked(afterBody);
            }
            boolean resendable = !streaming[0];
            try {
                proxy.counters.bytesUp.add(requestBody.size());
                requestBody.writeTo(origin.out);
                origin.out.flush();
            } catch (IOException e) {
                if (!(resendable && origin.reused)) {
                    closeOrigin();
                    refuse(502, "the origin closed the connection: " + e.getMessage());
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
        private boolean resend(Target target, String key, InetAddress address) throws IOException {
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

        private boolean response(Target target, String key, InetAddress address, boolean resendable) throws IOException {
            Head response;
            Framing framing;
            try {
                try {
                    response = Head.response(origin.in.readHead(settings.maxHead(), settings.maxHead(), false));
                } catch (EOFException | java.net.SocketException stale) {
                    if (!(resendable && origin.reused)) {
                        throw stale;
                    }
                    if (!resend(target, key, address)) {
                        return false; // already answered
                    }
                    response = Head.response(origin.in.readHead(settings.maxHead(), settings.maxHead(), false));
                }
                while (response.status() >= 100 && response.status() < 200) { // interim answers: ours to drop
                    if (response.status() == 101) {
                        // Upgrade is never forwarded, so a switch of protocols is not an answer to us.
                        throw new HttpProtocolException(502, "the origin switched protocols (101) unasked");
                    }
                    response = Head.response(origin.in.readHead(settings.maxHead(), settings.maxHead(), false));
                }
                framing = Framing.ofResponse(request.method(), response);
            } catch (HttpProtocolException e) {
                closeOrigin();
                badOrigin(e.getMessage());
                return false;
            } catch (SocketTimeoutException e) {
                closeOrigin();
                refuse(504, "the origin did not answer in time");
                return false;
            } catch (IOException e) {
                closeOrigin();
                refuse(502, "the origin closed the connection: " + e.getMessage());
                return false;
            }
            PipelineResult afterHead = inspection.headers(Direction.RESPONSE, response.headers());
            if (afterHead.verdict().action() == Action.BLOCK) {
                closeOrigin();
                return blocked(afterHead.verdict());
            }
            boolean[] committed = {false};
            long[] sent = {0};
            Head head = response;
            Framing f = framing;
            Verdict verdict;
            try {
                verdict = relay(origin.in, framing, Direction.RESPONSE, slice -> {
                    if (!committed[0] && responseBody.hold(slice)) {
                        return;
                    }
                    if (!committed[0]) {
                        committed[0] = true;
                        writeResponseHead(head, f);
                        sent[0] += responseBody.size();
                        proxy.counters.bytesDown.add(responseBody.size());
                        responseBody.writeTo(out);
                        responseBody.release();
                    }
                    sent[0] += slice.remaining();
                    proxy.counters.bytesDown.add(slice.remaining());
                    out.write(slice.array(), slice.arrayOffset() + slice.position(), slice.remaining());
                });
            } catch (SocketTimeoutException e) {
                closeOrigin();
                if (!committed[0]) {
                    refuse(504, "the origin stopped sending");
                }
                return false;
            }
            if (verdict == null) {
                closeOrigin();
                if (!committed[0]) {
                    badOrigin("its response body is malformed or ended early");
                }
                return false;
            }
            if (verdict.intervenes()) {
                closeOrigin();
                publishOnce();
                if (committed[0]) {
                    // Too large to hold: the client has part of it. Cutting the connection leaves an
                    // incomplete file that the client's program reports as failed.
                    LOG.info("{} {} after {} bytes of {}: connection cut", verdict.action(), rule(verdict), sent[0], target.host());
                    client.setSoLinger(true, 0);
                    return false;
                }
                return verdict.action() == Action.NEUTRALISE ? neutralised(verdict, head) : blocked(verdict);
            }
            if (!committed[0]) {
                writeResponseHead(head, f);
                proxy.counters.bytesDown.add(responseBody.size());
                responseBody.writeTo(out);
            }
            out.flush();
            // Reused only when the response ended exactly where its framing said and nothing more
            // is waiting: bytes past it would be read as the answer to the next client's request.
            int extra = origin.in.waiting();
            if (extra > 0) {
                LOG.info("origin {} sent {} bytes after its response to {}: connection closed, not reused",
                        facts.host(), extra, client.getInetAddress().getHostAddress());
            }
            boolean originReusable = extra == 0 && f != Framing.UNTIL_CLOSE && !head.tokens("Connection").contains("close")
                    && !head.http10();
            if (originReusable) {
                proxy.origins.give(origin);
            } else {
                origin.close();
            }
            origin = null;
            return f != Framing.UNTIL_CLOSE && clientKeepsAlive();
        }

        /** Reads a framed body, passing each wire slice to the engines and then to {@code forward}. Null when the framing broke. */
        private Verdict relay(HttpInput from, Framing framing, Direction direction, SliceSink forward) throws IOException {
            Verdict verdict = inspection.result().verdict();
            if (framing instanceof Framing.None) {
                return inspection.endOfBody(direction).verdict();
            }
            ChunkedDecoder chunked = framing instanceof Framing.Chunked ? new ChunkedDecoder() : null;
            CanonicalChunks reframed = chunked == null ? null : new CanonicalChunks();
            long remaining = framing instanceof Framing.Length l ? l.bytes() : Long.MAX_VALUE;
            while (remaining > 0 && (chunked == null || !chunked.finished())) {
                ByteBuffer slice = from.next(remaining);
                if (slice == null) {
                    if (framing instanceof Framing.UntilClose) {
                        break;
                    }
                    if (direction == Direction.REQUEST) {
                        refuse(400, "the request body ended early");
                    }
                    return null;
                }
                ByteBuffer wire = slice;
                ByteBuffer onward = slice;
                if (chunked != null) {
                    wire = slice.duplicate();
                    reframed.clear();
                    try {
                        chunked.decode(slice, reframed::chunk);
                    } catch (BodyFormatException e) {
                        if (direction == Direction.REQUEST) {
                            refuse(400, "malformed chunked body: " + e.getMessage());
                        }
                        return null;
                    }
                    wire.limit(slice.position());
                    from.unread(slice.remaining());
                    if (chunked.finished()) {
                        reframed.end();
                    }
                    onward = reframed.bytes();
                } else if (remaining != Long.MAX_VALUE) {
                    remaining -= slice.remaining();
                }
                verdict = inspection.body(direction, wire.asReadOnlyBuffer()).verdict();
                if (verdict.intervenes()) {
                    return verdict;
                }
                if (onward.hasRemaining()) {
                    forward.accept(onward);
                }
            }
            return inspection.endOfBody(direction).verdict();
        }

        private void writeRequestHead(Target target) throws IOException {
            origin.out.write(ForwardedHead.request(request, target));
        }

        private void writeResponseHead(Head response, Framing framing) throws IOException {
            out.write(ForwardedHead.response(response, framing == Framing.UNTIL_CLOSE || !clientKeepsAlive(), request.http10()));
        }

        /** The origin broke HTTP: a 502 to the client, logged against the origin, not the client. */
        private void badOrigin(String why) throws IOException {
            proxy.counters.badOrigins.increment();
            LOG.info("origin {} answered {} with a malformed response: {}", facts.host(), client.getInetAddress().getHostAddress(), why);
            refuse(502, "the origin's answer is not valid HTTP: " + why);
        }

        private boolean clientKeepsAlive() {
            List<String> tokens = request.tokens("Connection");
            return request.http10() ? tokens.contains("keep-alive") : !tokens.contains("close");
        }

        /**
         * Puts the exchange's events in the spool, once. A blocked or neutralised exchange does this
         * before the client sees the answer, so no answer is ever given for an event a crash could lose.
         */
        void publishOnce() {
            if (!published) {
                published = true;
                proxy.publish(facts, inspection.result());
            }
        }

        /** Answers with the block page; the request body, if any, is not read, so the connection ends. */
        private boolean blocked(Verdict verdict) throws IOException {
            publishOnce();
            proxy.counters.blocked.increment();
            LOG.info("blocked {} ({})", facts.host(), rule(verdict));
            answer(403, "text/html; charset=utf-8", Pages.blocked(settings.brand(), facts.url(), verdict), List.of());
            return false;
        }

        /** Replaces an infected download with the notice and ends the connection cleanly. */
        private boolean neutralised(Verdict verdict, Head response) throws IOException {
            publishOnce();
            proxy.counters.neutralised.increment();
            String signature = verdict.finding().map(Finding::ruleName).orElse("");
            LOG.info("neutralised a download from {} ({})", facts.host(), rule(verdict));
            NeutralisationNotice notice = new NeutralisationNotice(signature, facts.url(), settings.brand().name(),
                    settings.brand().contact(), java.time.ZonedDateTime.now(java.time.ZoneId.of("Asia/Tokyo")));
            List<Header> keep = response.header("Content-Disposition")
                    .map(v -> List.of(new Header("Content-Disposition", v))).orElse(List.of());
            answer(200, NeutralisationNotice.CONTENT_TYPE, notice.bytes(), keep);
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

        private Origin connect(String key, InetAddress address, int port) throws IOException {
            try {
                return Origin.connect(key, new InetSocketAddress(address, port), millis(settings.connectTimeout()),
                        millis(settings.originTimeout()));
            } catch (SocketTimeoutException e) {
                refuse(504, "connecting to " + facts.host() + " timed out");
            } catch (IOException e) {
                refuse(502, "cannot connect to " + facts.host() + ": " + e.getMessage());
            }
            return null;
        }
    }

    @FunctionalInterface
    private interface SliceSink {
        void accept(ByteBuffer slice) throws IOException;
    }

    /** Answers a request the proxy will not forward, and ends the connection. */
    private void refuse(int status, String why) throws IOException {
        if (status == 400 || status == 414 || status == 431 || status == 505 || status == 501) {
            proxy.counters.malformed.increment();
            LOG.info("refused a request from {}: {} {}", client.getInetAddress().getHostAddress(), status, why);
        }
        answer(status, "text/html; charset=utf-8", Pages.error(settings.brand(), status, why), List.of());
    }

    private void answer(int status, String contentType, byte[] body, List<Header> extra) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(Pages.reason(status)).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Cache-Control: no-store\r\n");
        for (Header h : extra) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        out.write(body);
        out.flush();
    }

    static String rule(Verdict v) {
        return v.finding().map(f -> f.ruleId() + " " + f.ruleName()).orElse("");
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
