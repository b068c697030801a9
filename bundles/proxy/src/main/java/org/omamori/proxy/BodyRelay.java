package org.omamori.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.http.BodyFormatException;
import org.omamori.http.ChunkedDecoder;

/**
 * A message body relayed as it is read: framed by its {@link Framing} (the end of a chunked body
 * found by the strict {@link ChunkedDecoder}), each slice given to the engines as sent on the wire
 * (decision 0008) and then forwarded as the proxy rebuilds it ({@link CanonicalChunks}).
 */
final class BodyRelay {

    private BodyRelay() {
    }

    /** Where the forwarded slices go: the held body, the origin or the client. */
    @FunctionalInterface
    interface SliceSink {
        void accept(ByteBuffer slice) throws IOException;

        /** Where the next slice may be read so that holding it costs no copy ({@link HeldBody#space()}); null: anywhere. */
        default ByteBuffer space() {
            return null;
        }
    }

    /**
     * Reads a framed body, passing each wire slice to the engines and then to {@code forward}, which
     * may keep it in {@code held} as a view until the next read. Null when the framing broke.
     */
    static Verdict relay(ClientSession session, StreamingInspection inspection, HttpInput from, Framing framing, Direction direction,
                         HeldBody held, SliceSink forward) throws IOException {
        if (framing instanceof Framing.None) {
            return inspection.endOfBodyVerdict(direction);
        }
        ChunkedDecoder chunked = framing instanceof Framing.Chunked ? new ChunkedDecoder() : null;
        CanonicalChunks reframed = chunked == null ? null : new CanonicalChunks();
        long remaining = framing instanceof Framing.Length l ? l.bytes() : Long.MAX_VALUE;
        while (remaining > 0 && (chunked == null || !chunked.finished())) {
            held.settle(); // the slices it holds as views are copied before the reader reuses its buffer
            // A large body being held is read into its own blocks; a chunked one is rebuilt, so it is not.
            ByteBuffer space = chunked == null ? forward.space() : null;
            ByteBuffer slice = space == null ? from.next(remaining) : from.next(remaining, space);
            if (slice == null) {
                if (framing instanceof Framing.UntilClose) {
                    break;
                }
                if (direction == Direction.REQUEST) {
                    session.refuse(400, "the request body ended early");
                }
                return null;
            }
            ByteBuffer wire = slice;
            ByteBuffer onward = slice;
            if (chunked != null) {
                wire = slice.duplicate();
                reframed.clear();
                try {
                    chunked.decode(slice, reframed::chunk);
                } catch (BodyFormatException e) {
                    if (direction == Direction.REQUEST) {
                        session.refuse(400, "malformed chunked body: " + e.getMessage());
                    }
                    return null;
                }
                wire.limit(slice.position());
                from.unread(slice.remaining());
                if (chunked.finished()) {
                    reframed.end();
                }
                onward = reframed.bytes();
            } else if (remaining != Long.MAX_VALUE) {
                remaining -= slice.remaining();
            }
            Verdict verdict = inspection.bodyVerdict(direction, wire.asReadOnlyBuffer());
            if (verdict.intervenes()) {
                return verdict;
            }
            if (onward.hasRemaining()) {
                forward.accept(onward);
            }
        }
        return inspection.endOfBodyVerdict(direction);
    }
}
