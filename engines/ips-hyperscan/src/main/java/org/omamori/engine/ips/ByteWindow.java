package org.omamori.engine.ips;

import java.nio.ByteBuffer;

/**
 * The last bytes of a stream, kept contiguous so rules can be confirmed on them. Memory is
 * bounded by twice the window size, whatever the stream's length: when full, the newest
 * {@code size} bytes move to the front (an amortised copy per byte). The bytes live in a direct
 * buffer, so Hyperscan scans what was appended in place ({@link #last}): a heap body is copied
 * once, into the window, not a second time into the Hyperscan wrapper's staging buffer.
 */
final class ByteWindow {

    private final int size;
    /** Where memory beyond {@link SideState#KEPT_WINDOW} comes from and goes back to; null: allocated, left to the collector. */
    private final WindowMemory memory;
    /** Read and written with absolute indexes only; its position and limit never move. */
    private ByteBuffer data;
    /** The same memory, handed to the stream scan with position and limit set: one object, so its address is looked up once. */
    private ByteBuffer scanned;
    private int length;
    /** Stream position of data[0]. */
    private long start;
    /** The last view made, while no byte came or went (confirmations ask for the same one again and again). */
    private ByteView lastView;

    ByteWindow(int size) {
        this(size, null);
    }

    ByteWindow(int size, WindowMemory memory) {
        this.size = size;
        this.memory = memory;
    }

    /** Appends a chunk (reading it from its position to its limit without moving them). */
    void append(ByteBuffer chunk) {
        append(chunk, chunk.position(), chunk.remaining());
    }

    /** Appends {@code n} bytes of {@code chunk} from absolute index {@code from} (its position and limit stay). */
    void append(ByteBuffer chunk, int from, int n) {
        lastView = null;
        if (data == null) {
            // Sized for the first chunk (small bodies are the common case), grown up to twice the window.
            allocate(Math.min(2 * size, Math.max(512, Integer.highestOneBit(Math.max(1, n)) * 2)));
        }
        if (n >= size) {
            start += length + (n - size);
            length = 0;
            from += n - size;
            n = size;
        }
        if (length + n > data.capacity()) {
            if (data.capacity() < 2 * size) {
                ByteBuffer old = data;
                allocate(Math.min(2 * size, Math.max(old.capacity() * 2, length + n)));
                data.put(0, old, 0, length);
                giveBack(old);
            }
            if (length + n > data.capacity()) {
                // Here the capacity is 2 * size and n < size, so the bytes kept and their new place do not overlap.
                int keep = Math.max(0, size - n);
                int drop = length - keep;
                data.put(0, data, drop, keep);
                start += drop;
                length = keep;
            }
        }
        data.put(length, chunk, from, n);
        length += n;
    }

    private void allocate(int capacity) {
        ByteBuffer kept = capacity > SideState.KEPT_WINDOW && memory != null ? memory.take(capacity, 2 * size) : null;
        data = kept != null ? kept : ByteBuffer.allocateDirect(capacity);
        scanned = data.duplicate();
    }

    /** Memory no longer used: to the shared blocks if larger than a pooled state keeps, else to the collector. */
    private void giveBack(ByteBuffer block) {
        if (memory != null && block.capacity() > SideState.KEPT_WINDOW) {
            memory.give(block);
        }
    }

    /**
     * {@link #clear}, and the memory goes back to the shared blocks if larger than a pooled state
     * keeps (else, or without shared blocks, to the collector). The next append takes or makes memory again.
     */
    void release() {
        if (data != null) {
            giveBack(data);
        }
        data = null;
        scanned = null;
        clear();
    }

    /**
     * The last {@code n} bytes appended (at most what the window holds), between the position and
     * limit of a direct buffer over the window's memory; valid until the next append.
     */
    ByteBuffer last(int n) {
        if (n > length) {
            throw new IllegalArgumentException(n + " bytes asked, " + length + " held");
        }
        return scanned.limit(length).position(length - n);
    }

    /** The bytes this window keeps at least (it may hold up to twice as many). */
    int size() {
        return size;
    }

    /** Bytes of memory held now (0 before the first append). */
    int capacity() {
        return data == null ? 0 : data.capacity();
    }

    /** Forgets every byte and starts at stream position 0 again, keeping the memory for the next stream. */
    void clear() {
        lastView = null;
        length = 0;
        start = 0;
    }

    /** Total bytes appended so far: the stream position just past the last byte. */
    long end() {
        return start + length;
    }

    /** {@code view(0).firstPosition()} without a view made: the stream position of the first byte held. */
    long heldFrom() {
        return data == null ? Math.max(0, end()) : Math.max(start, 0);
    }

    /** The bytes held, as seen by a buffer that begins at stream position {@code bufferStart}. */
    ByteView view(long bufferStart) {
        ByteView v = lastView;
        if (v != null && v.firstPosition() == Math.max(start, bufferStart) - bufferStart && v.endPosition() == end() - bufferStart) {
            return v;
        }
        if (data == null) {
            return new ByteView(ByteView.EMPTY.data(), 0, 0, Math.max(0, end() - bufferStart));
        }
        long from = Math.max(start, bufferStart);
        int skip = (int) (from - start);
        return lastView = new ByteView(data, skip, length - skip, from - bufferStart);
    }
}
