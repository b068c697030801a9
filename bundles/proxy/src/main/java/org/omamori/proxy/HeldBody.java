package org.omamori.proxy;

import org.omamori.http.ArrayPool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A body held back until the engines have seen all of it, so an infected download can still be
 * replaced by the notice and a blocked upload never reaches the server. Bounded per body and
 * across the proxy: past either bound the holder gives up and the caller streams the rest.
 */
final class HeldBody {

    /** Bytes held by all bodies of one proxy. */
    static final class Budget {
        private final long limit;
        private final AtomicLong used = new AtomicLong();

        Budget(long limit) {
            this.limit = limit;
        }

        boolean reserve(long n) {
            long now;
            do {
                now = used.get();
                if (now + n > limit) {
                    return false;
                }
            } while (!used.compareAndSet(now, now + n));
            return true;
        }

        void release(long n) {
            used.addAndGet(-n);
        }

        long used() {
            return used.get();
        }
    }

    static final int BLOCK = 16 << 10;

    private final long limit;
    private final Budget budget;
    private final ArrayPool blocks;
    /** Full blocks but the last, which holds {@code size % BLOCK} bytes (or is full). */
    private final List<byte[]> held = new ArrayList<>(4);
    private long size;

    HeldBody(long limit, Budget budget, ArrayPool blocks) {
        this.limit = limit;
        this.budget = budget;
        this.blocks = blocks;
    }

    /** Copies the slice in; false (nothing copied) when that would pass a bound. */
    boolean hold(ByteBuffer slice) {
        int n = slice.remaining();
        if (size + n > limit || !budget.reserve(n)) {
            return false;
        }
        ByteBuffer from = slice.duplicate();
        while (from.hasRemaining()) {
            int used = (int) (size % BLOCK);
            if (used == 0) {
                held.add(blocks.take());
            }
            int part = Math.min(BLOCK - used, from.remaining());
            from.get(held.getLast(), used, part);
            size += part;
        }
        return true;
    }

    long size() {
        return size;
    }

    void writeTo(OutputStream out) throws IOException {
        long left = size;
        for (byte[] block : held) {
            int n = (int) Math.min(BLOCK, left);
            out.write(block, 0, n);
            left -= n;
        }
    }

    /** Gives the memory back; the body is empty afterwards. */
    void release() {
        budget.release(size);
        for (byte[] block : held) {
            blocks.give(block);
        }
        held.clear();
        size = 0;
    }
}
