package org.omamori.ids;

/**
 * The name asked in a DNS query message (RFC 1035 §4.1), read with bounds: labels of at most 63
 * bytes, a name of at most 255, compression pointers followed at most 16 times and only
 * backwards. Bytes other than letters, digits, '-' and '_' are written as {@code \DDD}, as
 * zone files do, so no name smuggles a dot or a control character into an event.
 */
final class DnsQuestion {

    /** What a UDP payload on port 53 turned out to be. */
    enum Kind { QUERY, RESPONSE, MALFORMED }

    private static final int MAX_NAME = 255;
    private static final int MAX_POINTERS = 16;

    private DnsQuestion() {
    }

    static Kind kind(byte[] b, int offset, int length) {
        if (length < 12) {
            return Kind.MALFORMED;
        }
        return (b[offset + 2] & 0x80) != 0 ? Kind.RESPONSE : Kind.QUERY;
    }

    /** The first question's name of a standard query, or null when the message is malformed or has none. */
    static String name(byte[] b, int offset, int length) {
        if (length < 12 || (b[offset + 2] & 0x80) != 0 || ((b[offset + 2] >>> 3) & 0x0F) != 0
                || PacketDecoder.u16(b, offset + 4) == 0) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int end = offset + length;
        int p = offset + 12;
        int pointers = 0;
        int wireLength = 0;
        while (true) {
            if (p >= end) {
                return null;
            }
            int len = b[p] & 0xFF;
            if (len == 0) {
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                if (p + 1 >= end || ++pointers > MAX_POINTERS) {
                    return null;
                }
                int target = offset + (((len & 0x3F) << 8) | (b[p + 1] & 0xFF));
                if (target >= p) {
                    return null; // forward or self pointer: never needed in a question
                }
                p = target;
                continue;
            }
            if ((len & 0xC0) != 0 || p + 1 + len > end) {
                return null;
            }
            wireLength += len + 1;
            if (wireLength > MAX_NAME) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int i = p + 1; i <= p + len; i++) {
                int c = b[i] & 0xFF;
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
                    name.append((char) c);
                } else {
                    name.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10))
                            .append((char) ('0' + c % 10));
                }
            }
            p += 1 + len;
        }
        return name.length() == 0 ? "." : name.toString();
    }
}
