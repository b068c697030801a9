package org.omamori.ids;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.omamori.api.engine.Header;

/**
 * A response head read as a browser (and Suricata's libhtp) reads it, for the offline IDS only:
 * the inline proxy refuses every one of these liberties (docs/ids-replay.md, "Evasions"). Junk
 * lines before the status line are passed over; any {@code HTTP/} version is taken; a missing or
 * odd status code counts as 200; a bare CR ends a line; a line starting with white space
 * continues the one before; white space and control bytes around a field name are dropped, and
 * control bytes inside names and values; a line without a colon is ignored. Each liberty taken is
 * named in {@code quirks}, so the replay can report the evasion.
 *
 * @param code    the status code, 200 when the line had none that makes sense
 * @param headers the fields, cleaned
 * @param quirks  the liberties taken, empty for a head that is well formed
 */
record LenientResponse(int code, String statusLine, List<Header> headers, Set<String> quirks) {

    /** Null when no line of the head starts with {@code HTTP/}: not a response at all. */
    static LenientResponse parse(String head, Set<String> quirks) {
        List<String> lines = lines(head, quirks, null);
        int start = firstStatusLine(lines);
        if (start < 0) {
            return null;
        }
        if (start > 0) {
            quirks.add("junk before the status line");
        }
        String status = lines.get(start);
        if (!status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.0 ")) {
            quirks.add("odd status line");
        }
        String s = control(status);
        int i = 5;
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t' && s.charAt(i) != 0) {
            i++;
        }
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == 0)) {
            i++;
        }
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
        }
        int code = j - i == 3 ? Integer.parseInt(s.substring(i, j)) : 0;
        if (code < 100 || code > 599) {
            quirks.add("odd status code");
            code = 200;
        }
        List<Header> headers = new ArrayList<>();
        for (String line : unfolded(lines.subList(start + 1, lines.size()), quirks)) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : clean(line.substring(0, colon)).replace(" ", "");
            if (name.isEmpty()) {
                if (!line.isBlank()) {
                    quirks.add("header line without a name");
                }
                continue;
            }
            if (!name.equals(line.substring(0, colon))) {
                quirks.add("white space or control bytes in a header name");
            }
            String value = line.substring(colon + 1);
            while (value.startsWith(":")) {
                value = value.substring(1);
                quirks.add("double colon");
            }
            headers.add(new Header(name, clean(value)));
        }
        return new LenientResponse(code, control(status).strip(), List.copyOf(headers), quirks);
    }

    /** The index of the line that is the status line in a head held so far, -1 when none is. */
    static int statusLine(String held) {
        return firstStatusLine(lines(held, new HashSet<>(), null));
    }

    private static int firstStatusLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (control(lines.get(i)).regionMatches(true, 0, "HTTP/", 0, 5)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the status line starts in a head (junk lines before it passed over, split as
     * {@link #parse} splits: at LF and at a bare CR); -1 when no line is one.
     */
    static int statusLineStart(String head) {
        List<Integer> starts = new ArrayList<>();
        int line = firstStatusLine(lines(head, new HashSet<>(), starts));
        return line < 0 ? -1 : starts.get(line);
    }

    /** The text from its first byte above space: white space and NUL before a status line do not count. */
    private static String control(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) <= ' ') {
            i++;
        }
        return s.substring(i).stripTrailing();
    }

    /**
     * Obsolete line folding undone: a line starting with white space continues the one before,
     * unless it reads as a field of its own (a name, then a colon), as libhtp reads it.
     */
    private static List<String> unfolded(List<String> lines, Set<String> quirks) {
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            boolean folded = !line.isEmpty() && line.charAt(0) <= ' '; // NUL too, as libhtp
            if (folded) {
                int colon = line.indexOf(':');
                boolean field = colon > 0 && !clean(line.substring(0, colon)).isEmpty();
                if (field || out.isEmpty()) {
                    quirks.add("white space before a header name");
                    out.add(line);
                } else {
                    quirks.add("folded header");
                    out.set(out.size() - 1, out.get(out.size() - 1) + " " + line.strip());
                }
                continue;
            }
            out.add(line);
        }
        return out;
    }

    /** Lines split at LF and at a bare CR (a CR before LF belongs to the LF). */
    /** The head's lines without their CR and LF; {@code starts}, when given, gets where each begins in {@code head}. */
    private static List<String> lines(String head, Set<String> quirks, List<Integer> starts) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int from = 0;
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c == '\n' || c == '\r' && i + 1 < head.length() && head.charAt(i + 1) != '\n') {
                if (c == '\r') {
                    quirks.add("bare CR ends a line");
                }
                out.add(line.toString());
                if (starts != null) {
                    starts.add(from);
                }
                from = i + 1;
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
        if (!line.isEmpty()) {
            out.add(line.toString());
            if (starts != null) {
                starts.add(from);
            }
        }
        // the empty line that ended the head is not a header
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** Control bytes (NUL, DEL, C1) out, white space around stripped. */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == ' ' || c > 0x1f && c != 0x7f && (c < 0x80 || c > 0xa0)) {
                b.append(c);
            }
        }
        return b.toString().strip();
    }

    /** All values of a field joined, lower case; empty when absent. */
    String joined(String name) {
        StringBuilder b = new StringBuilder();
        for (Header h : headers) {
            if (h.is(name)) {
                b.append(b.isEmpty() ? "" : ", ").append(h.value());
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** The body length when Content-Length gives exactly one number; -1 when absent or ambiguous. */
    long contentLength() {
        long length = -1;
        boolean seen = false;
        for (Header h : headers) {
            if (!h.is("Content-Length")) {
                continue;
            }
            for (String part : h.value().split("[,\\s]+")) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.length() > 18 || !part.chars().allMatch(Character::isDigit)) {
                    quirks.add("odd Content-Length");
                    return -1;
                }
                long n = Long.parseLong(part);
                if (seen && n != length) {
                    quirks.add("Content-Length values differ");
                    return -1;
                }
                seen = true;
                length = n;
            }
        }
        return length;
    }

    /** The fields an engine is given with a body already decoded: no framing, no content coding. */
    List<Header> decodedHeaders() {
        List<Header> out = new ArrayList<>(headers.size() + 1);
        out.add(Header.statusLine(statusLine));
        for (Header h : headers) {
            if (!h.is("Transfer-Encoding") && !h.is("Content-Encoding") && !h.is("Content-Length")) {
                out.add(h);
            }
        }
        return out;
    }
}
