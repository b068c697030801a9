package org.omamori.proxy;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
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

    /** Fields that belong to one connection and are never forwarded (RFC 9110 §7.6.1). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive", "te",
            "upgrade", "proxy-authorization", "proxy-authenticate", "expect");

    private static final byte[] TLS_ACCESS_DENIED = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};

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
            in = new HttpInput(client.getInputStream(), 16 << 10);
            out = new BufferedOutputStream(client.getOutputStream(), 16 << 10);
            if (listener.mode() == Listener.Mode.TRANSPARENT_TLS) {
                client.setSoTimeout(millis(settings.headTimeout()));
                tunnel(null);
                return;
            }
            while (exchange()) {
                // next request on the same connection
            }
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
        client.setSoTimeout(millis(settings.headTimeout()));
        Head request;
        Target target;
        Framing framing;
        try {
            request = Head.request(in.readHead(settings.maxRequestLine(), settings.maxHead(), true));
            if (request.method().equals("CONNECT")) {
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
                out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                tunnel(t);
                return false;
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

    private Target targetOf(Head request) throws HttpProtocolException {
        List<String> hosts = request.tokens("Host");
        if (request.count("Host") > 1) {
            throw new HttpProtocolException(400, "more than one Host header");
        }
        if (listener.mode() == Listener.Mode.EXPLICIT) {
            if (request.target().startsWith("/")) {
                throw new HttpProtocolException(400, "this is a proxy: send absolute http:// URLs");
            }
            return Target.absolute(request.target());
        }
        if (hosts.isEmpty()) {
            throw new HttpProtocolException(400, "no Host header");
        }
        return Target.originForm(request.target(), request.header("Host").orElseThrow().strip());
    }

    /** Inspects and forwards one request; true when the client connection stays usable. */
    private boolean forward(Head request, Target target, Framing requestFraming) throws IOException {
        InetAddress address = resolve(target.host());
        InspectionRequest.Builder facts = InspectionRequest.http(request.method(), target.url())
                .host(target.host())
                .connection(connection(address == null ? InetAddress.getLoopbackAddress() : address, target.port()));
        for (Header h : request.headers()) {
            facts.header(h.name(), h.value());
        }
        InspectionRequest facts0 = facts.build();
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
                    requestBody.writeTo(origin.out);
                    requestBody.release();
                }
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
                    response = Head.response(origin.in.readHead(settings.maxHead(), settings.maxHead(), false));
                }
                framing = Framing.ofResponse(request.method(), response);
            } catch (HttpProtocolException e) {
                closeOrigin();
                refuse(e.status, e.getMessage());
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
                        responseBody.writeTo(out);
                        responseBody.release();
                    }
                    sent[0] += slice.remaining();
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
                    refuse(502, "the origin's response body is malformed");
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
                responseBody.writeTo(out);
            }
            out.flush();
            boolean originReusable = f != Framing.UNTIL_CLOSE && !head.tokens("Connection").contains("close") && !head.http10();
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
                if (chunked != null) {
                    wire = slice.duplicate();
                    try {
                        chunked.decode(slice, decoded -> { });
                    } catch (BodyFormatException e) {
                        if (direction == Direction.REQUEST) {
                            refuse(400, "malformed chunked body: " + e.getMessage());
                        }
                        return null;
                    }
                    wire.limit(slice.position());
                    from.unread(slice.remaining());
                } else if (remaining != Long.MAX_VALUE) {
                    remaining -= slice.remaining();
                }
                verdict = inspection.body(direction, wire.asReadOnlyBuffer()).verdict();
                if (verdict.intervenes()) {
                    return verdict;
                }
                forward.accept(wire);
            }
            return inspection.endOfBody(direction).verdict();
        }

        private void writeRequestHead(Target target) throws IOException {
            StringBuilder head = new StringBuilder(512);
            head.append(request.method()).append(' ').append(target.path()).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(target.authority()).append("\r\n");
            List<String> connectionTokens = request.tokens("Connection");
            for (Header h : request.headers()) {
                String name = h.name().toLowerCase(Locale.ROOT);
                if (name.equals("host") || HOP_BY_HOP.contains(name) || connectionTokens.contains(name)) {
                    continue;
                }
                head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
            head.append("Via: 1.1 omamori\r\n\r\n");
            origin.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        private void writeResponseHead(Head response, Framing framing) throws IOException {
            StringBuilder head = new StringBuilder(512);
            head.append("HTTP/1.1 ").append(response.second()).append(' ').append(response.third()).append("\r\n");
            List<String> connectionTokens = response.tokens("Connection");
            for (Header h : response.headers()) {
                String name = h.name().toLowerCase(Locale.ROOT);
                if (HOP_BY_HOP.contains(name) || connectionTokens.contains(name)) {
                    continue;
                }
                head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
            if (framing == Framing.UNTIL_CLOSE || !clientKeepsAlive()) {
                head.append("Connection: close\r\n");
            } else if (request.http10()) {
                head.append("Connection: keep-alive\r\n");
            }
            head.append("Via: 1.1 omamori\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
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
                publish(facts, inspection.result());
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

    /**
     * A TLS connection: the ClientHello is read (not decrypted), its SNI decides; a blocked one
     * gets a TLS access_denied alert and is closed, an allowed one is spliced to the server.
     */
    private void tunnel(Target connectTarget) throws IOException {
        proxy.counters.tunnels.increment();
        ClientHello hello;
        try {
            hello = ClientHello.read(in);
        } catch (ClientHello.NotTls e) {
            proxy.counters.malformed.increment();
            LOG.debug("tunnel from {} refused: {}", client.getRemoteSocketAddress(), e.getMessage());
            return;
        }
        String host = hello.serverName().isEmpty() ? (connectTarget == null ? "" : connectTarget.host()) : hello.serverName();
        if (host.isEmpty()) {
            // A transparent TLS connection without SNI: there is no way to know where it goes.
            proxy.counters.malformed.increment();
            return;
        }
        int port = connectTarget == null ? 443 : connectTarget.port();
        String dialHost = connectTarget == null ? host : connectTarget.host();
        InetAddress address = resolve(dialHost);
        InspectionRequest facts = InspectionRequest.tls(hello.serverName()).host(host)
                .connection(connection(address == null ? InetAddress.getLoopbackAddress() : address, port)).build();
        PipelineResult result = proxy.pipeline.inspect(facts);
        publish(facts, result);
        if (result.verdict().action() == Action.BLOCK) {
            proxy.counters.blocked.increment();
            LOG.info("blocked TLS to {} ({})", host, rule(result.verdict()));
            out.write(TLS_ACCESS_DENIED);
            out.flush();
            return;
        }
        if (address == null) {
            return;
        }
        try (Socket server = new Socket()) {
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(address, port), millis(settings.connectTimeout()));
            client.setSoTimeout(0);
            OutputStream toServer = server.getOutputStream();
            toServer.write(hello.bytes());
            // Bytes the client sent after its ClientHello are already in our buffer.
            ByteBuffer rest;
            while (in.buffered() > 0 && (rest = in.next(Integer.MAX_VALUE)) != null) {
                toServer.write(rest.array(), rest.arrayOffset() + rest.position(), rest.remaining());
            }
            toServer.flush();
            Thread up = Thread.ofVirtual().start(() -> splice(client, server));
            splice(server, client);
            WebProxy.closeQuietly(server);
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("tunnel to {} ended: {}", host, e.toString());
        }
    }

    /** Copies until either side closes, then half-closes the other. */
    private static void splice(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            WebProxy.closeQuietly(to);
            WebProxy.closeQuietly(from);
        }
    }

    private Connection connection(InetAddress destination, int port) {
        InetSocketAddress remote = (InetSocketAddress) client.getRemoteSocketAddress();
        return new Connection(new ZonePair(listener.zone(), settings.serverZone()), remote.getAddress(), remote.getPort(),
                destination, port, Optional.empty());
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private void publish(InspectionRequest facts, PipelineResult result) {
        var list = proxy.events.of(facts, result, false);
        if (!list.isEmpty()) {
            proxy.sink.publish(list);
        }
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

    private static String rule(Verdict v) {
        return v.finding().map(f -> f.ruleId() + " " + f.ruleName()).orElse("");
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
