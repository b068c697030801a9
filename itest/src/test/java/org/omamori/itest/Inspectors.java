package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;

/** Threads that inspect without pause while a test swaps engines, counting what failed. */
final class Inspectors implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong inspections = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Throwable> crash = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code count} threads, each calling {@code inspection} in a loop. */
    static Inspectors start(int count, Callable<PipelineResult> inspection) {
        Inspectors inspectors = new Inspectors();
        for (int t = 0; t < count; t++) {
            inspectors.threads.add(Thread.ofPlatform().name("inspector-" + t).start(() -> {
                while (!inspectors.stop.get()) {
                    try {
                        for (EngineResult e : inspection.call().results()) {
                            if (e.failed()) {
                                inspectors.failures.add(e.engine().id() + ": " + e.outcome() + " " + e.error());
                            }
                        }
                        inspectors.inspections.incrementAndGet();
                    } catch (Throwable e) {
                        inspectors.crash.compareAndSet(null, e);
                    }
                }
            }));
        }
        return inspectors;
    }

    /** Stops the threads and asserts that no inspection threw and no engine failed; returns how many ran. */
    long stopAndAssertNoneFailed() throws InterruptedException {
        close();
        assertThat(crash.get()).as("an inspection threw").isNull();
        assertThat(failures).as("engine errors during the swaps").isEmpty();
        return inspections.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }
}
