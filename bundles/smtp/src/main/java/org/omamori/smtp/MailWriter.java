package org.omamori.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * Writes a received mail again with some leaf entities' bodies replaced by a notice. The walk is
 * {@link MimeWalk}'s over the same bytes, so entity numbers agree. Every other entity's header
 * fields and (still encoded) body are copied as received; multipart boundaries are written anew
 * around them. A replaced entity keeps its other header fields and gets a UTF-8 text/plain
 * notice, base64-encoded, with a file name that says what it is.
 */
final class MailWriter {

    private MailWriter() {
    }

    /** Copies {@code mail} to {@code out}, replacing the bodies of the entities in {@code notices}. */
    static void rewrite(InputStream mail, SmtpSettings settings, Map<Integer, String> notices, OutputStream out)
            throws IOException {
        MimeTokenStream tokens = MimeWalk.tokens(settings, mail);
        Deque<String> boundaries = new ArrayDeque<>();
        Deque<Boolean> closed = new ArrayDeque<>();
        List<Field> fields = new ArrayList<>();
        int entity = 0;
        boolean skipBody = false;
        try {
            for (EntityState state = tokens.getState(); state != EntityState.T_END_OF_STREAM; state = tokens.next()) {
                switch (state) {
                    case T_START_HEADER -> fields.clear();
                    case T_FIELD -> fields.add(tokens.getField());
                    case T_END_HEADER -> {
                        entity++;
                        String notice = notices.get(entity);
                        for (Field f : fields) {
                            if (notice != null && f.getNameLowerCase().startsWith("content-")) {
                                continue;
                            }
                            writeRaw(f.getRaw(), out);
                        }
                        if (notice != null) {
                            ascii(out, "Content-Type: text/plain; charset=UTF-8\r\n"
                                    + "Content-Transfer-Encoding: base64\r\n"
                                    + "Content-Disposition: attachment; filename=\"omamori-virus-removed.txt\"\r\n");
                        }
                        ascii(out, "\r\n");
                        if (notice != null) {
                            ascii(out, Base64.getMimeEncoder(76, new byte[] {'\r', '\n'})
                                    .encodeToString(notice.getBytes(StandardCharsets.UTF_8)) + "\r\n");
                        }
                        skipBody = notice != null;
                    }
                    case T_BODY -> {
                        if (!skipBody) {
                            copy(tokens.getInputStream(), out);
                        }
                        skipBody = false;
                    }
                    case T_START_MULTIPART -> {
                        boundaries.push(tokens.getBodyDescriptor().getBoundary());
                        closed.push(false);
                    }
                    case T_PREAMBLE -> copy(tokens.getInputStream(), out);
                    case T_START_BODYPART -> ascii(out, "\r\n--" + boundaries.peek() + "\r\n");
                    case T_EPILOGUE -> {
                        close(boundaries, closed, out);
                        copy(tokens.getInputStream(), out);
                    }
                    case T_END_MULTIPART -> {
                        close(boundaries, closed, out);
                        boundaries.pop();
                        closed.pop();
                    }
                    default -> { }
                }
            }
        } catch (MimeException e) {
            // The first walk took this mail; the same bytes cannot fail now.
            throw new IOException("the mail could not be parsed again", e);
        }
    }

    private static void close(Deque<String> boundaries, Deque<Boolean> closed, OutputStream out) throws IOException {
        if (!closed.peek()) {
            ascii(out, "\r\n--" + boundaries.peek() + "--\r\n");
            closed.pop();
            closed.push(true);
        }
    }

    private static void writeRaw(ByteSequence raw, OutputStream out) throws IOException {
        int n = raw.length();
        while (n > 0 && (raw.byteAt(n - 1) == '\n' || raw.byteAt(n - 1) == '\r')) {
            n--;
        }
        byte[] bytes = raw.toByteArray();
        out.write(bytes, 0, n);
        ascii(out, "\r\n");
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
