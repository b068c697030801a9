package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.engine.ips.rules.Buffer;

/**
 * The text of each header buffer, made from what the intake hands over: the request (method,
 * URL, headers, and since engine API 1.5 its version and head as sent) and the response's headers,
 * whose status line comes as the pseudo-header {@value #STATUS_LINE} (e.g. {@code HTTP/1.1 200 OK}).
 * Pseudo-headers (names starting with {@code :}) are in no header buffer. Formats as Suricata's
 * (docs.suricata.io "HTTP Keywords"): header lines {@code Name: value\r\n}; header names
 * {@code \r\nName\r\nName\r\n\r\n}; start = first line as sent, header lines, empty line. The
 * buffers of bytes as sent ({@code http.header.raw}, {@code http.request_line}) are cut from the
 * head by {@link IpsExchange}; what is here is their fallback for intakes that pass no head.
 */
final class HttpBuffers {

    /** The response's status line, as an intake passes it among the response headers. */
    static final String STATUS_LINE = Header.STATUS_LINE;

    private HttpBuffers() {
    }

    static String text(Buffer buffer, InspectionRequest request, List<Header> response) {
        Protocol p = request.protocol();
        if (buffer == Buffer.DNS_QUERY || buffer == Buffer.DNS_QUERY_DOTPREFIX) {
            String name = p == Protocol.DNS ? request.dnsName() : "";
            return buffer == Buffer.DNS_QUERY_DOTPREFIX && !name.isEmpty() ? "." + name : name;
        }
        if (buffer == Buffer.TLS_SNI || buffer == Buffer.TLS_SNI_DOTPREFIX) {
            String sni = p == Protocol.TLS ? request.tlsSni() : "";
            return buffer == Buffer.TLS_SNI_DOTPREFIX && !sni.isEmpty() ? "." + sni : sni;
        }
        if (p != Protocol.HTTP) {
            return "";
        }
        List<Header> req = request.headers();
        List<Header> res = response == null ? List.of() : response;
        return switch (buffer) {
            case HTTP_URI, HTTP_URI_RAW -> uri(request.url());
            case HTTP_METHOD -> request.method();
            case HTTP_HOST -> normalizedHost(rawHost(request, req));
            case HTTP_HOST_DOTPREFIX -> "." + normalizedHost(rawHost(request, req));
            case HTTP_HOST_RAW -> rawHost(request, req);
            case HTTP_USER_AGENT -> value(req, "User-Agent");
            case HTTP_HEADER -> lines(req);
            case HTTP_COOKIE -> value(req, "Cookie");
            case HTTP_HEADER_NAMES -> names(req);
            case HTTP_ACCEPT -> value(req, "Accept");
            case HTTP_ACCEPT_LANG -> value(req, "Accept-Language");
            case HTTP_ACCEPT_ENC -> value(req, "Accept-Encoding");
            case HTTP_REFERER -> value(req, "Referer");
            case HTTP_CONNECTION -> value(req, "Connection");
            case HTTP_CONTENT_TYPE -> value(req, "Content-Type");
            case HTTP_CONTENT_LEN -> value(req, "Content-Length");
            case HTTP_REQUEST_LINE -> requestLine(request);
            case HTTP_PROTOCOL -> version(request);
            case HTTP_START -> requestLine(request) + "\r\n" + startFields(req);
            case HTTP_RAW_HEADER -> lines(req) + "\r\n";
            case HTTP_STAT_CODE -> part(value(res, STATUS_LINE), 1);
            case HTTP_STAT_MSG -> part(value(res, STATUS_LINE), 2);
            case HTTP_RESPONSE_LINE -> value(res, STATUS_LINE);
            case HTTP_RESPONSE_PROTOCOL -> part(value(res, STATUS_LINE), 0);
            case HTTP_RESPONSE_HEADER -> lines(res);
            case HTTP_RESPONSE_COOKIE -> value(res, "Set-Cookie");
            case HTTP_RESPONSE_HEADER_NAMES -> names(res);
            case HTTP_RESPONSE_CONTENT_TYPE -> value(res, "Content-Type");
            case HTTP_RESPONSE_CONTENT_LEN -> value(res, "Content-Length");
            case HTTP_RESPONSE_CONNECTION -> value(res, "Connection");
            case HTTP_RESPONSE_START -> responseStart(res);
            case HTTP_RESPONSE_RAW_HEADER -> res.isEmpty() ? "" : lines(res) + "\r\n";
            case HTTP_SERVER -> value(res, "Server");
            case HTTP_LOCATION -> value(res, "Location");
            default -> "";
        };
    }

    /** The status line (looked up only for the response's buffers: a request's head asks for a dozen buffers), its header lines and the empty line. */
    private static String responseStart(List<Header> res) {
        String status = value(res, STATUS_LINE);
        return status.isEmpty() ? "" : status + "\r\n" + startFields(res);
    }

    /** {@code GET /path HTTP/1.0}: the intake's method, target and version (HTTP/1.1 when it gives none), for intakes that pass no head. */
    static String requestLine(InspectionRequest request) {
        return request.method() + " " + uri(request.url()) + " " + version(request);
    }

    static String version(InspectionRequest request) {
        return request.httpVersion().isEmpty() ? "HTTP/1.1" : request.httpVersion();
    }

    /**
     * {@code http.start}'s part after the first line: the header lines and the empty line, or
     * nothing when there are no fields (Suricata adds the empty line after the last field only).
     */
    static String startFields(List<Header> headers) {
        String lines = lines(headers);
        return lines.isEmpty() ? "" : lines + "\r\n";
    }

    /** Where a head's first line as sent ends, without its line end (CR and LF taken off, as libhtp does); read with absolute gets. */
    static int firstLineEnd(ByteBuffer head) {
        int from = head.position();
        int end = lineFeed(head);
        while (end > from && (head.get(end - 1) == '\r' || head.get(end - 1) == '\n')) {
            end--;
        }
        return end;
    }

    /**
     * Where a head's bytes after its first line start (its limit when it has one line only): the
     * header lines as sent and the empty line that ends them, which is what Suricata's
     * {@code http.header.raw} holds (libhtp hands over the bytes from the end of the start line to
     * the end of the head). Read with absolute gets.
     */
    static int afterFirstLine(ByteBuffer head) {
        int lf = lineFeed(head);
        return lf >= head.limit() ? head.limit() : lf + 1;
    }

    /** The index of the head's first LF, or its limit. */
    private static int lineFeed(ByteBuffer head) {
        int i = head.position();
        while (i < head.limit() && head.get(i) != '\n') {
            i++;
        }
        return i;
    }

    /** The version at the end of a request line ({@code HTTP/1.0}), empty when it has none (a versionless line). */
    static byte[] protocolOf(byte[] requestLine) {
        int start = requestLine.length;
        while (start > 0 && requestLine[start - 1] != ' ' && requestLine[start - 1] != '\t') {
            start--;
        }
        boolean http = requestLine.length - start > 5 && start > 0
                && (requestLine[start] | 0x20) == 'h' && (requestLine[start + 1] | 0x20) == 't'
                && (requestLine[start + 2] | 0x20) == 't' && (requestLine[start + 3] | 0x20) == 'p' && requestLine[start + 4] == '/';
        return http ? java.util.Arrays.copyOfRange(requestLine, start, requestLine.length) : new byte[0];
    }

    static String lines(List<Header> headers) {
        StringBuilder out = new StringBuilder();
        for (Header h : headers) {
            if (!h.name().startsWith(":")) {
                out.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        return out.toString();
    }

    /**
     * The length of {@link #lines}'s text for these headers, without making it; -1 when a name or
     * value holds a character beyond Latin-1 (the text would not be the bytes {@link #putLines} writes).
     */
    static int linesLength(List<Header> headers) {
        int length = 0;
        for (int i = 0, n = headers.size(); i < n; i++) { // the intake's lists are random access: no iterator per exchange
            Header h = headers.get(i);
            String name = h.name();
            if (!name.startsWith(":")) {
                String value = h.value();
                if (!fitsLatin1(name) || !fitsLatin1(value)) {
                    return -1;
                }
                length += name.length() + 2 + value.length() + 2;
            }
        }
        return length;
    }

    /** Writes {@link #lines}'s text as Latin-1 bytes at {@code at} ({@link #linesLength} said they fit); returns the index after them. */
    static int putLines(byte[] out, int at, List<Header> headers) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            Header h = headers.get(i);
            if (!h.name().startsWith(":")) {
                at = putLatin1(out, at, h.name());
                out[at++] = ':';
                out[at++] = ' ';
                at = putLatin1(out, at, h.value());
                out[at++] = '\r';
                out[at++] = '\n';
            }
        }
        return at;
    }

    private static String names(List<Header> headers) {
        StringBuilder out = null; // made at the first name: a request without header lines (ET's "minimal headers" rule asks each GET) makes none
        for (int i = 0, n = headers.size(); i < n; i++) {
            Header h = headers.get(i);
            if (!h.name().startsWith(":")) {
                if (out == null) {
                    out = new StringBuilder(64).append("\r\n");
                }
                out.append(h.name()).append("\r\n");
            }
        }
        return out == null ? "" : out.append("\r\n").toString();
    }

    /** The first header of that name; several Cookie or Set-Cookie lines are joined as Suricata does (", "). */
    private static String value(List<Header> headers, String name) {
        String found = null;
        for (int i = 0, n = headers.size(); i < n; i++) { // random access: no iterator per exchange
            Header h = headers.get(i);
            if (h.is(name)) {
                found = found == null ? h.value() : found + ", " + h.value();
            }
        }
        return found == null ? "" : found;
    }

    /** The Host headers' values as sent (several joined by ", ", as Suricata does), or the URL's host when there is none. */
    static String rawHost(InspectionRequest request, List<Header> headers) {
        String host = value(headers, "Host");
        return host.isEmpty() ? request.host() : host;
    }

    /**
     * {@code http.host} as Suricata normalises it (engines/ips-hyperscan/README.md, "What is
     * supported"): lower case (ASCII letters only), without the port and without trailing dots.
     * With several Host values (joined by ", ") only the case is changed.
     */
    static String normalizedHost(String raw) {
        String host = raw;
        if (host.indexOf(',') < 0) {
            if (host.startsWith("[")) { // [v6]:port
                int close = host.indexOf(']');
                host = close > 0 ? host.substring(0, close + 1) : host;
            } else {
                int colon = host.indexOf(':');
                host = colon >= 0 && colon == host.lastIndexOf(':') ? host.substring(0, colon) : host;
            }
            int end = host.length();
            while (end > 0 && host.charAt(end - 1) == '.') {
                end--;
            }
            host = host.substring(0, end);
        }
        StringBuilder lower = null;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (lower == null) {
                    lower = new StringBuilder(host);
                }
                lower.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return lower == null ? host : lower.toString();
    }

    /** Part {@code i} of {@code HTTP/1.1 200 OK}: version, code, reason (the reason may hold spaces). */
    private static String part(String statusLine, int i) {
        if (statusLine.isEmpty()) {
            return "";
        }
        String[] parts = statusLine.split(" ", 3);
        return i < parts.length ? parts[i] : "";
    }

    /** {@code %XX} escapes decoded once, as Suricata normalises {@code http.uri}; a broken escape stays as it is. */
    static byte[] percentDecoded(byte[] raw) {
        int escapes = 0;
        for (byte b : raw) {
            escapes += b == '%' ? 1 : 0;
        }
        if (escapes == 0) {
            return raw;
        }
        byte[] out = new byte[raw.length];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            int hi = i + 2 < raw.length && raw[i] == '%' ? Character.digit(raw[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
            if (lo >= 0) {
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = raw[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The request target as sent: path and query of an absolute URL. */
    static String uri(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url.isEmpty() ? "/" : url;
        }
        int slash = url.indexOf('/', scheme + 3);
        int query = url.indexOf('?', scheme + 3);
        int start = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
        if (start < 0) {
            return "/";
        }
        String target = url.substring(start);
        int fragment = target.indexOf('#');
        target = fragment >= 0 ? target.substring(0, fragment) : target;
        return target.startsWith("?") ? "/" + target : target;
    }

    /**
     * Where {@link #uri}'s target lies in {@code url} when it is a stretch of it, as
     * {@code from << 32 | to}; -1 when it is not (no path, a target that begins with {@code ?}).
     */
    static long uriRange(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url.isEmpty() ? -1 : url.length();
        }
        int slash = url.indexOf('/', scheme + 3);
        int query = url.indexOf('?', scheme + 3);
        int start = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
        if (start < 0 || url.charAt(start) == '?') {
            return -1;
        }
        int fragment = url.indexOf('#', start);
        return (long) start << 32 | (fragment >= 0 ? fragment : url.length());
    }

    /** Whether every character of {@code s} is Latin-1, so that {@link #putLatin1} writes it as it is. */
    static boolean fitsLatin1(String s) {
        return fitsLatin1(s, 0, s.length());
    }

    /** {@link #fitsLatin1(String)} of {@code s}'s characters {@code [from, to)}. */
    static boolean fitsLatin1(String s, int from, int to) {
        int all = 0;
        for (int i = from; i < to; i++) {
            all |= s.charAt(i); // no branch per character: almost every string fits
        }
        return all <= 0xFF;
    }

    /** Writes a Latin-1 string's characters as bytes; returns the index after them. */
    static int putLatin1(byte[] out, int at, String s) {
        return putLatin1(out, at, s, 0, s.length());
    }

    /**
     * {@link #putLatin1(byte[], int, String)} of {@code s}'s characters {@code [from, to)}: each
     * character's low eight bits, which the old {@code String.getBytes} copies as one array copy
     * from a Latin-1 string (a head's fields, 200-odd characters per exchange, a char at a time before).
     */
    @SuppressWarnings("deprecation") // the very conversion meant: a Latin-1 character's byte
    static int putLatin1(byte[] out, int at, String s, int from, int to) {
        s.getBytes(from, to, out, at);
        return at + to - from;
    }
}
