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
    /** Full blocks but the last, which holds {@code copied % BLOCK} bytes (or is full). */
    private final List<byte[]> held = new ArrayList<>(4);
    /** Bytes in {@link #held}. */
    private long copied;
    /**
     * The newest slice, not copied yet: a view of the reader's buffer, valid until the reader reads
     * on, which it does only after {@link #settle()}. A page that comes in one read (most do) is
     * written from there and never copied here.
     */
    private ByteBuffer pending;

    HeldBody(long limit, Budget budget, ArrayPool blocks) {
        this.limit = limit;
        this.budget = budget;
        this.blocks = blocks;
    }

    /**
     * Takes the slice in, as a view until {@link #settle()}; false (nothing taken) when that would
     * pass a bound. The caller's buffer position is left alone.
     */
    boolean hold(ByteBuffer slice) {
        settle();
        int n = slice.remaining();
        if (copied + n > limit || !budget.reserve(n)) {
            return false;
        }
        if (n > 0) {
            pending = slice.duplicate();
        }
        return true;
    }

    /** Copies the pending slice in: the reader is about to reuse its buffer. */
    void settle() {
        ByteBuffer from = pending;
        if (from == null) {
            return;
        }
        pending = null;
        while (from.hasRemaining()) {
            int used = (int) (copied % BLOCK);
            if (used == 0) {
                held.add(blocks.take());
            }
            int part = Math.min(BLOCK - used, from.remaining());
            from.get(held.getLast(), used, part);
            copied += part;
        }
    }

    long size() {
        return copied + (pending == null ? 0 : pending.remaining());
    }

    void writeTo(OutputStream out) throws IOException {
        long left = copied;
        for (int i = 0; i < held.size(); i++) { // indexed: no iterator per body
            int n = (int) Math.min(BLOCK, left);
            out.write(held.get(i), 0, n);
            left -= n;
        }
        ByteBuffer p = pending;
        if (p != null) {
            if (p.hasArray()) {
                out.write(p.array(), p.arrayOffset() + p.position(), p.remaining());
            } else {
                byte[] bytes = new byte[p.remaining()];
                p.duplicate().get(bytes);
                out.write(bytes);
            }
        }
    }

    /** Gives the memory back; the body is empty afterwards. */
    void release() {
        budget.release(size());
        for (int i = 0; i < held.size(); i++) {
            blocks.give(held.get(i));
        }
        held.clear();
        copied = 0;
        pending = null;
    }
}
