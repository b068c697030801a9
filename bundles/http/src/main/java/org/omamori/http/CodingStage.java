package org.omamori.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One content coding being undone inside a {@link ContentDecoder}. Its output goes, one bounded
 * buffer at a time, to the next stage (the coding applied before it) or, for the last, to the sink.
 */
abstract sealed class CodingStage permits GzipStage, DeflateStage {

    private static final byte[] NO_BYTES = new byte[0];

    final String coding;
    private final CodingStage next;
    private final ExpansionGuard guard;
    /** Heap buffer, so checksums can read its array without copying. */
    private final ByteBuffer output;
    private long produced;
    /** Bytes of this coding's stream consumed so far; where errors are reported. */
    long consumed;

    CodingStage(String coding, CodingStage next, ExpansionGuard guard) {
        this.coding = coding;
        this.next = next;
        this.guard = guard;
        this.output = ByteBuffer.allocate(guard.limits().outputChunkBytes());
    }

    /** Consumes all of {@code in}, passing decoded output on. */
    abstract void decode(ByteBuffer in, BodySink sink) throws IOException;

    /** The input has ended: the coding must have ended cleanly too. */
    abstract void finish() throws BodyFormatException;

    /** Releases the inflater's native memory. Idempotent. */
    abstract void close();

    long produced() {
        return produced;
    }

    /**
     * Inflates {@code in} until it is used up or the deflate stream ends; in the latter case
     * {@code in}'s position is on the first byte after the stream.
     *
     * @return whether the deflate stream ended
     */
    final boolean inflate(Inflater inflater, ByteBuffer in, BodySink sink, CRC32 crc) throws IOException {
        inflater.setInput(in);
        try {
            for (;;) {
                int before = in.position();
                int n;
                try {
                    n = inflater.inflate(output);
                } catch (DataFormatException e) {
                    consumed += in.position() - before;
                    throw error("corrupt deflate data (" + e.getMessage() + ")");
                }
                consumed += in.position() - before;
                if (n > 0) {
                    if (crc != null) {
                        crc.update(output.array(), 0, output.position());
                    }
                    emit(sink);
                }
                if (inflater.finished()) {
                    return true;
                }
                if (inflater.needsDictionary()) {
                    throw error("deflate stream needs a preset dictionary, which HTTP never provides");
                }
                if (n == 0 && in.position() == before) {
                    if (!in.hasRemaining()) {
                        return false;
                    }
                    // zlib always progresses with input and output space; this would loop forever.
                    throw new IllegalStateException(coding + ": inflater made no progress");
                }
            }
        } finally {
            // Drop the reference to the caller's buffer, valid only during its call.
            inflater.setInput(NO_BYTES);
        }
    }

    private void emit(BodySink sink) throws IOException {
        output.flip();
        int n = output.remaining();
        guard.admit(coding, produced, n);
        produced += n;
        try {
            if (next != null) {
                next.decode(output, sink);
            } else {
                sink.accept(output);
            }
        } finally {
            output.clear();
        }
    }

    final BodyFormatException error(String what) {
        return error(what, consumed);
    }

    final BodyFormatException error(String what, long at) {
        return new BodyFormatException(coding + ": " + what + " at byte " + at + " of the " + coding + " stream");
    }
}
