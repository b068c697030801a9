package org.omamori.engine.ips;

import java.nio.ByteBuffer;

/**
 * The last bytes of a stream, kept contiguous so rules can be confirmed on them. Memory is
 * bounded by twice the window size, whatever the stream's length: when full, the newest
 * {@code size} bytes move to the front (an amortised copy per byte).
 */
final class ByteWindow {

    private final int size;
    private byte[] data;
    private int length;
    /** Stream position of data[0]. */
    private long start;

    ByteWindow(int size) {
        this.size = size;
    }

    /** Appends a chunk (reading it from its position to its limit without moving them). */
    void append(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (data == null) {
            // Sized for the first chunk (small bodies are the common case), grown up to twice the window.
            data = new byte[Math.min(2 * size, Math.max(512, Integer.highestOneBit(Math.max(1, n)) * 2))];
        }
        int from = chunk.position();
        if (n >= size) {
            start += length + (n - size);
            length = 0;
            from += n - size;
            n = size;
        }
        if (length + n > data.length) {
            if (data.length < 2 * size) {
                byte[] grown = new byte[Math.min(2 * size, Math.max(data.length * 2, length + n))];
                System.arraycopy(data, 0, grown, 0, length);
                data = grown;
            }
            if (length + n > data.length) {
                int keep = Math.max(0, size - n);
                int drop = length - keep;
                System.arraycopy(data, drop, data, 0, keep);
                start += drop;
                length = keep;
            }
        }
        chunk.get(from, data, length, n);
        length += n;
    }

    /** Total bytes appended so far: the stream position just past the last byte. */
    long end() {
        return start + length;
    }

    /** The bytes held, as seen by a buffer that begins at stream position {@code bufferStart}. */
    ByteView view(long bufferStart) {
        if (data == null) {
            return new ByteView(ByteView.EMPTY.data(), 0, 0, Math.max(0, end() - bufferStart));
        }
        long from = Math.max(start, bufferStart);
        int skip = (int) (from - start);
        return new ByteView(data, skip, length - skip, from - bufferStart);
    }
}
