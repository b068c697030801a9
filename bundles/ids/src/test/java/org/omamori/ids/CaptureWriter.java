package org.omamori.ids;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Writes test captures: pcap (micro- or nanosecond, either byte order) and pcapng (either byte order). */
final class CaptureWriter {

    enum Format { PCAP_MICROS_LE, PCAP_MICROS_BE, PCAP_NANOS_LE, PCAP_NANOS_BE, PCAPNG_LE, PCAPNG_BE }

    record Frame(long timeNanos, byte[] data, int linkType) {
    }

    private final List<Frame> frames = new ArrayList<>();
    private long time = 1_764_000_000_000_000_000L; // late 2025, in nanoseconds

    /** Adds an Ethernet frame 1 ms after the previous one. */
    CaptureWriter add(byte[] frame) {
        return add(frame, 1);
    }

    CaptureWriter add(byte[] frame, int linkType) {
        time += 1_000_000;
        frames.add(new Frame(time, frame, linkType));
        return this;
    }

    List<Frame> frames() {
        return frames;
    }

    byte[] write(Format format) {
        return switch (format) {
            case PCAP_MICROS_LE -> pcap(ByteOrder.LITTLE_ENDIAN, false);
            case PCAP_MICROS_BE -> pcap(ByteOrder.BIG_ENDIAN, false);
            case PCAP_NANOS_LE -> pcap(ByteOrder.LITTLE_ENDIAN, true);
            case PCAP_NANOS_BE -> pcap(ByteOrder.BIG_ENDIAN, true);
            case PCAPNG_LE -> pcapng(ByteOrder.LITTLE_ENDIAN);
            case PCAPNG_BE -> pcapng(ByteOrder.BIG_ENDIAN);
        };
    }

    private byte[] pcap(ByteOrder order, boolean nanos) {
        int size = 24;
        for (Frame f : frames) {
            size += 16 + f.data.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.putInt(nanos ? 0xA1B23C4D : 0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(262144).putInt(frames.isEmpty() ? 1 : frames.get(0).linkType);
        for (Frame f : frames) {
            b.putInt((int) (f.timeNanos / 1_000_000_000L));
            long fraction = f.timeNanos % 1_000_000_000L;
            b.putInt((int) (nanos ? fraction : fraction / 1000));
            b.putInt(f.data.length).putInt(f.data.length).put(f.data);
        }
        return b.array();
    }

    private byte[] pcapng(ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Section header with one comment option, then an unknown block the reader must skip.
        byte[] comment = "test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer options = ByteBuffer.allocate(12).order(order);
        options.putShort((short) 1).putShort((short) comment.length).put(comment).putShort((short) 0).putShort((short) 0);
        ByteBuffer shb = ByteBuffer.allocate(16 + 12).order(order);
        shb.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).put(options.array());
        block(out, order, 0x0A0D0D0A, shb.array());
        block(out, order, 0x00000BAD, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        // Interface 0: microseconds; interface 1: nanoseconds (if_tsresol 9).
        int linkType = frames.isEmpty() ? 1 : frames.get(0).linkType;
        block(out, order, 1, ByteBuffer.allocate(8).order(order).putShort((short) linkType).putShort((short) 0).putInt(0).array());
        ByteBuffer idb1 = ByteBuffer.allocate(8 + 8 + 4).order(order);
        idb1.putShort((short) linkType).putShort((short) 0).putInt(262144).putShort((short) 9).putShort((short) 1).put((byte) 9)
                .put(new byte[3]).putShort((short) 0).putShort((short) 0);
        block(out, order, 1, idb1.array());
        int i = 0;
        for (Frame f : frames) {
            int iface = i++ % 2;
            long ts = iface == 0 ? f.timeNanos / 1000 : f.timeNanos;
            int padded = (f.data.length + 3) & ~3;
            ByteBuffer epb = ByteBuffer.allocate(20 + padded).order(order);
            epb.putInt(iface).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(f.data.length).putInt(f.data.length).put(f.data);
            block(out, order, 6, epb.array());
        }
        return out.toByteArray();
    }

    private static void block(ByteArrayOutputStream out, ByteOrder order, int type, byte[] body) {
        int length = 12 + body.length;
        out.writeBytes(ByteBuffer.allocate(8).order(order).putInt(type).putInt(length).array());
        out.writeBytes(body);
        out.writeBytes(ByteBuffer.allocate(4).order(order).putInt(length).array());
    }
}
