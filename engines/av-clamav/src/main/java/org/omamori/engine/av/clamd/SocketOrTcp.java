package org.omamori.engine.av.clamd;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Which way to clamd for an address with a TCP fallback ({@link ClamdAddress#localSocketOr}):
 * the local socket while it connects; after a failed connect (absent, refused, not permitted)
 * TCP, and the socket is tried again once {@code retryNanos} have passed, so a socket that is
 * missing costs one failed connect per back-off, not one per scan, and one that appears later
 * (clamd started after the appliance, the appliance's group fixed) is taken without a restart.
 */
final class SocketOrTcp {

    private final ClamdAddress socket;
    private final ClamdAddress tcp;
    private final long retryNanos;
    private final LongSupplier clock;
    /** Why the socket is not used, or null while it is. */
    private volatile String down;
    private volatile long retryAt;

    SocketOrTcp(ClamdAddress address, long retryNanos, LongSupplier nanoClock) {
        this.socket = address.alone();
        this.tcp = Objects.requireNonNull(address.fallback(), "fallback");
        this.retryNanos = retryNanos;
        this.clock = nanoClock;
    }

    ClamdAddress socket() {
        return socket;
    }

    ClamdAddress tcp() {
        return tcp;
    }

    /** Where the next connection goes: TCP while the socket failed less than the back-off ago. */
    ClamdAddress next() {
        return down != null && clock.getAsLong() - retryAt < 0 ? tcp : socket;
    }

    /** Why TCP is in use, or null while the socket is. */
    String down() {
        return down;
    }

    /** The socket did not connect: TCP for the back-off. True when this moved the path off the socket. */
    synchronized boolean failed(String why) {
        boolean changed = down == null;
        down = Objects.requireNonNull(why, "why");
        retryAt = clock.getAsLong() + retryNanos;
        return changed;
    }

    /** The socket connected. True when this moved the path back to it. */
    boolean worked() {
        if (down == null) {
            return false; // the usual case, on every scan: no lock
        }
        synchronized (this) {
            boolean changed = down != null;
            down = null;
            return changed;
        }
    }
}
