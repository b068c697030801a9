package org.omamori.engine.av;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Arrays that small bodies are held in until hashed (decision 0013), reused from body to body:
 * a new array per body was the largest allocation of the web proxy under load (bench/README.md,
 * "Proxy tail latency"). Only arrays of exactly {@link #SIZE} bytes are kept, at most a bounded
 * number; larger bodies grow their own.
 */
final class HeldArrays {

    static final int SIZE = 64 << 10;

    /** Slots of kept arrays; lock-free, so a carrier thread preempted mid-call blocks nobody. */
    private final AtomicReferenceArray<byte[]> idle;
    private final int mask;

    HeldArrays(int capacity) {
        int slots = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.idle = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    byte[] take() {
        int start = (int) Thread.currentThread().threadId();
        for (int i = 0; i <= mask; i++) {
            int at = (start + i) & mask;
            if (idle.getPlain(at) != null) {
                byte[] a = idle.getAndSet(at, null);
                if (a != null) {
                    return a;
                }
            }
        }
        return new byte[SIZE];
    }

    /** Keeps an array of {@link #SIZE} bytes for the next body; others (and null) are left to the collector. */
    void give(byte[] array) {
        if (array == null || array.length != SIZE) {
            return;
        }
        int start = (int) Thread.currentThread().threadId();
        for (int i = 0; i <= mask; i++) {
            int at = (start + i) & mask;
            if (idle.getPlain(at) == null && idle.compareAndSet(at, null, array)) {
                return;
            }
        }
    }
}
