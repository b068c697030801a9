package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.api.engine.Header;
import org.omamori.engine.ips.rules.Buffer;

/**
 * The response head's buffers as views of one array, {@code http.response_start}'s bytes (status
 * line, CRLF, the {@code Name: value\r\n} lines, and the empty line when there are any), made once
 * per response: the status line and its parts, the header lines, and a header's value when one
 * field has the name are stretches of it, not Strings and arrays of their own. The bytes are those
 * of {@link HttpBuffers#text} encoded as Latin-1 ({@code ResponseBufferViewsTest});
 * {@code http.header.raw} is cut from the head as sent when the intake passed it (engine API 1.5).
 * {@link #of} gives null when the array cannot hold the text's bytes as they are (no status line
 * or two, a character beyond Latin-1): the buffers are then made one by one from text.
 */
final class ResponseBuffers {

    private static final byte[] FIELD_SEPARATOR = {',', ' '};

    private final List<Header> headers;
    private final ByteBuffer start;
    private final ByteBuffer headSent;
    /** Where the status line ends (its CRLF follows) and where the header lines end. */
    private final int lineEnd;
    private final int fieldsEnd;
    /** Per header, where its value starts in {@link #start} ({@code -1}: a pseudo-header, on no line). */
    private final int[] valueAt;

    private ResponseBuffers(List<Header> headers, ByteBuffer headSent, byte[] start, int lineEnd, int fieldsEnd, int[] valueAt) {
        this.headers = headers;
        this.headSent = headSent;
        this.start = ByteBuffer.wrap(start);
        this.lineEnd = lineEnd;
        this.fieldsEnd = fieldsEnd;
        this.valueAt = valueAt;
    }

    /** The buffers of a response's headers ({@code headSent}: its head as sent, or null), or null (see the class). */
    static ResponseBuffers of(List<Header> headers, ByteBuffer headSent) {
        String status = null;
        int length = 0;
        boolean fields = false;
        for (Header h : headers) {
            if (!HttpBuffers.fitsLatin1(h.name()) || !HttpBuffers.fitsLatin1(h.value())) {
                return null;
            }
            // pseudo() first: a field named like the pseudo-header's length (Content-Type) is compared no further
            if (h.pseudo() && h.is(HttpBuffers.STATUS_LINE)) {
                if (status != null) {
                    return null; // two status lines: the text joins them
                }
                status = h.value();
            }
            if (!h.pseudo()) {
                length += h.name().length() + 2 + h.value().length() + 2;
                fields = true;
            }
        }
        if (status == null || status.isEmpty()) {
            return null;
        }
        byte[] out = new byte[status.length() + 2 + length + (fields ? 2 : 0)];
        int at = HttpBuffers.putLatin1(out, 0, status);
        int lineEnd = at;
        out[at++] = '\r';
        out[at++] = '\n';
        int[] valueAt = new int[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            if (h.pseudo()) {
                valueAt[i] = -1;
                continue;
            }
            at = HttpBuffers.putLatin1(out, at, h.name());
            out[at++] = ':';
            out[at++] = ' ';
            valueAt[i] = at;
            at = HttpBuffers.putLatin1(out, at, h.value());
            out[at++] = '\r';
            out[at++] = '\n';
        }
        int fieldsEnd = at;
        if (fields) {
            out[at++] = '\r';
            out[at] = '\n';
        }
        return new ResponseBuffers(headers, headSent, out, lineEnd, fieldsEnd, valueAt);
    }

    /** The response head buffer's bytes (an HTTP one: not the certificate's). */
    ByteView view(Buffer buffer) {
        int fieldsStart = lineEnd + 2;
        return switch (buffer) {
            case HTTP_RESPONSE_START -> new ByteView(start, 0, start.limit(), 0);
            case HTTP_RESPONSE_LINE -> slice(0, lineEnd);
            case HTTP_RESPONSE_PROTOCOL -> part(0);
            case HTTP_STAT_CODE -> part(1);
            case HTTP_STAT_MSG -> part(2);
            case HTTP_RESPONSE_HEADER -> slice(fieldsStart, fieldsEnd);
            // the header lines and the empty line; with none, the empty line alone (the status line's CRLF)
            case HTTP_RESPONSE_RAW_HEADER -> headSent != null
                    ? IpsExchange.slice(headSent, HttpBuffers.afterFirstLine(headSent), headSent.limit())
                    : fieldsEnd > fieldsStart ? slice(fieldsStart, start.limit()) : slice(lineEnd, fieldsStart);
            case HTTP_RESPONSE_HEADER_NAMES -> names();
            case HTTP_RESPONSE_COOKIE -> value("Set-Cookie");
            case HTTP_RESPONSE_CONTENT_TYPE -> value("Content-Type");
            case HTTP_RESPONSE_CONTENT_LEN -> value("Content-Length");
            case HTTP_RESPONSE_CONNECTION -> value("Connection");
            case HTTP_SERVER -> value("Server");
            case HTTP_LOCATION -> value("Location");
            default -> ByteView.EMPTY;
        };
    }

    /** Part {@code i} of the status line split at its first two spaces: version, code, reason (which may hold spaces). */
    private ByteView part(int i) {
        int from = 0;
        for (int p = 0; p < i; p++) {
            int space = space(from);
            if (space < 0) {
                return ByteView.EMPTY;
            }
            from = space + 1;
        }
        int to = i == 2 ? -1 : space(from);
        return slice(from, to < 0 ? lineEnd : to);
    }

    private int space(int from) {
        for (int k = from; k < lineEnd; k++) {
            if (start.get(k) == ' ') {
                return k;
            }
        }
        return -1;
    }

    /** The value of the field of that name; several are joined by ", " (as Suricata joins Set-Cookie lines), a new array. */
    private ByteView value(String name) {
        int found = -1;
        int count = 0;
        int length = 0;
        for (int i = 0; i < valueAt.length; i++) {
            if (valueAt[i] >= 0 && headers.get(i).is(name)) {
                found = count == 0 ? i : found;
                count++;
                length += headers.get(i).value().length();
            }
        }
        if (count <= 1) {
            return found < 0 ? ByteView.EMPTY : slice(valueAt[found], valueAt[found] + headers.get(found).value().length());
        }
        byte[] joined = new byte[length + 2 * (count - 1)];
        int at = 0;
        for (int i = 0; i < valueAt.length; i++) {
            if (valueAt[i] >= 0 && headers.get(i).is(name)) {
                if (at > 0) {
                    System.arraycopy(FIELD_SEPARATOR, 0, joined, at, 2);
                    at += 2;
                }
                int n = headers.get(i).value().length();
                start.get(valueAt[i], joined, at, n);
                at += n;
            }
        }
        return ByteView.of(joined);
    }

    /** {@code \r\nName\r\nName\r\n\r\n}: the names in order; empty when there are none. */
    private ByteView names() {
        int length = 2;
        for (int i = 0; i < valueAt.length; i++) {
            if (valueAt[i] >= 0) {
                length += headers.get(i).name().length() + 2;
            }
        }
        if (length == 2) {
            return ByteView.EMPTY;
        }
        byte[] out = new byte[length + 2];
        out[0] = '\r';
        out[1] = '\n';
        int at = 2;
        for (int i = 0; i < valueAt.length; i++) {
            if (valueAt[i] >= 0) {
                at = HttpBuffers.putLatin1(out, at, headers.get(i).name());
                out[at++] = '\r';
                out[at++] = '\n';
            }
        }
        out[at++] = '\r';
        out[at] = '\n';
        return ByteView.of(out);
    }

    private ByteView slice(int from, int to) {
        return IpsExchange.slice(start, from, to);
    }
}
