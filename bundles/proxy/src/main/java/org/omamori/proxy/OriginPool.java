package org.omamori.proxy;

import java.net.Inet6Address;
import java.net.InetAddress;

import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Idle keep-alive connections to origins, by address and port, so a page's many requests do not
 * each pay a TCP handshake. Bounded per origin and in total; idle ones expire before origins
 * usually close them.
 */
final class OriginPool {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OriginPool.class);

    /**
     * Which origin a connection goes to: the address (with an IPv6 address's scope, as its text
     * had) and port, compared without making a string per request.
     */
    record Key(InetAddress address, int scope, int port) {
        static Key of(InetAddress address, int port) {
            return new Key(address, scopeOf(address), port);
        }

        /** Whether this is {@link #of}'s key for the address and port, without making one. */
        boolean is(InetAddress a, int p) {
            return port == p && scope == scopeOf(a) && address.equals(a);
        }

        private static int scopeOf(InetAddress address) {
            return address instanceof Inet6Address six ? six.getScopeId() : 0;
        }

        @Override
        public String toString() {
            return address.getHostAddress() + "|" + port;
        }
    }

    /** One origin's idle connections, counted: a concurrent deque's size() walks all of it. */
    private static final class Idle {
        final Deque<Origin> connections = new ConcurrentLinkedDeque<>();
        final AtomicInteger count = new AtomicInteger();
    }

    private final ConcurrentHashMap<Key, Idle> idle = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final int perOrigin;
    private final int maxTotal;
    private final long maxIdleNanos;

    OriginPool(int perOrigin, int maxTotal, long maxIdleNanos) {
        this.perOrigin = perOrigin;
        this.maxTotal = maxTotal;
        this.maxIdleNanos = maxIdleNanos;
    }

    /** An idle connection to that origin, or null. */
    Origin take(Key key) {
        Idle q = idle.get(key);
        if (q == null) {
            return null;
        }
        Origin o;
        while ((o = q.connections.pollFirst()) != null) {
            q.count.decrementAndGet();
            total.decrementAndGet();
            if (System.nanoTime() - o.idleSince < maxIdleNanos && !o.socket.isClosed() && nothingWaiting(o)) {
                return o.reuse();
            }
            o.close();
        }
        return null;
    }

    /**
     * An idle connection on which the origin sent anything (a late second response, a close) is
     * never reused: what is waiting would be read as the answer to another client's request.
     */
    private static boolean nothingWaiting(Origin o) {
        try {
            int extra = o.in.waiting();
            if (extra > 0) {
                LOG.info("origin {} sent {} bytes after its last response: connection closed, not reused", o.key, extra);
            }
            return extra == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Keeps a connection whose last exchange ended cleanly; closes it when the pool is full. */
    void give(Origin o) {
        Idle q = idle.get(o.key);
        if (q == null) {
            q = idle.computeIfAbsent(o.key, k -> new Idle());
        }
        if (q.count.incrementAndGet() > perOrigin) {
            q.count.decrementAndGet();
            o.close();
            return;
        }
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            q.count.decrementAndGet();
            o.close();
            return;
        }
        o.idleSince = System.nanoTime();
        q.connections.addFirst(o);
    }

    void close() {
        idle.values().forEach(q -> q.connections.forEach(Origin::close));
        idle.clear();
    }
}
