package org.omamori.inspection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the engine budget without moving engine calls to other threads. Engine calls run on
 * the caller's thread (a hand-off to another thread costs tens of microseconds per call, far
 * more than an engine's work); this watchdog looks at the calls in progress a few times per
 * budget and interrupts the thread of a call that overran it, so an engine waiting on I/O or a
 * lock gives up, and marks its engine stuck so that no new call goes to it until that call
 * has returned. The interrupt is cleared before the caller goes on: it belongs to the engine.
 */
final class Watchdog implements AutoCloseable {

    /** {@link Call#deadline} when no engine call is in progress. */
    private static final long IDLE = Long.MIN_VALUE;
    /** {@link Call#deadline} once the watchdog took an overrun call. */
    private static final long EXPIRED = Long.MIN_VALUE + 1;

    /**
     * The engine calls of one inspection, one at a time: registered once for the inspection's
     * life, so a call costs two atomic writes, not an object and a set entry (the pipeline makes
     * about five calls per engine per exchange; bench/README.md, "Proxy tail latency").
     */
    static final class Call {
        volatile Thread thread;
        volatile EngineSlot slot;
        /** When the call in progress started; read by its own thread only. */
        long started;
        /** The call in progress's deadline, strictly increasing from call to call; {@link #IDLE} or {@link #EXPIRED} else. */
        final AtomicLong deadline = new AtomicLong(IDLE);
        private long lastDeadline = IDLE;
        /** Set by the watchdog once it has interrupted an expired call's thread. */
        volatile boolean interrupted;
        /** For a call of the {@link #pool}: whether an inspection holds it; null for one made for a single inspection. */
        final AtomicBoolean taken;

        Call(boolean pooled) {
            this.taken = pooled ? new AtomicBoolean() : null;
        }
    }

    /**
     * Calls kept from one inspection to the next, always watched: taking one is a compare-and-set,
     * where a call of its own cost an inspection two objects and a concurrent set's insert and
     * removal (with the DNS filter's short inspections, a tenth of its pipeline's machinery). When
     * the few places a thread looks at are taken (more inspections at once than the pool), it makes
     * a call of its own as before.
     */
    private static final int POOL = 64;
    /** Places of the pool a thread looks at, from the one its id picks. */
    private static final int PROBES = 4;

    private final Call[] pool = new Call[POOL];
    private final Set<Call> running = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile long tickNanos;
    private volatile boolean closed;

    Watchdog(long budgetNanos) {
        for (int i = 0; i < POOL; i++) {
            pool[i] = new Call(true);
        }
        budget(budgetNanos);
        thread = Thread.ofPlatform().daemon().name("omamori-engine-watchdog").start(this::watch);
    }

    /** Checks a few times per budget: an overrun is noticed within a quarter of the budget. */
    void budget(long budgetNanos) {
        tickNanos = Math.clamp(budgetNanos / 4, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(50));
    }

    /** The calls of one inspection, watched until {@link #unregister}. */
    Call register() {
        int start = (int) Thread.currentThread().threadId();
        for (int i = 0; i < PROBES; i++) {
            Call call = pool[(start + i) & (POOL - 1)];
            if (!call.taken.get() && call.taken.compareAndSet(false, true)) {
                return call;
            }
        }
        Call call = new Call(false);
        running.add(call);
        return call;
    }

    void unregister(Call call) {
        if (call.taken != null) {
            call.taken.set(false); // its deadline is IDLE: end() left it so
        } else {
            running.remove(call);
        }
    }

    /** Starts a call on the caller's thread at {@code now} ({@link System#nanoTime()}, read by the caller). */
    void begin(Call call, EngineSlot slot, long budgetNanos, long now) {
        call.thread = Thread.currentThread();
        call.slot = slot;
        call.started = now;
        long deadline = now + budgetNanos;
        if (deadline - call.lastDeadline <= 0 && call.lastDeadline != IDLE || deadline == IDLE || deadline == EXPIRED) {
            deadline = call.lastDeadline + 1; // never the same value twice: the watchdog takes the call it saw, no later one
        }
        call.lastDeadline = deadline;
        call.deadline.set(deadline); // publishes thread and slot to the watchdog
    }

    /** Ends a call on its own thread; true if it overran its budget and was interrupted. */
    boolean end(Call call) {
        long deadline = call.deadline.get();
        if (deadline != EXPIRED && call.deadline.compareAndSet(deadline, IDLE)) {
            return false;
        }
        while (!call.interrupted) {
            Thread.onSpinWait(); // the watchdog is between taking the call and interrupting us
        }
        call.interrupted = false;
        Thread.interrupted();
        call.slot.unstick(call);
        call.deadline.set(IDLE);
        return true;
    }

    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (Call call : pool) {
                expire(call, now);
            }
            for (Call call : running) {
                expire(call, now);
            }
        }
    }

    /** Takes a call that overran its deadline: its engine is stuck, its thread interrupted. */
    private static void expire(Call call, long now) {
        long deadline = call.deadline.get();
        if (deadline != IDLE && deadline != EXPIRED && now - deadline > 0
                && call.deadline.compareAndSet(deadline, EXPIRED)) {
            call.slot.stick(call);
            call.thread.interrupt();
            call.interrupted = true;
        }
    }

    /** Calls watched now that are not the pool's (for tests). */
    int ownCalls() {
        return running.size();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
