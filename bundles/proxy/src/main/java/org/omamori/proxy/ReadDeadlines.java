package org.omamori.proxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends socket reads that waited past their time, from one thread, instead of a socket timeout per
 * read: a timed read on a virtual thread schedules and cancels a timer in the scheduler every
 * time it waits (bench/README.md, "Proxy tail latency"), an untimed one only parks. Each
 * connection's {@link HttpInput} is watched while open; a read it has waited on past its time is
 * marked expired and the socket's input shut, which wakes the read, and {@link HttpInput} then
 * throws the timeout a socket timeout would have. Times are kept to within one tick.
 */
final class ReadDeadlines implements AutoCloseable {

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Set<HttpInput> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    ReadDeadlines(String name) {
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    void watch(HttpInput in) {
        watched.add(in);
    }

    void forget(HttpInput in) {
        watched.remove(in);
    }

    /** Connections watched now (for tests). */
    int size() {
        return watched.size();
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(TICK_NANOS);
            long now = System.nanoTime();
            for (HttpInput in : watched) {
                in.expireIfPast(now);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
