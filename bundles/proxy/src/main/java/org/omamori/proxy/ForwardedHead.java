package org.omamori.proxy;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The heads the proxy sends on, written from the bytes it parsed ({@link Head}) into one buffer
 * that a connection reuses: each kept field's name and trimmed value are copied as received,
 * and what framing depends on is the proxy's own: one canonical {@code Content-Length} (the
 * value the proxy framed the body by), the transfer codings as one lower-case list, hop-by-hop
 * fields and those that {@code Connection} names dropped, {@code Via} added. The next hop
 * therefore frames every message exactly as the proxy did.
 */
final class ForwardedHead {

    private static final int KEEP_BYTES = 64 << 10;

    private byte[] buffer = new byte[1024];
    private int size;

    /** The request head for the origin: origin-form target, the target's authority as Host. */
    void writeRequest(Head request, Target target, OutputStream out) throws IOException {
        size = 0;
        append(request.bytes(), 0, request.methodEnd());
        append(' ');
        append(target.path());
        append(" HTTP/1.1\r\nHost: ");
        appendAuthority(target);
        append("\r\n");
        fields(request, true);
        append("Via: 1.1 omamori\r\n\r\n");
        flushTo(out);
    }

    /** The response head for the client, with the proxy's own connection handling. */
    void writeResponse(Head response, boolean close, boolean keepAlive10, OutputStream out) throws IOException {
        size = 0;
        append("HTTP/1.1 ");
        append(response.bytes(), 9, 12);
        append(' ');
        append(response.bytes(), response.reasonStart(), response.reasonEnd());
        append("\r\n");
        fields(response, false);
        if (close) {
            append("Connection: close\r\n");
        } else if (keepAlive10) {
            append("Connection: keep-alive\r\n");
        }
        append("Via: 1.1 omamori\r\n\r\n");
        flushTo(out);
    }

    /** The fields to forward; the message's framing was checked by {@link Framing} before it got here. */
    private void fields(Head message, boolean request) {
        byte[] b = message.bytes();
        boolean connection = message.count(KnownField.CONNECTION) > 0;
        for (int i = 0; i < message.fields(); i++) {
            KnownField kind = message.kind(i);
            if ((request && kind == KnownField.HOST) || kind.hopByHop || kind == KnownField.CONTENT_LENGTH
                    || kind == KnownField.TRANSFER_ENCODING || (connection && message.namedByConnection(i))) {
                continue;
            }
            append(b, message.nameStart(i), message.nameEnd(i));
            append(": ");
            append(b, message.valueStart(i), message.valueEnd(i));
            append("\r\n");
        }
        long length;
        try {
            length = Framing.contentLength(message, 400);
        } catch (HttpProtocolException e) {
            throw new IllegalStateException("a message with a malformed Content-Length reached forwarding", e);
        }
        if (length >= 0) {
            append("Content-Length: ");
            appendDecimal(length);
            append("\r\n");
        }
        if (message.count(KnownField.TRANSFER_ENCODING) > 0) {
            boolean first = true;
            for (int e = 0; e < message.elements(); e++) {
                if (message.elementKind(e) != KnownField.TRANSFER_ENCODING) {
                    continue;
                }
                append(first ? "Transfer-Encoding: " : ", ");
                first = false;
                int from = message.elementFrom(e);
                int to = message.elementTo(e);
                ensure(to - from);
                for (int k = from; k < to; k++) {
                    buffer[size++] = HeadSyntax.lowerLatin1(b[k]);
                }
            }
            if (!first) {
                append("\r\n");
            }
        }
    }

    private void flushTo(OutputStream out) throws IOException {
        out.write(buffer, 0, size);
        if (buffer.length > KEEP_BYTES) {
            buffer = new byte[1024]; // one huge head does not pin its buffer for the connection's life
        }
    }

    private void append(byte[] b, int from, int to) {
        ensure(to - from);
        System.arraycopy(b, from, buffer, size, to - from);
        size += to - from;
    }

    private void append(char c) {
        ensure(1);
        buffer[size++] = (byte) c;
    }

    /** An ASCII string (the proxy's own text, or a target already checked to be printable ASCII). */
    private void append(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[size++] = (byte) s.charAt(i);
        }
    }

    /** {@link Target#authority()} without making the String. */
    private void appendAuthority(Target target) {
        boolean v6 = target.host().indexOf(':') >= 0;
        if (v6) {
            append('[');
        }
        append(target.host());
        if (v6) {
            append(']');
        }
        if (target.port() != 80) {
            append(':');
            appendDecimal(target.port());
        }
    }

    private void appendDecimal(long n) {
        if (n >= 10) {
            appendDecimal(n / 10);
        }
        append((char) ('0' + n % 10));
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
