package org.omamori.ids;

/**
 * Peels a captured frame down to TCP or UDP: link layer (Ethernet with 802.1Q/802.1ad tags,
 * Linux cooked v1 and v2, raw IP, BSD loopback), IPv4 (fragments are not reassembled) and IPv6
 * (hop-by-hop, routing and destination option headers skipped). Every length is checked against
 * the bytes at hand; the outcome says why a packet was not decoded.
 */
final class PacketDecoder {

    /** Why a packet was or was not decoded. */
    enum Outcome {
        TCP, UDP,
        /** A link type this reader does not decode. */
        UNSUPPORTED_LINK,
        /** Not IP (ARP, LLDP, ...). */
        NOT_IP,
        /** An IP fragment: not reassembled. */
        FRAGMENT,
        /** IP carrying something other than TCP or UDP (ICMP, ...). */
        OTHER_PROTOCOL,
        /** The capture cut the packet inside its headers or payload. */
        CUT,
        /** A length or field that cannot be right. */
        MALFORMED
    }

    private static final int MAX_VLAN_TAGS = 4;
    private static final int MAX_IPV6_EXTENSIONS = 8;

    /** The decoded facts of the last packet; reused. */
    static final class Packet {
        long srcHi;
        long srcLo;
        long dstHi;
        long dstLo;
        int srcPort;
        int dstPort;
        int seq;
        int ack;
        int flags;
        int payloadOffset;
        int payloadLength;
        long srcMac = -1;

        Endpoint source() {
            return new Endpoint(srcHi, srcLo, srcPort);
        }

        Endpoint destination() {
            return new Endpoint(dstHi, dstLo, dstPort);
        }
    }

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    private PacketDecoder() {
    }

    static Outcome decode(int linkType, byte[] b, Packet out) {
        out.srcMac = -1;
        int n = b.length;
        return switch (linkType) {
            case 1 -> ethernet(b, n, out);
            case 12, 14, 101 -> n < 1 ? Outcome.CUT : ip(b, 0, n, out);
            case 228 -> ipv4(b, 0, n, out);
            case 229 -> ipv6(b, 0, n, out);
            case 113 -> n < 16 ? Outcome.CUT : etherType(u16(b, 14), b, 16, n, out);
            case 276 -> n < 20 ? Outcome.CUT : etherType(u16(b, 0), b, 20, n, out);
            case 0 -> loopback(b, n, out);
            default -> Outcome.UNSUPPORTED_LINK;
        };
    }

    private static Outcome ethernet(byte[] b, int n, Packet out) {
        if (n < 14) {
            return Outcome.CUT;
        }
        long mac = 0;
        for (int i = 6; i < 12; i++) {
            mac = mac << 8 | (b[i] & 0xFF);
        }
        int p = 12;
        int type = u16(b, p);
        for (int tags = 0; (type == 0x8100 || type == 0x88A8 || type == 0x9100) && tags < MAX_VLAN_TAGS; tags++) {
            p += 4;
            if (p + 2 > n) {
                return Outcome.CUT;
            }
            type = u16(b, p);
        }
        Outcome o = etherType(type, b, p + 2, n, out);
        out.srcMac = mac;
        return o;
    }

    private static Outcome loopback(byte[] b, int n, Packet out) {
        if (n < 4) {
            return Outcome.CUT;
        }
        int family = (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
        if ((family & 0xFFFF) == 0) {
            family = Integer.reverseBytes(family);
        }
        return switch (family) {
            case 2 -> ipv4(b, 4, n, out);
            case 10, 24, 28, 30 -> ipv6(b, 4, n, out);
            default -> Outcome.NOT_IP;
        };
    }

    private static Outcome etherType(int type, byte[] b, int p, int n, Packet out) {
        return switch (type) {
            case 0x0800 -> ipv4(b, p, n, out);
            case 0x86DD -> ipv6(b, p, n, out);
            default -> Outcome.NOT_IP;
        };
    }

    private static Outcome ip(byte[] b, int p, int n, Packet out) {
        return switch ((b[p] & 0xFF) >>> 4) {
            case 4 -> ipv4(b, p, n, out);
            case 6 -> ipv6(b, p, n, out);
            default -> Outcome.NOT_IP;
        };
    }

    private static Outcome ipv4(byte[] b, int p, int n, Packet out) {
        if (p + 20 > n) {
            return Outcome.CUT;
        }
        if ((b[p] & 0xF0) != 0x40) {
            return Outcome.MALFORMED;
        }
        int headerLength = (b[p] & 0x0F) * 4;
        int total = u16(b, p + 2);
        if (headerLength < 20 || total < headerLength) {
            return Outcome.MALFORMED;
        }
        int end = p + total;
        if (end > n) {
            return Outcome.CUT;
        }
        // Shorter than the frame is normal: Ethernet pads small frames; the padding is not payload.
        int fragment = u16(b, p + 6);
        if ((fragment & 0x2000) != 0 || (fragment & 0x1FFF) != 0) {
            return Outcome.FRAGMENT;
        }
        out.srcHi = 0;
        out.dstHi = 0;
        out.srcLo = Endpoint.V4_MAPPED | (u32(b, p + 12) & 0xFFFF_FFFFL);
        out.dstLo = Endpoint.V4_MAPPED | (u32(b, p + 16) & 0xFFFF_FFFFL);
        return transport(b[p + 9] & 0xFF, b, p + headerLength, end, out);
    }

    private static Outcome ipv6(byte[] b, int p, int n, Packet out) {
        if (p + 40 > n) {
            return Outcome.CUT;
        }
        if ((b[p] & 0xF0) != 0x60) {
            return Outcome.MALFORMED;
        }
        int end = p + 40 + u16(b, p + 4);
        if (end > n) {
            return Outcome.CUT; // a jumbogram (length 0) is never in a capture this reader takes
        }
        out.srcHi = u64(b, p + 8);
        out.srcLo = u64(b, p + 16);
        out.dstHi = u64(b, p + 24);
        out.dstLo = u64(b, p + 32);
        int next = b[p + 6] & 0xFF;
        int q = p + 40;
        for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
            switch (next) {
                case 0, 43, 60 -> {
                    if (q + 8 > end) {
                        return Outcome.MALFORMED;
                    }
                    next = b[q] & 0xFF;
                    q += ((b[q + 1] & 0xFF) + 1) * 8;
                    if (q > end) {
                        return Outcome.MALFORMED;
                    }
                }
                case 44 -> {
                    return Outcome.FRAGMENT;
                }
                default -> {
                    return transport(next, b, q, end, out);
                }
            }
        }
        return Outcome.MALFORMED;
    }

    private static Outcome transport(int protocol, byte[] b, int p, int end, Packet out) {
        if (protocol == 6) {
            if (p + 20 > end) {
                return Outcome.MALFORMED;
            }
            int headerLength = ((b[p + 12] & 0xFF) >>> 4) * 4;
            if (headerLength < 20 || p + headerLength > end) {
                return Outcome.MALFORMED;
            }
            out.srcPort = u16(b, p);
            out.dstPort = u16(b, p + 2);
            out.seq = u32(b, p + 4);
            out.ack = u32(b, p + 8);
            out.flags = b[p + 13] & 0xFF;
            out.payloadOffset = p + headerLength;
            out.payloadLength = end - out.payloadOffset;
            return Outcome.TCP;
        }
        if (protocol == 17) {
            if (p + 8 > end) {
                return Outcome.MALFORMED;
            }
            int length = u16(b, p + 4);
            if (length < 8 || p + length > end) {
                return Outcome.MALFORMED;
            }
            out.srcPort = u16(b, p);
            out.dstPort = u16(b, p + 2);
            out.flags = 0;
            out.payloadOffset = p + 8;
            out.payloadLength = length - 8;
            return Outcome.UDP;
        }
        return Outcome.OTHER_PROTOCOL;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    static int u32(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static long u64(byte[] b, int p) {
        return (u32(b, p) & 0xFFFF_FFFFL) << 32 | (u32(b, p + 4) & 0xFFFF_FFFFL);
    }
}
