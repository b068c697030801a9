package org.omamori.engine.av.clamd;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where clamd listens. Loopback only unless {@code allowRemote}: bodies are users' files, and
 * the protocol has neither authentication nor encryption, so by default they never leave the
 * machine.
 *
 * @param host        a host name or IP literal
 * @param port        TCP port, 1..65535
 * @param allowRemote whether a non-loopback host is acceptable (an explicit, reviewed choice)
 * @param fallback    for a local socket: the TCP address used while the socket is absent, refuses
 *                    or is not permitted ({@link #localSocketOr}); null for none
 */
public record ClamdAddress(String host, int port, boolean allowRemote, ClamdAddress fallback) {

    /**
     * The project's clamd as {@code scripts/clamd.sh} starts it: on 127.0.0.1, port {@code OMAMORI_CLAMD_PORT}
     * or 3399 (the script refuses a value that is not a port, so one here is taken as unset).
     */
    public static final ClamdAddress LOCAL_DEFAULT = new ClamdAddress("127.0.0.1", scriptPort(System.getenv("OMAMORI_CLAMD_PORT")));

    /** How a local (Unix domain) socket is written as a host: {@code unix:/run/clamd/clamd.sock}. */
    public static final String LOCAL_SOCKET_PREFIX = "unix:";

    public ClamdAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("clamd host is empty");
        }
        if (host.startsWith(LOCAL_SOCKET_PREFIX)) {
            if (host.length() == LOCAL_SOCKET_PREFIX.length()) {
                throw new IllegalArgumentException("clamd local socket path is empty");
            }
            allowRemote = false; // a Unix socket is on this machine by nature
        }
        if (fallback != null && (!host.startsWith(LOCAL_SOCKET_PREFIX) || fallback.isLocalSocket() || fallback.fallback() != null)) {
            throw new IllegalArgumentException("only a local socket falls back, and only to TCP: " + host + " -> " + fallback);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("clamd port must be 1..65535, got " + port);
        }
        if (!allowRemote && !host.startsWith(LOCAL_SOCKET_PREFIX)) {
            // Checked here for a clear configuration error, and again on every connect (names may resolve anew).
            requireLoopback(host, port);
        }
    }

    /** Without a fallback. */
    public ClamdAddress(String host, int port, boolean allowRemote) {
        this(host, port, allowRemote, null);
    }

    /** A loopback address; a non-loopback host is refused. */
    public ClamdAddress(String host, int port) {
        this(host, port, false);
    }

    /**
     * clamd's local socket ({@code LocalSocket} in clamd.conf): no TCP stack between the engine
     * and the scanner, which is what {@code clamdscan} uses on the same machine.
     */
    public static ClamdAddress localSocket(java.nio.file.Path socket) {
        return new ClamdAddress(LOCAL_SOCKET_PREFIX + socket.toAbsolutePath(), 1, false);
    }

    /**
     * clamd's local socket when it can be used, else {@code tcp}: decided per connection, so a
     * socket that is absent, refuses or is not permitted (EACCES) costs one failed connect every
     * {@link Clamd#SOCKET_RETRY}, and one made later (clamd started after us) is then taken.
     */
    public static ClamdAddress localSocketOr(java.nio.file.Path socket, ClamdAddress tcp) {
        return new ClamdAddress(LOCAL_SOCKET_PREFIX + socket.toAbsolutePath(), 1, false, java.util.Objects.requireNonNull(tcp, "tcp"));
    }

    /** This address without its fallback. */
    ClamdAddress alone() {
        return fallback == null ? this : new ClamdAddress(host, port, allowRemote);
    }

    public boolean isLocalSocket() {
        return host.startsWith(LOCAL_SOCKET_PREFIX);
    }

    java.net.UnixDomainSocketAddress socketPath() {
        return java.net.UnixDomainSocketAddress.of(host.substring(LOCAL_SOCKET_PREFIX.length()));
    }

    /** An address that may be on another machine; use only over a trusted network. */
    public static ClamdAddress remote(String host, int port) {
        return new ClamdAddress(host, port, true);
    }

    /** Resolves the host now; a loopback-only address must still resolve to loopback. */
    InetSocketAddress resolve() throws UnknownHostException {
        InetAddress address = allowRemote ? InetAddress.getByName(host) : requireLoopback(host, port);
        return new InetSocketAddress(address, port);
    }

    private static InetAddress requireLoopback(String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("clamd host '" + host + "' does not resolve", e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("clamd at " + host + ":" + port + " is not on loopback (" + address.getHostAddress()
                    + "): file contents would cross the network unencrypted. Use 127.0.0.1, or ClamdAddress.remote(...) on purpose.");
        }
        return address;
    }

    @Override
    public String toString() {
        if (isLocalSocket()) {
            return fallback == null ? host : host + ", else " + fallback;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The port {@code scripts/clamd.sh} starts clamd on, given its {@code OMAMORI_CLAMD_PORT} (null: unset). */
    static int scriptPort(String value) {
        if (value != null && value.matches("[0-9]{1,5}")) {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        return 3399;
    }
}
