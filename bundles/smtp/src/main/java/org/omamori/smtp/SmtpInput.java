package org.omamori.smtp;

import java.io.IOException;
import java.io.InputStream;

/**
 * The client's bytes with a buffer the session can see into: {@link #pending()} tells whether
 * the client sent more than the command being answered (pipelining, or an injection after
 * STARTTLS). Command lines end in CRLF only; a bare LF ends a line too but is reported, and a
 * line past the limit is skipped to its end and reported.
 */
final class SmtpInput {

    /** How far past an overlong line's limit the reader looks for its end before it gives up. */
    static final int MAX_SKIP = 64 << 10;

    private InputStream in;
    private final byte[] buffer = new byte[16 << 10];
    private int start;
    private int end;

    SmtpInput(InputStream in) {
        this.in = in;
    }

    /** Reads from a new stream (after STARTTLS); only allowed with nothing pending. */
    void switchTo(InputStream stream) {
        if (pending() > 0) {
            throw new IllegalStateException("bytes pending");
        }
        this.in = stream;
    }

    int pending() {
        return end - start;
    }

    /** The next byte, or -1 at the end of the stream. */
    int read() throws IOException {
        if (start == end && !fill()) {
            return -1;
        }
        return buffer[start++] & 0xff;
    }

    /** Up to {@code max} buffered bytes at once (filling if empty); -1 at the end. */
    int read(byte[] into, int offset, int max) throws IOException {
        if (start == end && !fill()) {
            return -1;
        }
        int n = Math.min(max, end - start);
        System.arraycopy(buffer, start, into, offset, n);
        start += n;
        return n;
    }

    private boolean fill() throws IOException {
        start = 0;
        end = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        end = n;
        return true;
    }

    /** A command line. */
    record Line(byte[] bytes, int length, boolean bareLf, boolean tooLong) { }

    /** The next line without its line end, or null at the end of the stream (also mid-line). */
    Line readLine(int max) throws IOException {
        byte[] line = new byte[Math.min(max, 1024)];
        int length = 0;
        int skipped = 0;
        boolean tooLong = false;
        while (true) {
            int b = read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                boolean bareLf = length == 0 || line[length - 1] != '\r';
                if (!bareLf) {
                    length--;
                }
                return new Line(line, length, bareLf, tooLong);
            }
            if (tooLong) {
                if (++skipped > MAX_SKIP) {
                    throw new IOException("line without end");
                }
                continue;
            }
            if (length == max + 1) { // room for the CR of CRLF
                tooLong = true;
                continue;
            }
            if (length == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(max + 1, line.length * 2));
            }
            line[length++] = (byte) b;
        }
    }
}
