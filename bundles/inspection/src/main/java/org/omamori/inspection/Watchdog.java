package org.omamori.inspection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int EXPIRED = 2;
    private static final int INTERRUPTED = 3;

    /** One engine call in progress. */
    static final class Call {
        final Thread thread = Thread.currentThread();
        final EngineSlot slot;
        final long started;
        final long deadline;
        final AtomicInteger state = new AtomicInteger(RUNNING);

        Call(EngineSlot slot, long started, long budgetNanos) {
            this.slot = slot;
            this.started = started;
            this.deadline = started + budgetNanos;
        }
    }

    private final Set<Call> running = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile long tickNanos;
    private volatile boolean closed;

    Watchdog(long budgetNanos) {
        budget(budgetNanos);
        thread = Thread.ofPlatform().daemon().name("omamori-engine-watchdog").start(this::watch);
    }

    /** Checks a few times per budget: an overrun is noticed within a quarter of the budget. */
    void budget(long budgetNanos) {
        tickNanos = Math.clamp(budgetNanos / 4, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(50));
    }

    Call begin(EngineSlot slot, long budgetNanos) {
        Call call = new Call(slot, System.nanoTime(), budgetNanos);
        running.add(call);
        return call;
    }

    /** Ends a call on its own thread; true if it overran its budget and was interrupted. */
    boolean end(Call call) {
        running.remove(call);
        if (call.state.compareAndSet(RUNNING, DONE)) {
            return false;
        }
        while (call.state.get() != INTERRUPTED) {
            Thread.onSpinWait(); // the watchdog is between marking and interrupting us
        }
        Thread.interrupted();
        call.slot.unstick(call);
        return true;
    }

    private void watch() {
        while (!closed) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (Call call : running) {
                if (now - call.deadline > 0 && call.state.compareAndSet(RUNNING, EXPIRED)) {
                    call.slot.stick(call);
                    call.thread.interrupt();
                    call.state.set(INTERRUPTED);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
