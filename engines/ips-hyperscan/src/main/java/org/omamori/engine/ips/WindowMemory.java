package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The direct memory of windows larger than a pooled state keeps ({@link SideState#KEPT_WINDOW}),
 * shared by the states of one pool: a few blocks are kept for the next large body. Made afresh per
 * inspection, such a block cost a 64 KiB body more than its Hyperscan scan (the memory zeroed, its
 * pages faulted in, and given back only when the collector found the buffer). Bounded: at most
 * {@link #SPARES} blocks, each at most twice the window; lock-free, slots taken and filled by
 * compare-and-set.
 */
final class WindowMemory {

    /** About one per core that may be inspecting a large body at once. */
    static final int SPARES = Math.min(8, Math.max(2, Runtime.getRuntime().availableProcessors()));

    private final AtomicReferenceArray<ByteBuffer> spares = new AtomicReferenceArray<>(SPARES);

    /** A kept block of {@code min} to {@code max} bytes, or null: the caller then allocates one. */
    ByteBuffer take(int min, int max) {
        for (int i = 0; i < SPARES; i++) {
            ByteBuffer b = spares.get(i);
            if (b != null && b.capacity() >= min && b.capacity() <= max && spares.compareAndSet(i, b, null)) {
                return b;
            }
        }
        return null;
    }

    /** Keeps a block no longer used, in a free slot or in place of a smaller one; else leaves it to the collector. */
    void give(ByteBuffer block) {
        for (int i = 0; i < SPARES; i++) {
            if (spares.get(i) == null && spares.compareAndSet(i, null, block)) {
                return;
            }
        }
        for (int i = 0; i < SPARES; i++) {
            ByteBuffer b = spares.get(i);
            if (b != null && b.capacity() < block.capacity() && spares.compareAndSet(i, b, block)) {
                return;
            }
        }
    }

    /** Blocks kept now (for tests). */
    int kept() {
        int n = 0;
        for (int i = 0; i < SPARES; i++) {
            n += spares.get(i) == null ? 0 : 1;
        }
        return n;
    }
}
