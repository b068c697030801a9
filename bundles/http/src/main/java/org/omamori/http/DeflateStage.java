package org.omamori.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.Inflater;

/**
 * Undoes "deflate". RFC 9110 means zlib-wrapped deflate (RFC 1950), but servers have long sent raw
 * deflate (RFC 1951) and browsers accept both, telling them apart by whether the first two bytes
 * form a valid zlib header. We do the same, so that we see what the browser sees. The zlib
 * Adler-32 is checked; bytes after the end of the stream are an error. An empty body decodes to
 * nothing.
 */
final class DeflateStage extends CodingStage {

    private enum State { START, HELD_FIRST_BYTE, INFLATE, DONE }

    private State state = State.START;
    private Inflater inflater;
    private boolean closed;
    /** The first byte, when it arrived alone: the variant is decided on two. */
    private final byte[] held = new byte[1];
    private final ByteBuffer heldInput = ByteBuffer.wrap(held);

    DeflateStage(CodingStage next, ExpansionGuard guard) {
        super("deflate", next, guard);
    }

    @Override
    void decode(ByteBuffer in, BodySink sink) throws IOException {
        if (!in.hasRemaining()) {
            return;
        }
        switch (state) {
            case START -> {
                if (in.remaining() == 1) {
                    held[0] = in.get();
                    state = State.HELD_FIRST_BYTE;
                    return;
                }
                start(in.get(in.position()), in.get(in.position() + 1));
            }
            case HELD_FIRST_BYTE -> {
                start(held[0], in.get(in.position()));
                heldInput.clear();
                // One byte cannot end a deflate stream, so the stream goes on in `in`.
                inflate(inflater, heldInput, sink, null);
            }
            case INFLATE -> { }
            case DONE -> throw error(in.remaining() + " bytes after the end of the deflate stream");
        }
        if (inflate(inflater, in, sink, null)) {
            state = State.DONE;
            close();
            if (in.hasRemaining()) {
                throw error(in.remaining() + " bytes after the end of the deflate stream");
            }
        }
    }

    private void start(byte first, byte second) {
        inflater = new Inflater(!isZlibHeader(first & 0xff, second & 0xff));
        state = State.INFLATE;
    }

    /** RFC 1950: method 8, window at most 32 KiB, header a multiple of 31. */
    static boolean isZlibHeader(int cmf, int flg) {
        return (cmf & 0x0f) == 8 && (cmf >>> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
    }

    @Override
    void finish() throws BodyFormatException {
        switch (state) {
            case START, DONE -> { }
            case HELD_FIRST_BYTE -> throw error("truncated: body ended after one byte");
            case INFLATE -> throw error("truncated: body ended inside the deflate data");
        }
    }

    @Override
    void close() {
        if (!closed && inflater != null) {
            closed = true;
            inflater.end();
        }
    }
}
