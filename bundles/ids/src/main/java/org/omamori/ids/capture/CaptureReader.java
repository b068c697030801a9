package org.omamori.ids.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.omamori.ids.capture.CaptureException.Problem;

/**
 * Reads pcap (microsecond, nanosecond and the modified 24-byte-record variant, either byte order)
 * and pcapng (section header, interface description, enhanced, simple and obsolete packet blocks;
 * other blocks skipped) from a stream, one packet at a time, in pure Java.
 *
 * <p>Every length is checked against its container before it is used, and no record or block
 * that is read whole may exceed {@link #MAX_PACKET_BYTES} plus room for its options; blocks that
 * are skipped are read through a small buffer. So a hostile file ends in a {@link CaptureException}
 * saying where, never in another exception, a large allocation or a loop that does not advance.
 */
public final class CaptureReader implements AutoCloseable {

    /** Largest packet accepted; the largest snapshot length in use (tcpdump's) is 256 KiB. */
    public static final int MAX_PACKET_BYTES = 256 * 1024;
    /** Largest pcapng block read whole: a maximal packet and 64 KiB of options. */
    static final int MAX_BLOCK_BYTES = MAX_PACKET_BYTES + 64 * 1024 + 32;
    /** Interfaces per pcapng section. */
    static final int MAX_INTERFACES = 4096;

    private static final int PCAP_MICROS = 0xA1B2C3D4;
    private static final int PCAP_NANOS = 0xA1B23C4D;
    private static final int PCAP_MODIFIED = 0xA1B2CD34;
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_BOM = 0x1A2B3C4D;
    private static final int IDB = 1;
    private static final int OPB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;

    /** The capture formats read. */
    public enum Format {
        PCAP("pcap"), PCAPNG("pcapng");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private record Interface(int linkType, long snapLength, long unitsPerSecond, int binaryShift) {
    }

    private final InputStream in;
    private final Format format;
    private final byte[] head = new byte[28];
    private final byte[] scratch = new byte[8192];
    private boolean little;
    private long offset;
    private long packets;
    private long lastTime;

    // pcap
    private int pcapLinkType;
    private boolean pcapNanos;
    private int pcapRecordHeader = 16;

    // pcapng
    private final List<Interface> interfaces = new ArrayList<>();

    private CaptureReader(InputStream in) throws IOException, CaptureException {
        this.in = in;
        int n = readUpTo(head, 0, 4);
        if (n < 4) {
            throw new CaptureException(Problem.NOT_A_CAPTURE, 0, 0,
                    n == 0 ? "the file is empty" : "the file has only " + n + " byte(s): not a pcap or pcapng capture");
        }
        int big = intAt(head, 0, false);
        int small = intAt(head, 0, true);
        if (big == PCAPNG_SHB) {
            format = Format.PCAPNG;
            sectionHeader(0);
            return;
        }
        format = Format.PCAP;
        if (big == PCAP_MICROS || big == PCAP_NANOS || big == PCAP_MODIFIED) {
            little = false;
        } else if (small == PCAP_MICROS || small == PCAP_NANOS || small == PCAP_MODIFIED) {
            little = true;
        } else {
            throw new CaptureException(Problem.NOT_A_CAPTURE, 0, 0, String.format(
                    "the file begins with %02x %02x %02x %02x, not with a pcap or pcapng magic number",
                    head[0], head[1], head[2], head[3]));
        }
        int magic = little ? small : big;
        pcapNanos = magic == PCAP_NANOS;
        pcapRecordHeader = magic == PCAP_MODIFIED ? 24 : 16;
        need(head, 4, 20, 0, "the pcap file header");
        int major = shortAt(head, 4);
        if (major != 2) {
            throw corrupt(4, "pcap version " + major + "." + shortAt(head, 6) + " (only 2.x is defined)");
        }
        pcapLinkType = intAt(head, 20, little) & 0xFFFF; // the upper bits carry FCS information
    }

    /** Opens a capture: reads its first header and tells pcap from pcapng. */
    public static CaptureReader open(InputStream in) throws IOException, CaptureException {
        return new CaptureReader(in);
    }

    public Format format() {
        return format;
    }

    /** Bytes read so far. */
    public long offset() {
        return offset;
    }

    /** Packets returned so far. */
    public long packets() {
        return packets;
    }

    /** The next packet, or null at the clean end of the file. */
    public CapturedPacket next() throws IOException, CaptureException {
        return format == Format.PCAP ? nextPcap() : nextPcapng();
    }

    // ---- pcap ---------------------------------------------------------------------------------

    private CapturedPacket nextPcap() throws IOException, CaptureException {
        long start = offset;
        int n = readUpTo(head, 0, pcapRecordHeader);
        if (n == 0) {
            return null;
        }
        if (n < pcapRecordHeader) {
            throw truncated(start, "the record header of packet " + (packets + 1) + " (" + n + " of "
                    + pcapRecordHeader + " bytes)");
        }
        long seconds = intAt(head, 0, little) & 0xFFFF_FFFFL;
        long fraction = intAt(head, 4, little) & 0xFFFF_FFFFL;
        long captured = intAt(head, 8, little) & 0xFFFF_FFFFL;
        long original = intAt(head, 12, little) & 0xFFFF_FFFFL;
        if (captured > MAX_PACKET_BYTES) {
            throw corrupt(start, "packet " + (packets + 1) + " claims " + captured + " captured bytes (at most "
                    + MAX_PACKET_BYTES + " are accepted)");
        }
        byte[] data = new byte[(int) captured];
        need(data, 0, data.length, start, "the data of packet " + (packets + 1));
        long nanos = seconds * 1_000_000_000L + (pcapNanos ? fraction : fraction * 1000);
        return packet(start, nanos, pcapLinkType, data, Math.max(original, captured));
    }

    // ---- pcapng -------------------------------------------------------------------------------

    private CapturedPacket nextPcapng() throws IOException, CaptureException {
        while (true) {
            long start = offset;
            int n = readUpTo(head, 0, 8);
            if (n == 0) {
                return null;
            }
            if (n < 8) {
                throw truncated(start, "a block header (" + n + " of 8 bytes)");
            }
            int type = intAt(head, 0, little);
            if (type == PCAPNG_SHB) {
                sectionHeader(start);
                continue;
            }
            long length = intAt(head, 4, little) & 0xFFFF_FFFFL;
            if (length < 12 || length % 4 != 0) {
                throw corrupt(start, "block of type " + typeName(type) + " has length " + length
                        + " (a block is at least 12 bytes and a multiple of 4)");
            }
            if (type != IDB && type != EPB && type != SPB && type != OPB) {
                skip(length - 12, start, "block of type " + typeName(type));
                trailer(start, length);
                continue;
            }
            if (length > MAX_BLOCK_BYTES) {
                throw corrupt(start, typeName(type) + " block of " + length + " bytes (at most " + MAX_BLOCK_BYTES
                        + " are accepted)");
            }
            byte[] body = new byte[(int) length - 12];
            need(body, 0, body.length, start, "a " + typeName(type) + " block");
            trailer(start, length);
            if (type == IDB) {
                interfaceDescription(body, start);
                continue;
            }
            CapturedPacket p = switch (type) {
                case EPB -> enhancedPacket(body, start);
                case SPB -> simplePacket(body, start);
                default -> obsoletePacket(body, start);
            };
            return p;
        }
    }

    /** The section header block; {@code head[0..4)} holds its type. Sets the byte order. */
    private void sectionHeader(long start) throws IOException, CaptureException {
        need(head, 4, 8, start, "the section header block");
        int bom = intAt(head, 8, false);
        if (bom == PCAPNG_BOM) {
            little = false;
        } else if (Integer.reverseBytes(bom) == PCAPNG_BOM) {
            little = true;
        } else {
            throw start == 0
                    ? new CaptureException(Problem.NOT_A_CAPTURE, 0, 0, "the file begins like pcapng but has no byte-order magic")
                    : corrupt(start, "section header block without a byte-order magic");
        }
        long length = intAt(head, 4, little) & 0xFFFF_FFFFL;
        if (length < 28 || length % 4 != 0) {
            throw corrupt(start, "section header block of length " + length + " (at least 28, a multiple of 4)");
        }
        need(head, 12, 4, start, "the section header block");
        int major = shortAt(head, 12);
        if (major != 1) {
            throw corrupt(start, "pcapng version " + major + "." + shortAt(head, 14) + " (only 1.x is defined)");
        }
        skip(length - 16 - 4, start, "the section header block");
        trailer(start, length);
        interfaces.clear();
    }

    private void interfaceDescription(byte[] body, long start) throws CaptureException {
        if (body.length < 8) {
            throw corrupt(start, "interface description block with " + body.length + " body bytes (at least 8)");
        }
        if (interfaces.size() >= MAX_INTERFACES) {
            throw corrupt(start, "more than " + MAX_INTERFACES + " interfaces in one section");
        }
        int linkType = shortAt(body, 0);
        long snap = intAt(body, 4, little) & 0xFFFF_FFFFL;
        long units = 1_000_000;
        int shift = -1;
        int p = 8;
        while (p + 4 <= body.length) {
            int code = shortAt(body, p);
            int len = shortAt(body, p + 2);
            if (code == 0) {
                break;
            }
            if (p + 4 + len > body.length) {
                throw corrupt(start, "interface option " + code + " of " + len + " bytes runs past its block");
            }
            if (code == 9 && len >= 1) { // if_tsresol
                int r = body[p + 4] & 0xFF;
                int exp = r & 0x7F;
                if ((r & 0x80) != 0) {
                    if (exp > 62) {
                        throw corrupt(start, "timestamp resolution 2^-" + exp);
                    }
                    shift = exp;
                } else {
                    if (exp > 18) {
                        throw corrupt(start, "timestamp resolution 10^-" + exp);
                    }
                    units = 1;
                    for (int i = 0; i < exp; i++) {
                        units *= 10;
                    }
                }
            }
            p += 4 + ((len + 3) & ~3);
        }
        interfaces.add(new Interface(linkType, snap, units, shift));
    }

    private CapturedPacket enhancedPacket(byte[] body, long start) throws CaptureException {
        if (body.length < 20) {
            throw corrupt(start, "enhanced packet block with " + body.length + " body bytes (at least 20)");
        }
        Interface iface = iface(intAt(body, 0, little) & 0xFFFF_FFFFL, start);
        long ts = ((intAt(body, 4, little) & 0xFFFF_FFFFL) << 32) | (intAt(body, 8, little) & 0xFFFF_FFFFL);
        long captured = intAt(body, 12, little) & 0xFFFF_FFFFL;
        long original = intAt(body, 16, little) & 0xFFFF_FFFFL;
        if (captured > body.length - 20) {
            throw corrupt(start, "packet " + (packets + 1) + " claims " + captured + " captured bytes in a block with room for "
                    + (body.length - 20));
        }
        byte[] data = java.util.Arrays.copyOfRange(body, 20, 20 + (int) captured);
        return packet(start, nanos(ts, iface), iface.linkType, data, Math.max(original, captured));
    }

    private CapturedPacket simplePacket(byte[] body, long start) throws CaptureException {
        if (body.length < 4) {
            throw corrupt(start, "simple packet block with " + body.length + " body bytes (at least 4)");
        }
        Interface iface = iface(0, start);
        long original = intAt(body, 0, little) & 0xFFFF_FFFFL;
        long captured = Math.min(original, body.length - 4);
        if (iface.snapLength > 0) {
            captured = Math.min(captured, iface.snapLength);
        }
        byte[] data = java.util.Arrays.copyOfRange(body, 4, 4 + (int) captured);
        return packet(start, lastTime, iface.linkType, data, original);
    }

    private CapturedPacket obsoletePacket(byte[] body, long start) throws CaptureException {
        if (body.length < 20) {
            throw corrupt(start, "packet block with " + body.length + " body bytes (at least 20)");
        }
        Interface iface = iface(shortAt(body, 0), start);
        long ts = ((intAt(body, 4, little) & 0xFFFF_FFFFL) << 32) | (intAt(body, 8, little) & 0xFFFF_FFFFL);
        long captured = intAt(body, 12, little) & 0xFFFF_FFFFL;
        long original = intAt(body, 16, little) & 0xFFFF_FFFFL;
        if (captured > body.length - 20) {
            throw corrupt(start, "packet " + (packets + 1) + " claims " + captured + " captured bytes in a block with room for "
                    + (body.length - 20));
        }
        byte[] data = java.util.Arrays.copyOfRange(body, 20, 20 + (int) captured);
        return packet(start, nanos(ts, iface), iface.linkType, data, Math.max(original, captured));
    }

    private Interface iface(long id, long start) throws CaptureException {
        if (id >= interfaces.size()) {
            throw corrupt(start, "packet " + (packets + 1) + " names interface " + id + " but the section describes "
                    + interfaces.size());
        }
        return interfaces.get((int) id);
    }

    /** Timestamp units to nanoseconds; saturates rather than overflows on absurd values. */
    private static long nanos(long ts, Interface iface) {
        if (iface.binaryShift >= 0) {
            int shift = iface.binaryShift;
            long seconds = shift == 0 ? ts : ts >>> shift;
            long fraction = shift == 0 ? 0 : ts & ((1L << shift) - 1);
            if (shift > 30) { // keep fraction * 1e9 within a long
                fraction >>>= shift - 30;
                shift = 30;
            }
            return saturatedNanos(seconds, (fraction * 1_000_000_000L) >>> shift);
        }
        long units = iface.unitsPerSecond;
        long seconds = Long.divideUnsigned(ts, units);
        long fraction = Long.remainderUnsigned(ts, units);
        long fractionNanos = units <= 1_000_000_000L ? fraction * (1_000_000_000L / units) : fraction / (units / 1_000_000_000L);
        return saturatedNanos(seconds, fractionNanos);
    }

    private static long saturatedNanos(long seconds, long fractionNanos) {
        if (seconds < 0 || seconds > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.MAX_VALUE;
        }
        return seconds * 1_000_000_000L + fractionNanos;
    }

    private void trailer(long start, long length) throws IOException, CaptureException {
        need(head, 16, 4, start, "the end of a block");
        long trailing = intAt(head, 16, little) & 0xFFFF_FFFFL;
        if (trailing != length) {
            throw corrupt(start, "block length " + length + " at its start but " + trailing + " at its end");
        }
    }

    private static String typeName(int type) {
        return switch (type) {
            case IDB -> "interface description";
            case EPB -> "enhanced packet";
            case SPB -> "simple packet";
            case OPB -> "packet";
            default -> String.format("0x%08x", type);
        };
    }

    // ---- bytes --------------------------------------------------------------------------------

    private CapturedPacket packet(long start, long nanos, int linkType, byte[] data, long original) {
        packets++;
        lastTime = nanos;
        return new CapturedPacket(packets, start, nanos, linkType, data, original);
    }

    private CaptureException truncated(long start, String what) {
        return new CaptureException(Problem.TRUNCATED, start, packets, "the capture ends at byte " + offset
                + " inside " + what + " that starts at byte " + start + ", after " + packets + " complete packet(s)");
    }

    private CaptureException corrupt(long start, String what) {
        return new CaptureException(Problem.CORRUPT, start, packets, "corrupt capture at byte " + start
                + ", after " + packets + " complete packet(s): " + what);
    }

    private void need(byte[] into, int at, int length, long start, String what) throws IOException, CaptureException {
        if (readUpTo(into, at, length) < length) {
            throw truncated(start, what);
        }
    }

    private void skip(long length, long start, String what) throws IOException, CaptureException {
        long left = length;
        while (left > 0) {
            int n = readUpTo(scratch, 0, (int) Math.min(scratch.length, left));
            if (n == 0) {
                throw truncated(start, what);
            }
            left -= n;
        }
    }

    private int readUpTo(byte[] into, int at, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, at + done, length - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        offset += done;
        return done;
    }

    private int intAt(byte[] b, int at, boolean littleEndian) {
        int v = (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
        return littleEndian ? Integer.reverseBytes(v) : v;
    }

    private int shortAt(byte[] b, int at) {
        int v = (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
        return little ? Integer.reverseBytes(v) >>> 16 : v;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
