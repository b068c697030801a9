package org.omamori.engine.urlfilter;

import java.nio.charset.StandardCharsets;

/**
 * The parts of a URL as {@link CategoryLists} reads them from bytes without allocating: where the
 * path starts and ends, whether a prefix is a scheme, whether a host is an IPv4 literal browsers
 * would rewrite; and the canonical form its slower path matches. Static, so the hot path pays no
 * indirection for them.
 */
final class UrlBytes {

    private UrlBytes() {
    }

    /** Where the path (or query) of a URL starts; for a bare host, its length. */
    static int pathStart(String url) {
        int as;
        if (url.startsWith("//")) {
            as = 2;
        } else if (url.startsWith("/")) {
            return 0;
        } else {
            int scheme = url.indexOf("://");
            as = scheme >= 0 && scheme <= 32 ? scheme + 3 : 0;
        }
        for (int i = as; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == '\\') {
                return i;
            }
        }
        return url.length();
    }

    /**
     * The slower path's form of a host and path: the host canonical (IP literals as browsers read
     * them, international names in punycode), non-ASCII path bytes percent-encoded as in the lists;
     * null when the host is not a host.
     */
    static byte[] canonical(byte[] b, int hs, int he, int ps, int pe) {
        String host;
        try {
            host = HostNames.canonical(new String(b, hs, he - hs, StandardCharsets.UTF_8));
        } catch (HostNames.NotAHost e) {
            return null;
        }
        byte[] path = new byte[pe - ps];
        System.arraycopy(b, ps, path, 0, pe - ps);
        int nonAscii = 0;
        for (byte c : path) {
            nonAscii += c < 0 ? 1 : 0;
        }
        byte[] buf = new byte[host.length() + path.length + 2 * nonAscii];
        int p = 0;
        for (int i = 0; i < host.length(); i++) {
            buf[p++] = (byte) host.charAt(i);
        }
        for (byte c : path) {
            if (c < 0) {
                // As in the lists: non-ASCII path bytes compare percent-encoded.
                buf[p++] = '%';
                buf[p++] = (byte) Character.forDigit((c >> 4) & 15, 16);
                buf[p++] = (byte) Character.forDigit(c & 15, 16);
            } else {
                buf[p++] = c;
            }
        }
        return buf; // every byte written: p == buf.length
    }

    static int fragment(byte[] b, int from, int end) {
        int i = from;
        while (i < end && b[i] != '#') {
            i++;
        }
        return i;
    }

    static boolean isScheme(byte[] b, int s, int e) {
        if (e == s || e - s > 32) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (!isSchemeChar(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSchemeChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }

    static boolean endsInNumber(byte[] b, int hs, int he) {
        int s = he;
        while (s > hs && b[s - 1] != '.') {
            s--;
        }
        if (s == he) {
            return false;
        }
        if (he - s >= 2 && b[s] == '0' && (b[s + 1] | 0x20) == 'x') {
            return true; // checked properly on the slow path
        }
        for (int i = s; i < he; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isDottedQuad(byte[] b, int hs, int he) {
        int parts = 0;
        int i = hs;
        while (i < he) {
            int p = i;
            int v = 0;
            while (i < he && b[i] >= '0' && b[i] <= '9') {
                v = v * 10 + (b[i] - '0');
                i++;
                if (i - p > 3) {
                    return false;
                }
            }
            if (i == p || v > 255 || (i - p > 1 && b[p] == '0')) {
                return false;
            }
            parts++;
            if (i < he) {
                if (b[i] != '.') {
                    return false;
                }
                i++;
                if (i == he) {
                    return false;
                }
            }
        }
        return parts == 4;
    }
}
