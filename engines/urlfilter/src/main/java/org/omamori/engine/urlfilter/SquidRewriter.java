package org.omamori.engine.urlfilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Squid {@code url_rewrite_program} helper. Reads request lines
 * {@code [channel-ID] URL [extras]} and answers each, in order, with
 * {@code [channel-ID] OK rewrite-url=<block page>?category=<id>&url=<URL>} when the URL is in a
 * blocking category and {@code [channel-ID] ERR} (leave it unchanged) otherwise. Works with
 * and without Squid's concurrency channel ids ({@code url_rewrite_children ... concurrency=N}).
 *
 * <p>Input and output are buffered and lines are matched straight from the input buffer, so
 * a file of a million lines goes through in about a second. Answers are flushed whenever the
 * input has no complete line left, so Squid never waits on a buffered answer.
 */
public final class SquidRewriter {

    /** Longest request line looked at; the rest of a longer line is skipped (it is still answered). */
    public static final int MAX_LINE = 64 * 1024;

    private final Supplier<CategoryLists> lists;
    private final byte[] blockPage;
    private final byte separator;

    /**
     * @param lists     the lists to use, asked once per line (so a reload takes effect at once)
     * @param blockPage the URL of the page shown instead of a blocked one, e.g.
     *                  {@code http://omamori.invalid/blocked}
     */
    public SquidRewriter(Supplier<CategoryLists> lists, String blockPage) {
        this.lists = Objects.requireNonNull(lists, "lists");
        Objects.requireNonNull(blockPage, "blockPage");
        for (int i = 0; i < blockPage.length(); i++) {
            if (blockPage.charAt(i) <= ' ' || blockPage.charAt(i) >= 0x7f) {
                throw new IllegalArgumentException("block page URL must be ASCII without spaces: " + blockPage);
            }
        }
        this.blockPage = blockPage.getBytes(StandardCharsets.US_ASCII);
        this.separator = (byte) (blockPage.indexOf('?') >= 0 ? '&' : '?');
    }

    public SquidRewriter(CategoryLists lists, String blockPage) {
        this(() -> lists, blockPage);
    }

    /**
     * Answers every line of {@code in} on {@code out} until {@code in} ends. Does not close
     * either stream.
     *
     * @return the number of lines answered
     */
    public long serve(InputStream in, OutputStream out) throws IOException {
        Answers answers = new Answers(out);
        new LineReader(MAX_LINE).read(in, answers);
        return answers.count;
    }

    private final class Answers implements LineReader.Lines {
        private static final byte[] ERR = "ERR\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] OK = "OK rewrite-url=".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CATEGORY = "category=".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] URL = "&url=".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

        private final OutputStream out;
        private final byte[] buf = new byte[64 * 1024];
        private int n;
        long count;

        Answers(OutputStream out) {
            this.out = out;
        }

        @Override
        public void line(byte[] b, int s, int e, long number) throws IOException {
            answer(b, s, e, false);
        }

        @Override
        public void tooLong(byte[] b, int s, int e, long number) throws IOException {
            answer(b, s, e, true);
        }

        @Override
        public void drained() throws IOException {
            if (n > 0) {
                out.write(buf, 0, n);
                n = 0;
            }
            out.flush();
        }

        private void answer(byte[] b, int s, int e, boolean truncated) throws IOException {
            count++;
            // Optional channel id: digits followed by a space (a URL never looks like that).
            int i = s;
            while (i < e && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            int idEnd = -1;
            int us = s;
            if (i > s && i < e && b[i] == ' ') {
                idEnd = i;
                us = i + 1;
            }
            int ue = us;
            while (ue < e && b[ue] != ' ' && b[ue] != '\t') {
                ue++;
            }
            if (truncated && ue == e) {
                // Only the start of the URL is here: end it at its last '/' so no cut-off
                // path prefix can be taken for the whole path.
                int slash = ue;
                while (slash > us && b[slash - 1] != '/') {
                    slash--;
                }
                ue = slash > us ? slash - 1 : us;
            }
            if (idEnd >= 0) {
                put(b, s, idEnd);
                put((byte) ' ');
            }
            CategoryLists current = lists.get();
            int code = ue > us ? current.find(b, us, ue) : CategoryLists.NO_MATCH;
            if (!current.blocks(code)) {
                put(ERR, 0, ERR.length);
                return;
            }
            put(OK, 0, OK.length);
            put(blockPage, 0, blockPage.length);
            put(separator);
            put(CATEGORY, 0, CATEGORY.length);
            String id = current.categoryOf(code).id(); // [a-z0-9_-]: safe in a query as is
            for (int k = 0; k < id.length(); k++) {
                put((byte) id.charAt(k));
            }
            put(URL, 0, URL.length);
            for (int k = us; k < ue; k++) {
                int c = b[k] & 0xFF;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                    put((byte) c);
                } else {
                    put((byte) '%');
                    put(HEX[c >> 4]);
                    put(HEX[c & 15]);
                }
            }
            put((byte) '\n');
        }

        private void put(byte c) throws IOException {
            if (n == buf.length) {
                out.write(buf, 0, n);
                n = 0;
            }
            buf[n++] = c;
        }

        private void put(byte[] b, int s, int e) throws IOException {
            if (e - s > buf.length - n) {
                out.write(buf, 0, n);
                n = 0;
                if (e - s > buf.length) {
                    out.write(b, s, e - s);
                    return;
                }
            }
            System.arraycopy(b, s, buf, n, e - s);
            n += e - s;
        }
    }
}
