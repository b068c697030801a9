package org.omamori.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The mail of one DATA command as it arrives: dot-unstuffed, ending at the first CRLF "." CRLF,
 * and copied to the spool as it is read (RFC 5321 §4.5.2). Only CRLF ends a line: a bare LF or
 * a bare CR marks the mail as malformed (it could end differently at the next hop, the "SMTP
 * smuggling" ambiguity) and so does a line over the limit; such a mail is read to its end and
 * refused, never forwarded. Once the size limit is passed it throws {@link TooLarge}: the
 * session answers 552 and closes, so a never-ending DATA costs no more than the limit.
 *
 * <p>After a fault the stream reports its end to the MIME parser early; {@link #drain} reads on
 * to the terminator.
 */
final class DataStream extends InputStream {

    /** The mail is over the size limit. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("over the size limit", null);
        }
    }

    private final SmtpInput in;
    private final OutputStream copy;
    /** Bytes for the spool, written in blocks (a write per byte costs a lock each). */
    private final byte[] pending = new byte[32 << 10];
    private int pendingLength;
    private final long maxBytes;
    private final int maxLine;
    private long bytes;
    private int lineLength;
    /** Position in the line: 0 start, 1 after a leading dot, 2 inside. */
    private int state;
    /** A CR was read and its LF not yet. */
    private boolean cr;
    /** A byte held back to return next: the dot-line's CR or the CR before a bare byte. */
    private int held = -1;
    private boolean ended;
    private String fault;

    DataStream(SmtpInput in, OutputStream copy, long maxBytes, int maxLine) {
        this.in = in;
        this.copy = copy;
        this.maxBytes = maxBytes;
        this.maxLine = maxLine;
    }

    /** Why the mail must be refused, or null. */
    String fault() {
        return fault;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public int read() throws IOException {
        while (true) {
            if (fault != null || ended) {
                return -1;
            }
            int b = next();
            if (b == -2) {
                continue;
            }
            return b;
        }
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = 0;
        while (n < length) {
            int b = n == 0 ? read() : (in.pending() > 0 || held >= 0 ? read() : -3);
            if (b == -3) {
                break;
            }
            if (b < 0) {
                return n == 0 ? -1 : n;
            }
            into[offset + n++] = (byte) b;
        }
        return n;
    }

    /** Reads and keeps the rest of the mail up to its terminator, and writes it all to the spool; the fault, if any, stays. */
    void drain() throws IOException {
        while (!ended) {
            next();
        }
        copy.write(pending, 0, pendingLength);
        pendingLength = 0;
    }

    /**
     * The next content byte, -1 at the end, or -2 for a byte consumed without content (the
     * stuffed dot). Copies every content byte to the spool.
     */
    private int next() throws IOException {
        if (held >= 0) {
            int h = held;
            held = -1;
            return deliver(h);
        }
        int b = in.read();
        if (b < 0) {
            throw new java.io.EOFException("the connection ended inside DATA");
        }
        if (cr) {
            cr = false;
            if (b == '\n') {
                if (state == 1) { // CRLF "." CRLF
                    ended = true;
                    return -1;
                }
                state = 0;
                lineLength = 0;
                held = '\n';
                return deliver('\r');
            }
            fault("a bare CR (a CR not followed by LF)");
            // go on with b as an ordinary byte, so the terminator is still found
        }
        if (b == '\r') {
            cr = true;
            return -2;
        }
        if (b == '\n') {
            fault("a bare LF (line ends must be CRLF)");
            state = 2;
            return -2;
        }
        if (state == 0 && b == '.') {
            state = 1;
            return -2;
        }
        if (state == 1) {
            state = 2; // the stuffed dot is dropped; b is the line's first byte
        } else {
            state = 2;
        }
        if (++lineLength > maxLine) {
            fault("a line longer than " + maxLine + " bytes");
        }
        return deliver(b);
    }

    private int deliver(int b) throws IOException {
        if (++bytes > maxBytes) {
            throw new TooLarge();
        }
        if (pendingLength == pending.length) {
            copy.write(pending, 0, pendingLength);
            pendingLength = 0;
        }
        pending[pendingLength++] = (byte) b;
        return fault == null ? b : -2;
    }

    private void fault(String why) {
        if (fault == null) {
            fault = why;
        }
    }
}
