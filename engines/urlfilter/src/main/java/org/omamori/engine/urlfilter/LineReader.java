package org.omamori.engine.urlfilter;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without making a String per line. Lines end at LF (a CR
 * before it is dropped); a line longer than the bound is not held whole: its first bytes go to
 * {@link Lines#tooLong} and the rest is skipped, so hostile input cannot exhaust memory.
 */
final class LineReader {

    /** Receives lines; the bytes are valid only during the call. */
    interface Lines {
        void line(byte[] buf, int start, int end, long number) throws IOException;

        /** The line exceeded the bound; {@code [start, end)} holds its first bytes. */
        void tooLong(byte[] buf, int start, int end, long number) throws IOException;

        /** Every complete line read so far has been given; the next read may block. */
        default void drained() throws IOException {
        }
    }

    private final int maxLine;
    private final byte[] buf;

    LineReader(int maxLine) {
        this.maxLine = maxLine;
        this.buf = new byte[Math.max(64 * 1024, maxLine * 2)];
    }

    void read(InputStream in, Lines lines) throws IOException {
        int start = 0;
        int limit = 0;
        int scan = 0;
        long number = 0;
        boolean skipping = false;
        while (true) {
            int nl = -1;
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0) {
                if (skipping) {
                    skipping = false;
                } else {
                    number++;
                    int end = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
                    if (end - start > maxLine) {
                        lines.tooLong(buf, start, start + maxLine, number);
                    } else {
                        lines.line(buf, start, end, number);
                    }
                }
                start = nl + 1;
                scan = start;
                continue;
            }
            scan = limit;
            if (!skipping && limit - start > maxLine) {
                number++;
                lines.tooLong(buf, start, start + maxLine, number);
                skipping = true;
            }
            if (skipping) {
                start = limit; // drop what was seen of the over-long line
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, limit - start);
                limit -= start;
                scan -= start;
                start = 0;
            }
            lines.drained();
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                if (limit > start && !skipping) {
                    number++;
                    int end = buf[limit - 1] == '\r' ? limit - 1 : limit;
                    if (end - start > maxLine) {
                        lines.tooLong(buf, start, start + maxLine, number);
                    } else {
                        lines.line(buf, start, end, number);
                    }
                }
                lines.drained();
                return;
            }
            limit += n;
        }
    }
}
