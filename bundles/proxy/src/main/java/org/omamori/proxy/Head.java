package org.omamori.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.omamori.api.engine.Header;

/**
 * A parsed message head: the start line's three parts and the header fields in order. Parsing is
 * strict (RFC 9110 §5, RFC 9112 §2-§6): token field names, no whitespace before the colon, no
 * obsolete line folding, no control characters in values.
 *
 * @param first   method (request) or version (response)
 * @param second  request target (request) or status code (response)
 * @param third   version (request) or reason phrase (response)
 * @param headers the header fields in the order received
 */
record Head(String first, String second, String third, List<Header> headers) {

    static Head request(List<String> lines) throws HttpProtocolException {
        String line = lines.get(0);
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0 || sp2 == sp1 + 1) {
            throw new HttpProtocolException(400, "the request line is not 'METHOD target HTTP/1.x'");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!isToken(method)) {
            throw new HttpProtocolException(400, "the method is not a token");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpProtocolException(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new HttpProtocolException(400, "the request target has a character that must be percent-encoded");
            }
        }
        return new Head(method, target, version, fields(lines, 400));
    }

    static Head response(List<String> lines) throws HttpProtocolException {
        String line = lines.get(0);
        if (line.length() < 12 || !(line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 "))
                || !Character.isDigit(line.charAt(9)) || !Character.isDigit(line.charAt(10)) || !Character.isDigit(line.charAt(11))
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new HttpProtocolException(502, "the origin's status line is not 'HTTP/1.x NNN reason'");
        }
        String reason = line.length() > 13 ? line.substring(13) : "";
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f) {
                throw new HttpProtocolException(502, "a control character in the origin's reason phrase");
            }
        }
        return new Head(line.substring(0, 8), line.substring(9, 12), reason, fields(lines, 502));
    }

    private static List<Header> fields(List<String> lines, int status) throws HttpProtocolException {
        List<Header> out = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new HttpProtocolException(status, "obsolete line folding in a header field");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new HttpProtocolException(status, "a header line without a field name and colon");
            }
            String name = line.substring(0, colon);
            if (!isToken(name)) {
                throw new HttpProtocolException(status, "a header field name that is not a token (whitespace before the colon?)");
            }
            String value = line.substring(colon + 1).strip();
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                if ((c < ' ' && c != '\t') || c == 0x7f) {
                    throw new HttpProtocolException(status, "a control character in header field " + name);
                }
            }
            out.add(new Header(name, value));
        }
        return List.copyOf(out);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    String method() {
        return first;
    }

    String target() {
        return second;
    }

    int status() {
        return Integer.parseInt(second);
    }

    boolean http10() {
        return first.equals("HTTP/1.0") || third.equals("HTTP/1.0");
    }

    Optional<String> header(String name) {
        for (Header h : headers) {
            if (h.is(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** All values of a field, each comma-separated element, lower case and trimmed. */
    List<String> tokens(String name) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.is(name)) {
                for (String part : h.value().split(",")) {
                    String t = part.strip().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    int count(String name) {
        int n = 0;
        for (Header h : headers) {
            if (h.is(name)) {
                n++;
            }
        }
        return n;
    }
}
