package org.omamori.engine.urlfilter;

/**
 * Parsing and canonical text of IP address literals, by hand so that nothing here can ever
 * start a DNS lookup. IPv4 follows the WHATWG URL rules browsers use (so {@code 0xC0.0.2.1},
 * {@code 3221225985} and {@code 192.0.2.1} are the same host); IPv6 is written as RFC 5952
 * says, and an IPv4-mapped IPv6 address is written as its IPv4 address.
 */
final class IpLiteral {

    private IpLiteral() {
    }

    /**
     * Whether a host's last label makes it an IPv4 address for a browser (all digits, or
     * {@code 0x} and hex digits); such a host must then parse as IPv4 or it is invalid.
     */
    static boolean endsInNumber(CharSequence host) {
        int end = host.length();
        int start = end;
        while (start > 0 && host.charAt(start - 1) != '.') {
            start--;
        }
        if (start == end) {
            return false;
        }
        if (end - start >= 2 && host.charAt(start) == '0' && (host.charAt(start + 1) | 0x20) == 'x') {
            for (int i = start + 2; i < end; i++) {
                if (Character.digit(host.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }
        for (int i = start; i < end; i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address as an unsigned 32-bit value, or -1 if the text is not one. */
    static long parseIpv4(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > 64) {
            return -1;
        }
        long[] parts = new long[4];
        int count = 0;
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || s.charAt(i) == '.') {
                if (count == 4) {
                    return -1;
                }
                long v = parseNumber(s, start, i);
                if (v < 0) {
                    return -1;
                }
                parts[count++] = v;
                start = i + 1;
            }
        }
        long value = 0;
        for (int i = 0; i < count - 1; i++) {
            if (parts[i] > 255) {
                return -1;
            }
            value = (value << 8) | parts[i];
        }
        long last = parts[count - 1];
        int lastBytes = 5 - count;
        if (last >= 1L << (8 * lastBytes)) {
            return -1;
        }
        return (value << (8 * lastBytes)) | last;
    }

    private static long parseNumber(CharSequence s, int start, int end) {
        if (start == end) {
            return -1;
        }
        int radix = 10;
        if (end - start >= 2 && s.charAt(start) == '0' && (s.charAt(start + 1) | 0x20) == 'x') {
            radix = 16;
            start += 2;
        } else if (end - start >= 2 && s.charAt(start) == '0') {
            radix = 8;
            start++;
        }
        long v = 0;
        for (int i = start; i < end; i++) {
            int d = Character.digit(s.charAt(i), radix);
            if (d < 0 || s.charAt(i) > 'f') {
                return -1;
            }
            v = v * radix + d;
            if (v > 0xFFFF_FFFFL) {
                return -1;
            }
        }
        return v;
    }

    static String formatIpv4(long v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }

    /** The 16 bytes of an IPv6 literal without brackets, or null if it is not one. Zone ids are refused. */
    static byte[] parseIpv6(CharSequence s) {
        int n = s.length();
        if (n < 2 || n > 45) {
            return null;
        }
        byte[] out = new byte[16];
        int groups = 0;
        int gap = -1;
        int i = 0;
        if (s.charAt(0) == ':') {
            if (s.charAt(1) != ':') {
                return null;
            }
            gap = 0;
            i = 2;
            if (i == n) {
                return out;
            }
        }
        while (i < n) {
            if (groups == 8) {
                return null;
            }
            int start = i;
            int v = 0;
            while (i < n && i - start < 5) {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0 || s.charAt(i) > 'f') {
                    break;
                }
                v = (v << 4) | d;
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // Embedded IPv4 in the last 32 bits.
                if (groups > 6) {
                    return null;
                }
                long v4 = parseDottedQuad(s, start, n);
                if (v4 < 0) {
                    return null;
                }
                out[groups * 2] = (byte) (v4 >>> 24);
                out[groups * 2 + 1] = (byte) (v4 >>> 16);
                out[groups * 2 + 2] = (byte) (v4 >>> 8);
                out[groups * 2 + 3] = (byte) v4;
                groups += 2;
                i = n;
                break;
            }
            if (i == start || i - start > 4) {
                return null;
            }
            out[groups * 2] = (byte) (v >>> 8);
            out[groups * 2 + 1] = (byte) v;
            groups++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = groups;
                i++;
            } else if (i == n) {
                return null;
            }
        }
        if (gap < 0) {
            return groups == 8 ? out : null;
        }
        if (groups == 8) {
            return null;
        }
        int move = groups - gap;
        System.arraycopy(out, gap * 2, out, 16 - move * 2, move * 2);
        java.util.Arrays.fill(out, gap * 2, 16 - move * 2, (byte) 0);
        return out;
    }

    /** Strict a.b.c.d, decimal, no leading zeros (as inside IPv6 literals). */
    private static long parseDottedQuad(CharSequence s, int start, int end) {
        long value = 0;
        int parts = 0;
        int i = start;
        while (parts < 4) {
            int p = i;
            int v = 0;
            while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - p < 3) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == p || v > 255 || (i - p > 1 && s.charAt(p) == '0')) {
                return -1;
            }
            value = (value << 8) | v;
            parts++;
            if (parts < 4) {
                if (i >= end || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == end ? value : -1;
    }

    /** RFC 5952 text; an IPv4-mapped address (::ffff:a.b.c.d) becomes the IPv4 text. */
    static String formatIpv6(byte[] a) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= a[i] == 0;
        }
        if (mapped && a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
            return formatIpv4(((a[12] & 255L) << 24) | ((a[13] & 255L) << 16) | ((a[14] & 255L) << 8) | (a[15] & 255L));
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 255) << 8) | (a[2 * i + 1] & 255);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
