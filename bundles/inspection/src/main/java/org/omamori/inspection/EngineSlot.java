package org.omamori.inspection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;

/**
 * One engine in the pipeline, with the count of inspections that use it. Once retired, no new
 * inspection may take it, and its remover can wait for the count to reach zero.
 *
 * <p>The count is a {@link LongAdder}: every inspection takes and gives back every engine it
 * uses, on whichever thread it runs, and one shared atomic was a cache line that all receiving
 * threads wrote twice per engine per query. The adder's sum is not a snapshot, but it is never
 * below the true count: every take that succeeded happened before {@link #retire} (a later one
 * sees the flag and gives back on its own cell), so the remover's sum sees all of them, and a
 * give-back is seen only once it happened — a sum of zero means none is in use.
 */
final class EngineSlot {

    final Engine engine;
    final EngineDescriptor descriptor;
    final EngineMeters meters;
    private final LongAdder inFlight = new LongAdder();
    private volatile boolean retired;
    /** A call that overran its budget and has not returned yet; no new call goes to the engine meanwhile. */
    private volatile Watchdog.Call stuck;

    EngineSlot(Engine engine, EngineDescriptor descriptor, EngineMeters meters) {
        this.engine = engine;
        this.descriptor = descriptor;
        this.meters = meters;
    }

    /**
     * Takes the engine for one inspection. Fails if the engine was retired meanwhile; the
     * caller then retries on the newer snapshot. Increment-then-check pairs with the remover's
     * retire-then-wait, so an engine is never in use after {@link #awaitIdle} returned true.
     */
    boolean tryAcquire() {
        inFlight.increment();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    void release() {
        inFlight.decrement();
        if (retired) { // rare: only while an engine is being removed; its remover re-checks the sum
            synchronized (this) {
                notifyAll();
            }
        }
    }

    boolean stuck() {
        return stuck != null;
    }

    void stick(Watchdog.Call call) {
        stuck = call;
    }

    void unstick(Watchdog.Call call) {
        if (stuck == call) {
            stuck = null;
        }
    }

    void retire() {
        retired = true;
    }

    int inFlight() {
        return (int) inFlight.sum();
    }

    /** Waits until no inspection uses the engine; false if the timeout passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (inFlight.sum() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }
}
