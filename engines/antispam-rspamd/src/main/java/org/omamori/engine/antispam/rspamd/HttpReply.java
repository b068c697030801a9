package org.omamori.engine.antispam.rspamd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.omamori.engine.antispam.rspamd.RspamdException.Kind;

/**
 * An HTTP/1.x reply read within limits: at most {@link #MAX_HEAD_BYTES} of status line and
 * header, at most the caller's limit of body (by Content-Length, or up to the end of the
 * connection), all before a deadline. Anything else is a protocol error naming the problem,
 * never quoting the reply: a compromised rspamd could put mail content there.
 */
record HttpReply(int status, byte[] body, int length) {

    static final int MAX_HEAD_BYTES = 8 << 10;

    static HttpReply read(HttpChannel channel, int maxBodyBytes, long deadline) throws RspamdException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(16 << 10, MAX_HEAD_BYTES + maxBodyBytes));
        int headEnd = -1;
        long contentLength = -1;
        int status = 0;
        boolean eof = false;
        while (true) {
            if (!buffer.hasRemaining()) {
                int limit = MAX_HEAD_BYTES + maxBodyBytes;
                if (buffer.capacity() >= limit) {
                    throw new RspamdException(Kind.PROTOCOL, "rspamd's reply is longer than " + maxBodyBytes
                            + " bytes (the engine's reply limit); this is not an rspamd reply we accept");
                }
                buffer = ByteBuffer.wrap(Arrays.copyOf(buffer.array(), (int) Math.min(limit, buffer.capacity() * 2L)))
                        .position(buffer.position());
            }
            int n = channel.read(buffer, deadline);
            if (n < 0) {
                eof = true;
            }
            byte[] bytes = buffer.array();
            int filled = buffer.position();
            if (headEnd < 0) {
                headEnd = indexOfBlankLine(bytes, Math.min(filled, MAX_HEAD_BYTES));
                if (headEnd < 0) {
                    if (filled >= MAX_HEAD_BYTES) {
                        throw new RspamdException(Kind.PROTOCOL, "rspamd's reply header is longer than " + MAX_HEAD_BYTES + " bytes");
                    }
                    if (eof) {
                        throw new RspamdException(filled == 0 ? Kind.UNREACHABLE : Kind.PROTOCOL, filled == 0
                                ? "rspamd closed the connection without a reply (restarting, or out of resources: see its log)"
                                : "rspamd's reply ended inside its header, after " + filled + " bytes");
                    }
                    continue;
                }
                String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
                status = status(head);
                contentLength = contentLength(head, maxBodyBytes);
            }
            int bodyStart = headEnd + 4;
            int have = filled - bodyStart;
            if (contentLength >= 0 && have >= contentLength) {
                return new HttpReply(status, Arrays.copyOfRange(bytes, bodyStart, bodyStart + (int) contentLength), (int) contentLength);
            }
            if (have > maxBodyBytes) {
                throw new RspamdException(Kind.PROTOCOL, "rspamd's reply is longer than " + maxBodyBytes + " bytes (the engine's reply limit)");
            }
            if (eof) {
                if (contentLength >= 0) {
                    throw new RspamdException(Kind.PROTOCOL, "rspamd's reply ended after " + have + " of its "
                            + contentLength + " bytes");
                }
                return new HttpReply(status, Arrays.copyOfRange(bytes, bodyStart, filled), have);
            }
        }
    }

    private static int indexOfBlankLine(byte[] b, int limit) {
        for (int i = 0; i + 3 < limit; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int status(String head) throws RspamdException {
        int eol = head.indexOf("\r\n");
        String line = eol < 0 ? head : head.substring(0, eol);
        if (!line.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
            throw new RspamdException(Kind.PROTOCOL, "not an HTTP reply from rspamd (its first line of " + line.length()
                    + " bytes is no HTTP/1.x status line)");
        }
        return Integer.parseInt(line.substring(9, 12));
    }

    private static long contentLength(String head, int maxBodyBytes) throws RspamdException {
        long length = -1;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                throw new RspamdException(Kind.PROTOCOL, "rspamd's reply uses a Transfer-Encoding, which this client"
                        + " does not read (rspamd sends Content-Length)");
            }
            if (name.equals("content-length")) {
                if (!value.matches("[0-9]{1,12}") || (length >= 0 && length != Long.parseLong(value))) {
                    throw new RspamdException(Kind.PROTOCOL, "rspamd's reply has a bad Content-Length (not 1-12 digits, or two different)");
                }
                length = Long.parseLong(value);
                if (length > maxBodyBytes) {
                    throw new RspamdException(Kind.PROTOCOL, "rspamd's reply announces " + length + " bytes, over the engine's"
                            + " reply limit of " + maxBodyBytes);
                }
            }
        }
        return length;
    }
}
