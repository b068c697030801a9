package org.omamori.engine.ips;

/**
 * Bytes of one buffer as the engine has them: {@code data[offset, offset + length)} holds the
 * buffer's bytes from buffer position {@code firstPosition} on. A header buffer is whole
 * (first position 0); a body seen through the sliding window may have lost its beginning.
 */
record ByteView(byte[] data, int offset, int length, long firstPosition) {

    static final ByteView EMPTY = new ByteView(new byte[0], 0, 0, 0);

    static ByteView of(byte[] bytes) {
        return new ByteView(bytes, 0, bytes.length, 0);
    }

    /** Buffer position just past the last byte held. */
    long endPosition() {
        return firstPosition + length;
    }

    byte at(long position) {
        return data[offset + (int) (position - firstPosition)];
    }
}
