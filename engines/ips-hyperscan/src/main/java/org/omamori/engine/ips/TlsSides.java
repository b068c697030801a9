package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.engine.ips.rules.Buffer;

/**
 * What one TLS inspection reads from the handshake bytes of both sides ({@link TlsServerHello}):
 * the client's hello (JA3), the server's hello (JA3S) and certificate chain, and the buffers made
 * of them. Each side is read once, until its reader says nothing more will come.
 */
final class TlsSides {

    private TlsServerHello server;
    private boolean serverDone;
    private List<byte[]> chain;
    private TlsServerHello.Buffers buffers = TlsServerHello.Buffers.NONE;
    private String ja3s;
    private TlsServerHello client;
    private boolean clientDone;
    private String ja3;

    /** Feeds the server's bytes ({@code null}: its side ended); true when the reading just finished. */
    boolean server(ByteBuffer chunk) {
        if (serverDone) {
            return false;
        }
        if (server == null) {
            server = new TlsServerHello();
        }
        if (chunk != null && !server.feed(chunk)) {
            return false;
        }
        server.finish();
        serverDone = true;
        chain = server.chain();
        buffers = chain == null ? TlsServerHello.Buffers.NONE : TlsServerHello.Buffers.of(chain.get(0));
        ja3s = server.ja3();
        server = null;
        return true;
    }

    /** Feeds the client's bytes ({@code null}: its side ended); true when its hello was just read. */
    boolean client(ByteBuffer chunk) {
        if (clientDone) {
            return false;
        }
        if (client == null) {
            client = new TlsServerHello();
        }
        if (chunk != null && !client.feed(chunk)) {
            return false;
        }
        clientDone = true;
        ja3 = client.ja3();
        client = null;
        return ja3 != null;
    }

    /** Whether the side a TLS buffer comes from has been read (before that, the buffer is unknown, not empty). */
    boolean known(Buffer buffer) {
        return buffer.tlsClientHello() ? clientDone : serverDone;
    }

    /** The server's chain (DER, its own certificate first), or none. */
    List<byte[]> chain() {
        return chain == null ? List.of() : chain;
    }

    String text(Buffer buffer) {
        return switch (buffer) {
            case TLS_CERT_SUBJECT -> buffers.subject();
            case TLS_CERT_ISSUER -> buffers.issuer();
            case TLS_CERT_SERIAL -> buffers.serial();
            case TLS_CERT_FINGERPRINT -> buffers.fingerprint();
            case JA3S_STRING -> ja3s == null ? "" : ja3s;
            case JA3S_HASH -> ja3s == null ? "" : TlsServerHello.md5(ja3s);
            case JA3_STRING -> ja3 == null ? "" : ja3;
            case JA3_HASH -> ja3 == null ? "" : TlsServerHello.md5(ja3);
            default -> ""; // tls.certs: each certificate, not one text
        };
    }
}
