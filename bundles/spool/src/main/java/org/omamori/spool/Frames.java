package org.omamori.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record frame of a segment file: a 4-byte big-endian payload length, a 4-byte CRC-32C of
 * the length and the payload, then the payload (one event as EventCodec JSON). A record torn by
 * a crash, or zeros left by a file system after power loss, fail the length or CRC check.
 */
final class Frames {

    static final int HEADER = 8;
    /** Largest payload: an event is bounded well below this (Event.MAX_URL etc.). */
    static final int MAX_PAYLOAD = 64 * 1024;

    private Frames() {
    }

    static int crc(int length, byte[] payload, int offset, int count) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, offset, count);
        return (int) crc.getValue();
    }

    /**
     * True when the frame at {@code at} in {@code buffer} (whole in it, its length field read as
     * {@code length}) carries the CRC of its length and payload. Leaves the buffer's position and
     * limit as they were; {@code crc} is reset and reused, so checking allocates nothing.
     */
    static boolean intact(CRC32C crc, ByteBuffer buffer, int at, int length) {
        int position = buffer.position();
        int limit = buffer.limit();
        crc.reset();
        buffer.limit(at + 4).position(at);
        crc.update(buffer);
        buffer.limit(at + HEADER + length).position(at + HEADER);
        crc.update(buffer);
        buffer.limit(limit).position(position);
        return (int) crc.getValue() == buffer.getInt(at + 4);
    }

    /** The framed record of a payload. */
    static byte[] frame(byte[] payload) {
        byte[] record = new byte[HEADER + payload.length];
        System.arraycopy(payload, 0, record, HEADER, payload.length);
        seal(record, 0, payload.length, new CRC32C());
        return record;
    }

    /**
     * Writes the header of the record at {@code at} in {@code b}, whose {@code length} payload bytes
     * already stand behind room for it; {@code crc} is reset and reused.
     */
    static void seal(byte[] b, int at, int length, CRC32C crc) {
        if (length == 0 || length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a spool record is 1 to " + MAX_PAYLOAD + " bytes: " + length);
        }
        putInt(b, at, length); // not through a ByteBuffer: one per record was garbage on the DNS filter's event thread
        crc.reset();
        crc.update(b, at, 4);
        crc.update(b, at + HEADER, length);
        putInt(b, at + 4, (int) crc.getValue());
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /**
     * Reads the next record's payload, or null at a clean end of the input or at a record that
     * is torn or corrupt (the caller tells them apart by the bytes left).
     */
    static byte[] read(InputStream in, byte[] header) throws IOException {
        int n = in.readNBytes(header, 0, HEADER);
        if (n < HEADER) {
            return null;
        }
        int length = ByteBuffer.wrap(header).getInt(0);
        int expected = ByteBuffer.wrap(header).getInt(4);
        if (length <= 0 || length > MAX_PAYLOAD) {
            return null;
        }
        byte[] payload = new byte[length];
        if (in.readNBytes(payload, 0, length) < length) {
            return null;
        }
        return crc(length, payload, 0, length) == expected ? payload : null;
    }
}
