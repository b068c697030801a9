package org.omamori.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Set;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.events.Result;
import org.omamori.http.TlsRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS connection, after CONNECT or on a transparent TLS listener. The ClientHello is read (not
 * decrypted) within the head deadline; then every name the connection involves is decided on: the
 * SNI, the CONNECT host, and the address the tunnel really connects to. A ClientHello naming
 * another host than the CONNECT is an event (and blocked when configured), so a harmless SNI
 * cannot carry a tunnel to a listed host. A blocked one gets a TLS access_denied alert and is
 * closed; an allowed one is spliced to the server.
 */
final class Tunnel {

    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);
    private static final byte[] TLS_ACCESS_DENIED = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};
    /** The server's handshake bytes inspected at most (the IPS reads a certificate chain from as much). */
    static final int MAX_SERVER_HANDSHAKE = 64 * 1024;

    private final WebProxy proxy;
    private final Listener listener;
    private final Socket client;
    private final HttpInput in;
    private final OutputStream out;
    /** The TLS handshake's inspection, open from the client's hello until the server's handshake is read. */
    private StreamingInspection handshake;
    private InspectionRequest facts;

    Tunnel(WebProxy proxy, Listener listener, Socket client, HttpInput in, OutputStream out) {
        this.proxy = proxy;
        this.listener = listener;
        this.client = client;
        this.in = in;
        this.out = out;
    }

    /**
     * Runs the tunnel. {@code connectTarget} and {@code connectAddress} are the CONNECT's host and
     * the address it resolved to (already checked against the forbidden destinations), or null on
     * a transparent listener.
     */
    void run(Target connectTarget, InetAddress connectAddress) throws IOException {
        proxy.counters.tunnels.increment();
        ClientHello hello;
        in.deadline(proxy.settings.headTimeout().toMillis());
        try {
            hello = ClientHello.read(in);
        } catch (ClientHello.NotTls e) {
            proxy.counters.malformed.increment();
            LOG.debug("tunnel from {} refused: {}", client.getRemoteSocketAddress(), e.getMessage());
            return;
        } catch (HttpInput.DeadlineExceeded e) {
            proxy.headTimedOut(client);
            return;
        }
        in.clearDeadline();
        String sni = hello.serverName();
        String connectHost = connectTarget == null ? "" : connectTarget.host();
        if (sni.isEmpty() && connectTarget == null) {
            // A transparent TLS connection without SNI: there is no way to know where it goes.
            proxy.counters.malformed.increment();
            return;
        }
        int port = connectTarget == null ? 443 : connectTarget.port();
        InetAddress address = connectTarget == null ? Destinations.resolve(sni) : connectAddress;
        String host = sni.isEmpty() ? connectHost : sni;
        Connection connection = proxy.connection(listener, client, address == null ? InetAddress.getLoopbackAddress() : address, port);
        InspectionRequest facts = InspectionRequest.tls(sni).host(host).connection(connection).build();
        if (connectTarget == null && address != null) {
            String why = proxy.destinations.refusal(address);
            if (why != null) {
                proxy.refusedDestination(facts, address, why);
                deny();
                return;
            }
        }
        if (!sni.isEmpty() && connectTarget != null && !sni.equals(connectHost)) {
            boolean block = proxy.settings.blockSniMismatch();
            proxy.publish(java.util.List.of(proxy.events.intake(facts, SecurityFunction.URL_FILTERING, "proxy:sni-mismatch",
                    "CONNECT host and TLS server name differ", block ? Result.BLOCK : Result.PASS, Level.MEDIUM, Evidence.POLICY,
                    "CONNECT " + connectHost + ":" + port + ", SNI " + sni)));
            LOG.info("CONNECT {}:{} from {} names {} in its ClientHello{}", connectHost, port,
                    client.getInetAddress().getHostAddress(), sni, block ? ": blocked" : "");
            if (block) {
                proxy.counters.blocked.increment();
                deny();
                return;
            }
        }
        try {
            if (blockedByAnyName(facts, sni, connectHost, address, connection, hello)) {
                deny();
                return;
            }
            if (address == null) {
                return;
            }
            splice(hello, address, port, host);
        } finally {
            endHandshake(null);
        }
    }

    /**
     * The SNI (or the CONNECT host when there is none) goes through every engine; the CONNECT host
     * and the address literal, when they differ, through the URL filter as well.
     */
    private boolean blockedByAnyName(InspectionRequest facts, String sni, String connectHost, InetAddress address,
                                     Connection connection, ClientHello hello) {
        // The handshake goes to the engines as it crossed the wire: the client's hello now (JA3,
        // rules on the raw hello), the server's records when they come (see splice).
        this.facts = facts;
        handshake = proxy.pipeline.open(facts);
        handshake.body(Direction.REQUEST, ByteBuffer.wrap(hello.bytes()).asReadOnlyBuffer());
        PipelineResult first = handshake.endOfBody(Direction.REQUEST);
        if (first.verdict().action() == Action.BLOCK) {
            endHandshake(first);
            proxy.counters.blocked.increment();
            LOG.info("blocked TLS to {} ({})", facts.host(), ClientSession.rule(first.verdict()));
            return true;
        }
        Set<String> others = new LinkedHashSet<>();
        others.add(connectHost);
        if (address != null) {
            others.add(address.getHostAddress());
        }
        others.remove("");
        others.remove(facts.host());
        for (String name : others) {
            InspectionRequest more = InspectionRequest.tls(sni).host(name).connection(connection)
                    .functions(Set.of(SecurityFunction.URL_FILTERING)).build();
            PipelineResult result = proxy.pipeline.inspect(more);
            proxy.publish(more, result);
            if (result.verdict().action() == Action.BLOCK) {
                proxy.counters.blocked.increment();
                LOG.info("blocked TLS to {} named {} ({})", name, facts.host(), ClientSession.rule(result.verdict()));
                return true;
            }
        }
        return false;
    }

    private void deny() throws IOException {
        out.write(TLS_ACCESS_DENIED);
        out.flush();
    }

    private void splice(ClientHello hello, InetAddress address, int port, String host) throws IOException {
        try (Socket server = new Socket()) {
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(address, port), (int) Math.min(Integer.MAX_VALUE,
                    proxy.settings.connectTimeout().toMillis()));
            client.setSoTimeout(0);
            OutputStream toServer = server.getOutputStream();
            toServer.write(hello.bytes());
            proxy.counters.bytesUp.add(hello.bytes().length);
            // Bytes the client sent after its ClientHello are already in our buffer.
            ByteBuffer rest;
            while (in.buffered() > 0 && (rest = in.next(Integer.MAX_VALUE)) != null) {
                proxy.counters.bytesUp.add(rest.remaining());
                toServer.write(rest.array(), rest.arrayOffset() + rest.position(), rest.remaining());
            }
            toServer.flush();
            Thread up = Thread.ofVirtual().start(() -> copy(client, server, proxy.counters.bytesUp));
            if (serverHandshake(server)) {
                copy(server, client, proxy.counters.bytesDown);
            } else {
                WebProxy.closeQuietly(client);
            }
            WebProxy.closeQuietly(server);
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("tunnel to {} ended: {}", host, e.toString());
        }
    }

    /**
     * The server's handshake records go to the engines chunk by chunk, each before it is sent on, up
     * to the first record that is no handshake (after a ChangeCipherSpec everything is encrypted)
     * or {@value #MAX_SERVER_HANDSHAKE} bytes: so a rule on the certificate of a TLS 1.0-1.2 server
     * ({@code tls.cert_subject}, JA3S, …) can stop the connection before the handshake completes.
     * False when it was stopped (the client got a TLS alert).
     */
    private boolean serverHandshake(Socket server) throws IOException {
        if (handshake == null) {
            return true;
        }
        java.io.InputStream from = server.getInputStream();
        byte[] buffer = new byte[16 * 1024];
        TlsRecords records = new TlsRecords();
        int inspected = 0;
        while (!records.ended() && inspected < MAX_SERVER_HANDSHAKE) {
            int n = from.read(buffer);
            if (n < 0) {
                break;
            }
            int handshakeBytes = Math.min(records.handshake(buffer, 0, n), MAX_SERVER_HANDSHAKE - inspected);
            inspected += handshakeBytes;
            if (handshakeBytes > 0) {
                PipelineResult result = handshake.body(Direction.RESPONSE, ByteBuffer.wrap(buffer, 0, handshakeBytes).asReadOnlyBuffer());
                if (result.verdict().action() == Action.BLOCK) {
                    endHandshake(result);
                    proxy.counters.blocked.increment();
                    LOG.info("blocked TLS to {} on the server's handshake ({})", facts.host(), ClientSession.rule(result.verdict()));
                    deny();
                    return false;
                }
            }
            out.write(buffer, 0, n);
            out.flush();
            proxy.counters.bytesDown.add(n);
        }
        endHandshake(handshake.endOfBody(Direction.RESPONSE));
        return true;
    }

    /** Publishes the handshake's result (the latest there is when null) and closes its inspection, once. */
    private void endHandshake(PipelineResult result) {
        StreamingInspection h = handshake;
        if (h == null) {
            return;
        }
        handshake = null;
        try {
            proxy.publish(facts, result != null ? result : h.result());
        } finally {
            h.close();
        }
    }

    /** Copies until either side closes, then half-closes the other. */
    private static void copy(Socket from, Socket to, java.util.concurrent.atomic.LongAdder bytes) {
        try {
            java.io.InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                bytes.add(n); // per chunk, so a long-lived tunnel shows in the scrape while it lasts
            }
            to.shutdownOutput();
        } catch (IOException e) {
            WebProxy.closeQuietly(to);
            WebProxy.closeQuietly(from);
        }
    }
}
