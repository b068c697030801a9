package org.omamori.api.engine;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One engine's inspection of one request. The pipeline calls its methods from one thread at a
 * time, in order: {@link #headers} when a direction's headers arrive (the response's; the
 * request's are in the request), {@link #body} for each chunk, {@link #endOfBody} when a
 * direction ends, {@link #verdict} whenever it needs the verdict so far, and {@link #close}
 * exactly once.
 *
 * <p>Body chunks are the message body as it crossed the wire: for HTTP with its transfer coding
 * (chunked framing) and content coding (gzip, deflate) as sent. An engine that must see what the
 * user's program will see decodes it, as the headers of that direction say, or implements
 * {@link ContentInspection} and gets the content decoded once by the pipeline for all engines.
 */
@ConsumerType
public interface Inspection extends AutoCloseable {

    /** The verdict from everything seen so far. */
    Verdict verdict();

    /**
     * The headers of a direction, in the order received, before that direction's body; for HTTP
     * the response headers, led by the {@link Header#STATUS_LINE} pseudo-header since 1.3 (an
     * engine that reads fields skips {@linkplain Header#pseudo() pseudo-headers}). Since 1.2.
     */
    default void headers(Direction direction, java.util.List<Header> headers) {
    }

    /**
     * {@link #headers(Direction, java.util.List)} with the head those headers were parsed from, as
     * received: start line, header lines and the empty line, bytes as sent (folding, spacing,
     * case), for engines that look at them (IPS {@code http.header.raw}). The buffer is a read-only
     * view of the intake's bytes, positioned at 0 and this engine's own; the bytes stay as they
     * are until the inspection is closed (copy what must outlive it); empty when the intake has no
     * head to give. An intake of 1.5 calls this one; an engine that does not override it gets the
     * headers alone. Since 1.5.
     */
    default void headers(Direction direction, java.util.List<Header> headers, ByteBuffer head) {
        headers(direction, headers);
    }

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
