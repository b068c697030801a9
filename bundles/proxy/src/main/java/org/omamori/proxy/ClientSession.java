package org.omamori.proxy;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.StreamingInspection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: HTTP exchanges one after another (keep-alive), or a TLS tunnel after
 * CONNECT or on a transparent TLS listener. Here: the request head read within its deadline and
 * checked, its target and destination decided on, and the proxy's own answers (refusals); the
 * exchange itself is an {@link Exchange}, its bodies go through {@link BodyRelay}, a tunnel is a
 * {@link Tunnel}.
 */
final class ClientSession {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    final WebProxy proxy;
    final ProxySettings settings;
    private final Listener listener;
    final Socket client;
    HttpInput in;
    OutputStream out;
    /** Writes the heads this connection forwards, in one buffer reused from exchange to exchange. */
    final ForwardedHead heads = new ForwardedHead();
    /** The engines' headers of this connection's last response: the next one shares what is the same ({@link Head#headersWithStatusLine(List)}). */
    List<org.omamori.api.engine.Header> lastResponseHeaders;
    /** Where this connection's request and response heads are read, one exchange at a time ({@link HttpInput.HeadBuffer}). */
    final HttpInput.HeadBuffer requestHead = new HttpInput.HeadBuffer();
    final HttpInput.HeadBuffer responseHead = new HttpInput.HeadBuffer();
    /** The bodies of this connection's exchange, one exchange at a time: emptied by {@link Exchange#release()}, kept for the next. */
    final HeldBody requestBody;
    final HeldBody responseBody;
    /**
     * The facts of this connection's last destination, given again while its requests go to the same
     * address and port (a connection's source never changes; {@code getRemoteSocketAddress} made a new
     * address on every call).
     */
    private Connection lastConnection;
    /** The origin pool's key of this connection's last destination, likewise. */
    private OriginPool.Key lastOriginKey;

    ClientSession(WebProxy proxy, Listener listener, Socket client) {
        this.proxy = proxy;
        this.settings = proxy.settings;
        this.listener = listener;
        this.client = client;
        this.requestBody = new HeldBody(settings.holdBytes(), proxy.holdBudget, proxy.heldBlocks, proxy.largeHeldBlocks);
        this.responseBody = new HeldBody(settings.holdBytes(), proxy.holdBudget, proxy.heldBlocks, proxy.largeHeldBlocks);
    }

    /** The origin pool's key of {@code address}:{@code port}. */
    OriginPool.Key originKey(InetAddress address, int port) {
        OriginPool.Key k = lastOriginKey;
        if (k == null || !k.is(address, port)) {
            k = OriginPool.Key.of(address, port);
            lastOriginKey = k;
        }
        return k;
    }

    /** The connection facts of a request from this client to {@code destination}:{@code port}. */
    Connection connectionTo(InetAddress destination, int port) {
        Connection c = lastConnection;
        if (c == null || c.destinationPort() != port || !c.destination().equals(destination)) {
            c = proxy.connection(listener, client, destination, port);
            lastConnection = c;
        }
        return c;
    }

    void run() {
        try (client) {
            client.setTcpNoDelay(true);
            in = new HttpInput(client, 16 << 10, proxy.readDeadlines);
            out = new BufferedOutputStream(client.getOutputStream(), 16 << 10);
            if (listener.mode() == Listener.Mode.TRANSPARENT_TLS) {
                in.readTimeout(millis(settings.headTimeout()));
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
        } finally {
            if (in != null) {
                in.close();
            }
        }
    }

    /** Serves one request; true when the connection may carry another. */
    private boolean exchange() throws IOException {
        in.readTimeout(millis(settings.idleTimeout()));
        if (in.atEndBeforeMessage()) {
            return false;
        }
        // From its first byte, the whole head must arrive within headTimeout (slowloris).
        in.readTimeout(millis(settings.headTimeout()));
        in.deadline(settings.headTimeout().toMillis());
        Head request;
        Target target;
        Framing framing;
        try {
            request = Head.request(in.readHead(settings.maxRequestLine(), settings.maxHead(), true, requestHead));
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
        if (request.count(KnownField.CONTENT_LENGTH) > 0 || request.count(KnownField.TRANSFER_ENCODING) > 0) {
            throw new HttpProtocolException(400, "CONNECT with a body");
        }
        InetAddress address = Destinations.resolve(t.host());
        // A name that does not resolve still gets its ClientHello read and decided on (a listed
        // name is an event even when it has no address); the tunnel then ends there.
        String why = address == null ? null : proxy.destinations.refusal(address);
        if (why != null) {
            proxy.refusedDestination(InspectionRequest.tls("").host(t.host())
                    .connection(connectionTo(address, t.port())).build(), address, why);
            throw new HttpProtocolException(403, "the proxy does not connect to " + t.host() + ": " + why);
        }
        out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        new Tunnel(proxy, listener, client, in, out).run(t, address);
        return false;
    }

    private Target targetOf(Head request) throws HttpProtocolException {
        if (request.count(KnownField.HOST) > 1) {
            throw new HttpProtocolException(400, "more than one Host header");
        }
        Target target;
        if (listener.mode() == Listener.Mode.EXPLICIT) {
            if (request.target().startsWith("/")) {
                throw new HttpProtocolException(400, "this is a proxy: send absolute http:// URLs");
            }
            target = Target.absolute(request.target());
        } else {
            if (request.count(KnownField.HOST) == 0) {
                throw new HttpProtocolException(400, "no Host header");
            }
            target = Target.originForm(request.target(), request.value(request.first(KnownField.HOST)).strip());
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
                .httpVersion(request.version())
                .head(request.sent())
                .connection(connectionTo(address == null ? InetAddress.getLoopbackAddress() : address, target.port()));
        for (int i = 0; i < request.fields(); i++) {
            facts.header(request.name(i), request.value(i));
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
            Exchange x = new Exchange(this, facts0, inspection, request);
            try {
                return x.run(target, address, requestFraming);
            } finally {
                x.release();
                x.publishOnce();
            }
        }
    }

    /** Answers a request the proxy will not forward, and ends the connection. */
    void refuse(int status, String why) throws IOException {
        if (status == 400 || status == 414 || status == 431 || status == 505 || status == 501) {
            proxy.counters.malformed.increment();
            LOG.info("refused a request from {}: {} {}", client.getInetAddress().getHostAddress(), status, why);
        }
        answer(status, "text/html; charset=utf-8", Pages.error(settings.brand(), status, why), List.of());
    }

    void answer(int status, String contentType, byte[] body, List<Header> extra) throws IOException {
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

    static int millis(java.time.Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
