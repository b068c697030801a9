package org.omamori.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.core.JsonGenerator;

import org.omamori.events.Event;
import org.omamori.events.EventCodec;

/**
 * Events of one kind framed ({@link Frames}) one after the other in one array, as they go into a
 * segment: each event's JSON is written in place behind room for its frame header, which is
 * filled in once the length is known. Before, an event's JSON was copied out of its own buffer,
 * into a frame, into the batch and out of it again before the write (five copies and ~2.5 KB of
 * garbage per event on the DNS filter's busiest path).
 */
final class FrameBatch {

    private byte[] bytes;
    private int size;
    private int[] ends;
    private int count;
    private final CRC32C crc = new CRC32C();
    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    };

    /** Room for about {@code events} events of a typical size (a DNS threat event is ~600 bytes). */
    FrameBatch(int events) {
        this.bytes = new byte[Math.max(1, events) * 768];
        this.ends = new int[Math.max(1, events)];
    }

    /** Frames one event; an event too large for a record ({@link Frames#MAX_PAYLOAD}) is refused and leaves nothing. */
    void add(Event e) {
        int start = size;
        room(Frames.HEADER);
        size += Frames.HEADER;
        try (JsonGenerator g = EventCodec.JSON.createGenerator(sink)) {
            EventCodec.write(e, g);
        } catch (IOException x) {
            size = start;
            throw new UncheckedIOException(x);
        }
        try {
            Frames.seal(bytes, start, size - start - Frames.HEADER, crc);
        } catch (IllegalArgumentException x) {
            size = start;
            throw x;
        }
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = size;
    }

    int count() {
        return count;
    }

    /** Where frame {@code i} starts in {@link #bytes()}. */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** Where frame {@code i} ends (exclusive). */
    int end(int i) {
        return ends[i];
    }

    /** The frames' bytes, valid up to {@code end(count() - 1)}. */
    byte[] bytes() {
        return bytes;
    }

    private void room(int n) {
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
    }
}
