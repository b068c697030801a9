package org.omamori.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.omamori.api.engine.Header;

/**
 * The proxy's head handling as it was before heads were parsed as bytes (main at ae4e3ae:
 * {@code Head} over Strings, {@code Framing}'s decisions, {@code ForwardedHead} rebuilding the
 * head through a StringBuilder), kept as the oracle that {@link HeadBytesTest} compares the byte
 * parser with: same refusals with the same status and words, same fields, same framing, same
 * forwarded bytes.
 */
record LegacyHead(String first, String second, String third, List<Header> headers) {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive", "te",
            "upgrade", "proxy-authorization", "proxy-authenticate", "expect");

    static LegacyHead request(List<String> lines) throws HttpProtocolException {
        String line = lines.get(0);
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0 || sp2 == sp1 + 1) {
            throw new HttpProtocolException(400, "the request line is not 'METHOD target HTTP/1.x'");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!HeadSyntax.isToken(method)) {
            throw new HttpProtocolException(400, "the method is not a token");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpProtocolException(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        }
        for (char c : target.toCharArray()) {
            if (c <= ' ' || c >= 0x7f) {
                throw new HttpProtocolException(400, "the request target has a character that must be percent-encoded");
            }
        }
        return new LegacyHead(method, target, version, fields(lines, 400));
    }

    static LegacyHead response(List<String> lines) throws HttpProtocolException {
        String line = lines.get(0);
        if (line.length() < 12 || !(line.startsWith("HTTP/1.1 ") || line.startsWith("HTTP/1.0 "))
                || !Character.isDigit(line.charAt(9)) || !Character.isDigit(line.charAt(10)) || !Character.isDigit(line.charAt(11))
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new HttpProtocolException(502, "the origin's status line is not 'HTTP/1.x NNN reason'");
        }
        String reason = line.length() > 13 ? line.substring(13) : "";
        for (char c : reason.toCharArray()) {
            if ((c < ' ' && c != '\t') || c == 0x7f) {
                throw new HttpProtocolException(502, "a control character in the origin's reason phrase");
            }
        }
        return new LegacyHead(line.substring(0, 8), line.substring(9, 12), reason, fields(lines, 502));
    }

    private static List<Header> fields(List<String> lines, int status) throws HttpProtocolException {
        List<Header> out = new ArrayList<>();
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
            if (!HeadSyntax.isToken(name)) {
                throw new HttpProtocolException(status, "a header field name that is not a token (whitespace before the colon?)");
            }
            String value = ows(line.substring(colon + 1));
            for (char c : value.toCharArray()) {
                if ((c < ' ' && c != '\t') || c == 0x7f) {
                    throw new HttpProtocolException(status, "a control character in header field " + name);
                }
            }
            out.add(new Header(name, value));
        }
        return out;
    }

    boolean http10() {
        return first.equals("HTTP/1.0") || third.equals("HTTP/1.0");
    }

    List<String> tokens(String name) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.is(name)) {
                for (String part : h.value().split(",")) {
                    String t = ows(part).toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    int count(String name) {
        return (int) headers.stream().filter(h -> h.is(name)).count();
    }

    /** Framing.ofRequest as it was; the result as Framing's record. */
    Framing ofRequest() throws HttpProtocolException {
        framingNotHopByHop(400);
        List<String> codings = tokens("Transfer-Encoding");
        if (count("Transfer-Encoding") > 0) {
            if (count("Content-Length") > 0) {
                throw new HttpProtocolException(400, "both Transfer-Encoding and Content-Length: ambiguous framing refused");
            }
            if (http10()) {
                throw new HttpProtocolException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked")
                    || codings.indexOf("chunked") != codings.size() - 1) {
                throw new HttpProtocolException(400, "the final transfer coding of a request must be chunked, once");
            }
            return Framing.CHUNKED;
        }
        long length = contentLength(400);
        return length <= 0 ? Framing.NONE : new Framing.Length(length);
    }

    Framing ofResponse(String requestMethod) throws HttpProtocolException {
        framingNotHopByHop(502);
        if (count("Transfer-Encoding") > 0 && http10()) {
            throw new HttpProtocolException(502, "the origin sent Transfer-Encoding in an HTTP/1.0 response");
        }
        long length = contentLength(502);
        int status = Integer.parseInt(second);
        if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
            return Framing.NONE;
        }
        if (count("Transfer-Encoding") > 0) {
            if (length >= 0) {
                throw new HttpProtocolException(502, "the origin sent both Transfer-Encoding and Content-Length");
            }
            List<String> codings = tokens("Transfer-Encoding");
            if (codings.isEmpty()) {
                throw new HttpProtocolException(502, "the origin sent an empty Transfer-Encoding");
            }
            int chunked = codings.indexOf("chunked");
            if (chunked >= 0 && chunked != codings.size() - 1) {
                throw new HttpProtocolException(502, "the origin applied chunked other than once and last");
            }
            return chunked >= 0 ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
        }
        if (length < 0) {
            return Framing.UNTIL_CLOSE;
        }
        return length == 0 ? Framing.NONE : new Framing.Length(length);
    }

    private void framingNotHopByHop(int status) throws HttpProtocolException {
        for (String token : tokens("Connection")) {
            if (token.equals("content-length") || token.equals("transfer-encoding")) {
                throw new HttpProtocolException(status, "the Connection header names " + token
                        + ": framing fields cannot be hop-by-hop");
            }
        }
    }

    long contentLength(int status) throws HttpProtocolException {
        long length = -1;
        if (count("Content-Length") > 0 && tokens("Content-Length").isEmpty()) {
            throw new HttpProtocolException(status, "an empty Content-Length");
        }
        for (String value : tokens("Content-Length")) {
            if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new HttpProtocolException(status, "Content-Length is not a number of bytes");
            }
            long n = Long.parseLong(value);
            if (length >= 0 && n != length) {
                throw new HttpProtocolException(status, "differing Content-Length values");
            }
            length = n;
        }
        for (Header h : headers) {
            if (h.is("Content-Length")) {
                for (String part : h.value().split(",", -1)) {
                    if (ows(part).isEmpty()) {
                        throw new HttpProtocolException(status, "an empty element in Content-Length");
                    }
                }
            }
        }
        return length;
    }

    /** Trimmed of HTTP's optional whitespace, space and tab (RFC 9110 §5.6.3). */
    static String ows(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    byte[] forwardRequest(Target target) throws HttpProtocolException {
        StringBuilder head = new StringBuilder();
        head.append(first).append(' ').append(target.path()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(target.authority()).append("\r\n");
        forwardFields(head, Set.of("host"));
        head.append("Via: 1.1 omamori\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    byte[] forwardResponse(boolean close, boolean keepAlive10) throws HttpProtocolException {
        StringBuilder head = new StringBuilder();
        head.append("HTTP/1.1 ").append(second).append(' ').append(third).append("\r\n");
        forwardFields(head, Set.of());
        if (close) {
            head.append("Connection: close\r\n");
        } else if (keepAlive10) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("Via: 1.1 omamori\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private void forwardFields(StringBuilder head, Set<String> skip) throws HttpProtocolException {
        List<String> named = tokens("Connection");
        for (Header h : headers) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (skip.contains(name) || HOP_BY_HOP.contains(name) || named.contains(name)
                    || name.equals("content-length") || name.equals("transfer-encoding")) {
                continue;
            }
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        long length = contentLength(400);
        if (length >= 0) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        List<String> codings = tokens("Transfer-Encoding");
        if (!codings.isEmpty()) {
            head.append("Transfer-Encoding: ").append(String.join(", ", codings)).append("\r\n");
        }
    }
}
