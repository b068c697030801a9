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
                throw new NotAHost("not an international domain name (" + e.getMessage() + "): " + quote(raw));
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

    static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return s.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return s;
    }

    /** A line quoted for a report: control characters escaped, at most 80 characters. */
    static String quote(CharSequence s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 80) + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            if (i == 80) {
                sb.append("...");
                break;
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
