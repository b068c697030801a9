package org.omamori.inspection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;

/**
 * One engine in the pipeline, with the count of inspections that use it. Once retired, no new
 * inspection may take it, and its remover can wait for the count to reach zero.
 */
final class EngineSlot {

    final Engine engine;
    final EngineDescriptor descriptor;
    final EngineMeters meters;
    private final AtomicInteger inFlight = new AtomicInteger();
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
        inFlight.incrementAndGet();
        if (retired) {
            release();
            return false;
        }
        return true;
    }

    void release() {
        if (inFlight.decrementAndGet() == 0 && retired) {
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
        return inFlight.get();
    }

    /** Waits until no inspection uses the engine; false if the timeout passed first. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (inFlight.get() > 0) {
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
