package org.omamori.proxy;

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

    private final ConcurrentHashMap<String, Deque<Origin>> idle = new ConcurrentHashMap<>();
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
    Origin take(String key) {
        Deque<Origin> q = idle.get(key);
        if (q == null) {
            return null;
        }
        Origin o;
        while ((o = q.pollFirst()) != null) {
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
            return o.in.waiting() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Keeps a connection whose last exchange ended cleanly; closes it when the pool is full. */
    void give(Origin o) {
        Deque<Origin> q = idle.computeIfAbsent(o.key, k -> new ConcurrentLinkedDeque<>());
        if (q.size() >= perOrigin || total.incrementAndGet() > maxTotal) {
            if (q.size() < perOrigin) {
                total.decrementAndGet();
            }
            o.close();
            return;
        }
        o.idleSince = System.nanoTime();
        q.addFirst(o);
    }

    void close() {
        idle.values().forEach(q -> q.forEach(Origin::close));
        idle.clear();
    }
}
