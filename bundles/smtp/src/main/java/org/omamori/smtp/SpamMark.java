package org.omamori.smtp;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Marks a mail as spam while it is written on: {@code X-Spam-Flag: YES} and
 * {@code X-Spam-Status} first in its header, and its first top-level {@code Subject} prefixed
 * with {@code [SPAM] } right after the colon, so encoded words ({@code =?ISO-2022-JP?B?...?=})
 * stay whole; a mail without a Subject gets {@code Subject: [SPAM]}. Only the top-level header
 * (up to the first empty line) is touched; the body passes byte for byte.
 */
final class SpamMark extends FilterOutputStream {

    static final String TAG = "[SPAM] ";

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean inHeader = true;
    private boolean subjectSeen;

    /** {@code status}: the X-Spam-Status text, printable ASCII (see {@link SpamCheck#note}). */
    SpamMark(OutputStream out, String status) throws IOException {
        super(out);
        out.write(("X-Spam-Flag: YES\r\nX-Spam-Status: " + status + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void write(int b) throws IOException {
        if (!inHeader) {
            out.write(b);
            return;
        }
        line.write(b);
        if (b == '\n') {
            headerLine(line.toByteArray());
            line.reset();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int i = off;
        while (inHeader && i < off + len) {
            write(b[i++] & 0xff);
        }
        if (i < off + len) {
            out.write(b, i, off + len - i);
        }
    }

    private void headerLine(byte[] l) throws IOException {
        boolean empty = l.length == 2 && l[0] == '\r' || l.length == 1;
        if (empty) {
            if (!subjectSeen) {
                out.write(("Subject: " + TAG.strip() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(l);
            inHeader = false;
            return;
        }
        if (!subjectSeen && l.length > 8 && new String(l, 0, 8, StandardCharsets.US_ASCII).equalsIgnoreCase("subject:")) {
            subjectSeen = true;
            int at = 8;
            while (at < l.length && (l[at] == ' ' || l[at] == '\t')) {
                at++;
            }
            boolean folded = at < l.length && (l[at] == '\r' || l[at] == '\n'); // "Subject:" CRLF " =?...": tag on the first line
            out.write(l, 0, 8);
            out.write(' ');
            out.write((folded ? TAG.strip() : TAG).getBytes(StandardCharsets.US_ASCII));
            out.write(l, at, l.length - at);
            return;
        }
        out.write(l);
    }

    /** Ends a header that had no empty line (a mail that is all header): the Subject still comes. */
    void finish() throws IOException {
        if (inHeader) {
            if (line.size() > 0) {
                line.write('\r');
                line.write('\n');
                headerLine(line.toByteArray());
                line.reset();
            }
            if (inHeader) {
                headerLine(new byte[] {'\r', '\n'});
            }
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        // the next hop's stream stays open
    }
}
