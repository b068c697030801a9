package org.omamori.engine.ips;

import java.nio.ByteBuffer;

/**
 * Bytes of one buffer as the engine has them: {@code data} at absolute indexes
 * {@code [offset, offset + length)} holds the buffer's bytes from buffer position
 * {@code firstPosition} on. A header buffer is whole (first position 0), on the heap; a body seen
 * through the sliding window may have lost its beginning, and lives in the window's direct
 * buffer (which Hyperscan scans in place). Read with absolute gets only.
 *
 * <p>Read-only for everyone who is handed one, and compared by identity. The views a pooled
 * request state lends its exchange ({@link ExchangeLoans#view}) are {@linkplain #aim re-aimed} at
 * the next exchange's bytes once the one they served is over, so no one keeps a view beyond the
 * exchange it was handed out in (the head scanners keep a copy of the bytes, the searches forget
 * theirs with the state).
 */
final class ByteView {

    static final ByteView EMPTY = of(new byte[0]);

    private ByteBuffer data;
    private int offset;
    private int length;
    private long firstPosition;

    ByteView(ByteBuffer data, int offset, int length, long firstPosition) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.firstPosition = firstPosition;
    }

    static ByteView of(byte[] bytes) {
        return new ByteView(ByteBuffer.wrap(bytes), 0, bytes.length, 0);
    }

    /** A lent view, at a whole header buffer's bytes {@code data[from, to)} for the exchange it is lent to now. Only {@link ExchangeLoans}' views. */
    ByteView aim(ByteBuffer data, int from, int to) {
        this.data = data;
        this.offset = from;
        this.length = to - from;
        this.firstPosition = 0;
        return this;
    }

    ByteBuffer data() {
        return data;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    long firstPosition() {
        return firstPosition;
    }

    /** Buffer position just past the last byte held. */
    long endPosition() {
        return firstPosition + length;
    }

    byte at(long position) {
        return data.get(offset + (int) (position - firstPosition));
    }

    /** The bytes held as a buffer from its position to its limit: {@code data} itself when it is exactly that, else a slice. */
    ByteBuffer buffer() {
        return offset == data.position() && offset + length == data.limit() ? data : data.slice(offset, length);
    }

    /** A copy of the bytes held. */
    byte[] bytes() {
        byte[] copy = new byte[length];
        data.get(offset, copy);
        return copy;
    }

    @Override
    public String toString() {
        return "ByteView[offset=" + offset + ", length=" + length + ", firstPosition=" + firstPosition + "]";
    }
}
