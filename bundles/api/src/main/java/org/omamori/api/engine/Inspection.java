package org.omamori.api.engine;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One engine's inspection of one request. The pipeline calls its methods from one thread at a
 * time, in order: {@link #body} for each chunk, {@link #endOfBody} when a direction ends,
 * {@link #verdict} whenever it needs the verdict so far, and {@link #close} exactly once.
 */
@ConsumerType
public interface Inspection extends AutoCloseable {

    /** The verdict from everything seen so far. */
    Verdict verdict();

    /**
     * The next chunk of a body. The buffer is read-only and valid only during the call:
     * copy what must be kept, and keep no more than a bounded amount per request.
     */
    default void body(Direction direction, ByteBuffer chunk) {
    }

    /** The body in this direction is complete. */
    default void endOfBody(Direction direction) {
    }

    /** Releases what this inspection holds. Never throws. */
    @Override
    default void close() {
    }

    /** An inspection that decided on the request facts alone and wants no body. */
    static Inspection decided(Verdict verdict) {
        return () -> verdict;
    }
}
