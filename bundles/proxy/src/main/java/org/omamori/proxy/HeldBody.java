package org.omamori.proxy;

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

    private final long limit;
    private final Budget budget;
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    HeldBody(long limit, Budget budget) {
        this.limit = limit;
        this.budget = budget;
    }

    /** Copies the slice in; false (nothing copied) when that would pass a bound. */
    boolean hold(ByteBuffer slice) {
        int n = slice.remaining();
        if (size + n > limit || !budget.reserve(n)) {
            return false;
        }
        byte[] copy = new byte[n];
        slice.duplicate().get(copy);
        chunks.add(copy);
        size += n;
        return true;
    }

    long size() {
        return size;
    }

    void writeTo(OutputStream out) throws IOException {
        for (byte[] chunk : chunks) {
            out.write(chunk);
        }
    }

    /** Gives the memory back; the body is empty afterwards. */
    void release() {
        budget.release(size);
        chunks.clear();
        size = 0;
    }
}
