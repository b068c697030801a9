package org.omamori.engine.urlfilter;

import java.net.IDN;

/**
 * The one form hosts are compared in: lower case ASCII, international names in punycode, no
 * trailing dot, IP literals in canonical text (IPv6 without brackets). Used for list entries
 * and for lookups that leave the allocation-free path.
 */
final class HostNames {

    static final int MAX_NAME = 253;
    static final int MAX_LABEL = 63;

    private HostNames() {
    }

    /** A host that could not be made canonical, with the reason for the report. */
    static final class NotAHost extends Exception {
        NotAHost(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The canonical form of a host as written in a list or a request (no port, no path).
     *
     * @throws NotAHost with a reason fit for a problem report
     */
    static String canonical(String raw) throws NotAHost {
        String host = raw;
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new NotAHost("not an IPv6 address: " + quote(raw));
            }
            return ipv6(host.substring(1, host.length() - 1), raw);
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host, raw);
        }
        boolean ascii = true;
        for (int i = 0; i < host.length(); i++) {
            ascii &= host.charAt(i) < 0x80;
        }
        if (!ascii) {
            try {
                // IDNA 2003 mapping also folds full-width dots and letters, as browsers do.
                host = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                // The JDK's message ends with the offending character itself: escaped like the line.
                throw new NotAHost("not an international domain name (" + escape(String.valueOf(e.getMessage()), 120) + "): " + quote(raw));
            }
        }
        host = lowerAscii(host);
        int end = host.length();
        while (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        host = host.substring(0, end);
        if (IpLiteral.endsInNumber(host)) {
            long v4 = IpLiteral.parseIpv4(host);
            if (v4 < 0) {
                throw new NotAHost("not a domain name or IPv4 address: " + quote(raw));
            }
            return IpLiteral.formatIpv4(v4);
        }
        String why = domainProblem(host);
        if (why != null) {
            throw new NotAHost(why + ": " + quote(raw));
        }
        return host;
    }

    private static String ipv6(String text, String raw) throws NotAHost {
        byte[] a = IpLiteral.parseIpv6(text);
        if (a == null) {
            throw new NotAHost("not an IPv6 address: " + quote(raw));
        }
        return IpLiteral.formatIpv6(a);
    }

    /** Why a lower-case ASCII name is not a domain name, or null if it is one. */
    static String domainProblem(CharSequence name) {
        int n = name.length();
        if (n == 0) {
            return "empty domain name";
        }
        if (n > MAX_NAME) {
            return "domain name longer than " + MAX_NAME + " characters";
        }
        int label = 0;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return "empty label in domain name";
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                // Underscores are not valid host names but appear in real lists and DNS names.
                if (++label > MAX_LABEL) {
                    return "label longer than " + MAX_LABEL + " characters";
                }
            } else {
                return "not a domain name";
            }
        }
        return label == 0 ? "empty label in domain name" : null;
    }

    /**
     * Why a canonical domain name ({@code name[0, len)}, not an IP literal) may not be a list
     * entry, or null: a name of one label is a top-level domain, known or not (the Public Suffix
     * List's default rule); a top-level label must be letters or an {@code xn--} name; and a bare
     * public suffix would block every site registered under it ({@link PublicSuffixes}).
     *
     * @param hash {@code KeyTable.hashRightToLeft(name, 0, len)}
     */
    static String entryProblem(byte[] name, int len, long hash) {
        int tld = len;
        while (tld > 0 && name[tld - 1] != '.') {
            tld--;
        }
        if (tld == 0) {
            return "a top-level domain alone (it would block every name in it)";
        }
        boolean punycode = len - tld > 4 && name[tld] == 'x' && name[tld + 1] == 'n' && name[tld + 2] == '-' && name[tld + 3] == '-';
        for (int i = tld; i < len; i++) {
            byte c = name[i];
            if (!(c >= 'a' && c <= 'z') && !(punycode && ((c >= '0' && c <= '9') || c == '-'))) {
                return "top-level label is not letters (nor an xn-- name)";
            }
        }
        if (PublicSuffixes.isBare(name, len, hash)) {
            return "a public suffix alone (it would block every name registered under it)";
        }
        return null;
    }

    /**
     * Whether an IPv4 literal as written in a list is four decimal numbers 0-255 without leading
     * zeros. Requests may write an address in any form {@link IpLiteral} reads; a list entry such as
     * {@code 7} (0.0.0.7) or {@code 010.1.1.1} (octal 8) is far more likely garbage or a mistake.
     */
    static boolean dottedQuad(CharSequence s) {
        int parts = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || ++parts > 4) {
                    return false;
                }
                digits = 0;
                value = 0;
            } else if (c >= '0' && c <= '9' && digits < 3 && !(digits == 1 && value == 0)) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return s.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return s;
    }

    /**
     * A line quoted for a report: control characters (C0, DEL, C1), invisible format characters
     * (bidi overrides, zero width), private-use characters, spaces other than ASCII's and line
     * separators escaped, at most 80 characters; so a hostile list cannot drive the terminal or
     * disguise a name in {@code url check}'s output.
     */
    static String quote(CharSequence s) {
        return '"' + escape(s, 80) + '"';
    }

    /** {@code s} with the characters {@link #quote} escapes escaped, cut after {@code max} characters. */
    static String escape(CharSequence s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (i == max) {
                sb.append("...");
                break;
            }
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (c == '"' || c == '\\' || Character.isISOControl(c) || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE
                    || (type == Character.SPACE_SEPARATOR && c != ' ')) {
                sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
