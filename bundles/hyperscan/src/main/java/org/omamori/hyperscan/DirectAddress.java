package org.omamori.hyperscan;

import java.nio.ByteBuffer;

import org.bytedeco.javacpp.BytePointer;

/**
 * The native address of a direct buffer. Java has no allocation-free way to read it before the
 * FFM API, so it is looked up through JNI (one small object) only when the buffer object changes;
 * callers that reuse one buffer object and move its position and limit scan without allocating.
 */
final class DirectAddress {

    private ByteBuffer buffer;
    private long base;

    /** The address of index 0 of {@code direct}, or 0 if the JVM cannot tell. */
    long of(ByteBuffer direct) {
        if (direct != buffer) {
            base = baseOf(direct);
            buffer = direct;
        }
        return base;
    }

    /** Drops the buffer so that a pooled or idle holder does not keep it alive. */
    void forget() {
        buffer = null;
        base = 0;
    }

    static long baseOf(ByteBuffer direct) {
        // JavaCPP keeps index 0 in address() and the buffer's position in position().
        return new BytePointer(direct).address();
    }
}
