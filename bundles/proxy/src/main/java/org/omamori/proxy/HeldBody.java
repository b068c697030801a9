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
    /**
     * Blocks of a body past {@link #LARGE_AFTER}: the relay reads the body straight into them
     * ({@link #space()}), so a 10 MiB download takes ~90 reads, engine calls and writes to the
     * client instead of 640 (the socket reads at most 128 KiB at once). Only bodies past 512 KiB
     * get them, so a block wastes at most a fifth of what a body holds.
     */
    static final int LARGE_BLOCK = 128 << 10;
    static final long LARGE_AFTER = 512 << 10;

    private final long limit;
    private final Budget budget;
    private final ArrayPool blocks;
    /** Pool of {@link #LARGE_BLOCK} arrays; null: small blocks only. */
    private final ArrayPool largeBlocks;
    /** Full blocks but the last, which holds {@link #lastUsed} bytes. */
    private final List<byte[]> held = new ArrayList<>(4);
    private int lastUsed;
    /** Bytes in {@link #held}. */
    private long copied;
    /**
     * The newest slice, not copied yet: a view of the reader's buffer, valid until the reader reads
     * on, which it does only after {@link #settle()}. A page that comes in one read (most do) is
     * written from there and never copied here.
     */
    private ByteBuffer pending;

    HeldBody(long limit, Budget budget, ArrayPool blocks) {
        this(limit, budget, blocks, null);
    }

    HeldBody(long limit, Budget budget, ArrayPool blocks, ArrayPool largeBlocks) {
        this.limit = limit;
        this.budget = budget;
        this.blocks = blocks;
        this.largeBlocks = largeBlocks;
    }

    /**
     * Takes the slice in, as a view until {@link #settle()}; false (nothing taken) when that would
     * pass a bound. The caller's buffer position is left alone. A slice read into {@link #space()}
     * is taken where it lies, without a copy.
     */
    boolean hold(ByteBuffer slice) {
        settle();
        int n = slice.remaining();
        if (copied + n > limit || !budget.reserve(n)) {
            return false;
        }
        if (n > 0) {
            if (slice.hasArray() && !held.isEmpty() && slice.array() == held.getLast()
                    && slice.arrayOffset() + slice.position() == lastUsed) {
                lastUsed += n; // read into space(): already here
                copied += n;
            } else {
                pending = slice.duplicate();
            }
        }
        return true;
    }

    /**
     * Where the next bytes of a large body can be read so that {@link #hold} takes them without a
     * copy: the free end of a large block. Null while the body is small (the reader's own buffer
     * then serves, and a body read in one piece is never copied). Valid until the next hold or
     * {@link #release()}, which must come after the bytes read into it have been written on.
     */
    ByteBuffer space() {
        settle();
        if (largeBlocks == null || copied < LARGE_AFTER) {
            return null;
        }
        if (held.isEmpty() || lastUsed == held.getLast().length) {
            held.add(largeBlocks.take());
            lastUsed = 0;
        }
        byte[] last = held.getLast();
        return ByteBuffer.wrap(last, lastUsed, last.length - lastUsed);
    }

    /** Copies the pending slice in: the reader is about to reuse its buffer. */
    void settle() {
        ByteBuffer from = pending;
        if (from == null) {
            return;
        }
        pending = null;
        while (from.hasRemaining()) {
            if (held.isEmpty() || lastUsed == held.getLast().length) {
                held.add(largeBlocks != null && copied >= LARGE_AFTER ? largeBlocks.take() : blocks.take());
                lastUsed = 0;
            }
            int part = Math.min(held.getLast().length - lastUsed, from.remaining());
            from.get(held.getLast(), lastUsed, part);
            lastUsed += part;
            copied += part;
        }
    }

    long size() {
        return copied + (pending == null ? 0 : pending.remaining());
    }

    void writeTo(OutputStream out) throws IOException {
        int last = held.size() - 1;
        for (int i = 0; i <= last; i++) { // indexed: no iterator per body
            byte[] block = held.get(i);
            out.write(block, 0, i == last ? lastUsed : block.length);
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
            byte[] block = held.get(i);
            if (block.length == BLOCK) {
                blocks.give(block);
            } else {
                largeBlocks.give(block);
            }
        }
        held.clear();
        lastUsed = 0;
        copied = 0;
        pending = null;
    }
}
