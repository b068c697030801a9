package org.omamori.http;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Byte arrays of one size that bodies are held in, kept for the next body when given back: a new
 * array per body or slice was the web proxy's largest allocation under load (bench/README.md,
 * "Proxy tail latency"). At most {@code capacity} arrays are kept; past that, and for arrays of
 * another size, the collector takes them. Lock-free, so a carrier thread preempted mid-call
 * blocks nobody. Since 1.1.
 */
public final class ArrayPool {

    private final int size;
    private final AtomicReferenceArray<byte[]> idle;
    private final int mask;

    public ArrayPool(int size, int capacity) {
        if (size <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("size and capacity must be positive: " + size + ", " + capacity);
        }
        this.size = size;
        int slots = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.idle = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** The size of every array this pool hands out. */
    public int size() {
        return size;
    }

    /** A kept array (its contents are whatever the last user left) or a new one. */
    public byte[] take() {
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
        return new byte[size];
    }

    /** Keeps {@code array} for the next {@link #take()} if it is of this pool's size and a slot is free. */
    public void give(byte[] array) {
        if (array == null || array.length != size) {
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
