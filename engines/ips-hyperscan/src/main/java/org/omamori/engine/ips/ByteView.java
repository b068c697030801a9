package org.omamori.engine.ips;

import java.nio.ByteBuffer;

/**
 * Bytes of one buffer as the engine has them: {@code data} at absolute indexes
 * {@code [offset, offset + length)} holds the buffer's bytes from buffer position
 * {@code firstPosition} on. A header buffer is whole (first position 0), on the heap; a body seen
 * through the sliding window may have lost its beginning, and lives in the window's direct
 * buffer (which Hyperscan scans in place). Read with absolute gets only.
 */
record ByteView(ByteBuffer data, int offset, int length, long firstPosition) {

    static final ByteView EMPTY = of(new byte[0]);

    static ByteView of(byte[] bytes) {
        return new ByteView(ByteBuffer.wrap(bytes), 0, bytes.length, 0);
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
}
