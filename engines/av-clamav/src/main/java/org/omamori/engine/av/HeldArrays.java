package org.omamori.engine.av;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Arrays that small bodies are held in until hashed (decision 0013), reused from body to body:
 * a new array per body was the largest allocation of the web proxy under load (bench/README.md,
 * "Proxy tail latency"). Only arrays of exactly {@link #SIZE} bytes are kept, at most a bounded
 * number; larger bodies grow their own.
 */
final class HeldArrays {

    static final int SIZE = 64 << 10;

    private final ArrayBlockingQueue<byte[]> idle;

    HeldArrays(int capacity) {
        this.idle = new ArrayBlockingQueue<>(capacity);
    }

    byte[] take() {
        byte[] a = idle.poll();
        return a != null ? a : new byte[SIZE];
    }

    /** Keeps an array of {@link #SIZE} bytes for the next body; others (and null) are left to the collector. */
    void give(byte[] array) {
        if (array != null && array.length == SIZE) {
            idle.offer(array);
        }
    }
}
