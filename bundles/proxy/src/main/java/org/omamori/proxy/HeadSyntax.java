package org.omamori.proxy;

/**
 * HTTP's byte-level syntax for heads: tokens, the whitespace a field value is trimmed of, and
 * names compared case-insensitively in ASCII, all on the octets received without making Strings.
 */
final class HeadSyntax {

    /** tchar (RFC 9110 §5.6.2). */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HeadSyntax() {
    }

    static boolean isToken(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!TCHAR[b[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a field value and each element of a list are trimmed of: space and tab, HTTP's optional
     * whitespace (RFC 9110 §5.6.3). Any other control character, at the ends as within, is refused:
     * trimmed, a VT or FF next to a Content-Length would be read one way here and maybe another by
     * the next hop.
     */
    static boolean isStripped(byte c) {
        return c == ' ' || c == '\t';
    }

    /** A control character that may not appear in a value or reason phrase (tab may). */
    static boolean isControl(byte c) {
        return (c >= 0 && c < ' ' && c != '\t') || c == 0x7f;
    }

    /** Whether {@code b[from..to)} is {@code lower} (lower-case ASCII), ignoring ASCII case. */
    static boolean equalsLower(byte[] b, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (lowerAscii(b[i]) != lower.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /** Whether two ranges hold the same bytes, ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, int otherFrom, int otherTo) {
        if (to - from != otherTo - otherFrom) {
            return false;
        }
        for (int i = from, j = otherFrom; i < to; i++, j++) {
            if (lowerAscii(b[i]) != lowerAscii(b[j])) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[from..to)} is {@code s} exactly, the bytes read as ISO-8859-1 (as the head's Strings are made). */
    static boolean equalsExactly(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if ((b[i] & 0xff) != s.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    static int lowerAscii(byte c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c & 0xff;
    }

    /** ISO-8859-1 lower case, as {@code String.toLowerCase(Locale.ROOT)} maps those characters. */
    static byte lowerLatin1(byte c) {
        int u = c & 0xff;
        return (u >= 'A' && u <= 'Z') || (u >= 0xc0 && u <= 0xde && u != 0xd7) ? (byte) (u + 32) : c;
    }

    static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
