package org.omamori.ids;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.omamori.api.engine.Header;

/**
 * HTTP/1.x request syntax as the replay reads it: strictly, as the proxy does, but for a request
 * line without a version that header lines follow, which libhtp reads as a request and the replay
 * too, reporting it as an evasion ({@link HttpSession#request}). Responses are read leniently, as a
 * browser reads them: {@link LenientResponse}.
 */
final class HttpSyntax {

    private HttpSyntax() {
    }

    /**
     * A request line's method, target and version; a target with spaces in it (the version is the
     * last word) is taken whole, as servers and Suricata take it. Empty when it has no three parts.
     */
    static String[] requestLine(String line) {
        String[] parts = line.split(" ", -1);
        if (parts.length <= 3) {
            return parts;
        }
        int last = line.lastIndexOf(' ');
        int first = line.indexOf(' ');
        return new String[] {line.substring(0, first), line.substring(first + 1, last), line.substring(last + 1)};
    }

    /** Where the first line that is not empty starts: empty lines before a request line are not part of it ({@link #lines}). */
    static int startLineOffset(String head) {
        int i = 0;
        while (i < head.length() && (head.charAt(i) == '\r' || head.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }

    static List<String> lines(String head) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from < head.length()) {
            int lf = head.indexOf('\n', from);
            if (lf < 0) {
                lf = head.length();
            }
            int to = lf > from && head.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            if (to > from) {
                out.add(head.substring(from, to));
            }
            from = lf + 1;
        }
        return out;
    }

    /** The header fields after the start line, or null when one is malformed or there are more than {@code max}. */
    static List<Header> headers(List<String> lines, int max) {
        List<Header> out = new ArrayList<>(Math.max(0, lines.size() - 1));
        if (lines.size() - 1 > max) {
            return null;
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon <= 0 || !token(line, colon)) {
                return null; // no name, a space before the colon, or obsolete line folding
            }
            out.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return out;
    }

    /** Whether a line is a header field: a token, then a colon. */
    static boolean fieldLine(String line) {
        int colon = line.indexOf(':');
        return colon > 0 && token(line, colon);
    }

    private static boolean token(String s, int end) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    static String last(List<Header> headers, String name) {
        String found = null;
        for (Header h : headers) {
            if (h.is(name)) {
                found = found == null ? h.value() : found + ", " + h.value();
            }
        }
        return found;
    }

    static String lastCoding(String te) {
        int comma = te.lastIndexOf(',');
        return te.substring(comma + 1).strip().toLowerCase(Locale.ROOT);
    }

    /** The Content-Length: -2 when absent, -1 when invalid or when copies disagree. */
    static long contentLength(List<Header> headers) {
        long length = -2;
        for (Header h : headers) {
            if (!h.is("Content-Length")) {
                continue;
            }
            for (String part : h.value().split(",", -1)) {
                String v = part.strip();
                if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return -1;
                }
                long n = Long.parseLong(v);
                if (length >= 0 && n != length) {
                    return -1;
                }
                length = n;
            }
        }
        return length;
    }

    /** The request URL as the proxy would report it. */
    static String url(String method, String target, List<Header> headers, Endpoint server) {
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            return target; // absolute form: a request to a proxy
        }
        if (method.equals("CONNECT")) {
            return "https://" + target + "/";
        }
        String authority = last(headers, "Host");
        if (authority == null || authority.isEmpty() || authority.contains(",") || !authority.chars().allMatch(
                c -> c > ' ' && c < 127 && c != '/' && c != '?' && c != '#' && c != '@' && c != '\\')) {
            authority = server.port() == 80 ? server.urlHost() : server.urlHost() + ":" + server.port();
        }
        return "http://" + authority + (target.startsWith("/") ? target : "/");
    }
}
