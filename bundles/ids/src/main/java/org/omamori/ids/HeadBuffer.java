package org.omamori.ids;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The head of an HTTP message being collected from one direction of a connection, bounded: the
 * bytes up to the empty line that ends it. A request's head ends only at an empty line; a
 * response's also at a line of white space only after a line ended by a bare LF, as libhtp ends
 * it (after CRLF such a line continues the field before: docs/ids-replay.md, "Evasions").
 */
final class HeadBuffer {

    private final int max;
    private final boolean lenientEnd;
    private byte[] bytes = new byte[256];
    private int length;
    private int scanned;

    HeadBuffer(int max, boolean lenientEnd) {
        this.max = max;
        this.lenientEnd = lenientEnd;
    }

    int length() {
        return length;
    }

    /** Room left before the bound. */
    int room() {
        return max - length;
    }

    boolean full() {
        return length >= max;
    }

    /** Appends {@code n} bytes (the caller keeps within {@link #room()}). */
    void append(byte[] data, int offset, int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(max, Math.max(bytes.length * 2, length + n)));
        }
        System.arraycopy(data, offset, bytes, length, n);
        length += n;
    }

    /** Whether the first bytes can be the start of a request line: a method token then a space. */
    boolean looksLikeRequest() {
        return length == 0 || startsLikeRequest(bytes, 0, length) || methodSoFar(bytes, 0, length);
    }

    /** Whether these bytes begin with a method token (capitals, at most 24) and a space. */
    static boolean startsLikeRequest(byte[] data, int offset, int length) {
        for (int i = 0; i < length && i <= 24; i++) {
            byte c = data[offset + i];
            if (c == ' ') {
                return i > 0;
            }
            if (!(c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
                return false;
            }
        }
        return false;
    }

    /** Whether these few bytes (under 25) could still become a method token: capitals only so far. */
    static boolean methodSoFar(byte[] data, int offset, int length) {
        if (length >= 25) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte c = data[offset + i];
            if (!(c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The index after the line ending the head, or -1 while it has not come. */
    int end() {
        for (int i = Math.max(scanned, 1); i < length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (bytes[i - 1] == '\n' || bytes[i - 1] == '\r' && i >= 2 && bytes[i - 2] == '\n') {
                return i + 1;
            }
            if (lenientEnd) {
                int j = i - 1;
                while (j >= 0 && (bytes[j] == ' ' || bytes[j] == '\t' || bytes[j] == '\r')) {
                    j--;
                }
                if (j >= 1 && j < i - 1 && bytes[j] == '\n' && bytes[j - 1] != '\r') {
                    return i + 1;
                }
            }
        }
        scanned = Math.max(1, length);
        return -1;
    }

    /** The head's text up to {@code stop} (Latin-1); the buffer starts over. */
    String take(int stop) {
        String text = new String(bytes, 0, stop, StandardCharsets.ISO_8859_1);
        clear();
        return text;
    }

    /** The held bytes as Latin-1 text, without taking them. */
    String peek() {
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** Everything held, e.g. a response that turned out to have no head at all; the buffer starts over. */
    byte[] drain() {
        byte[] out = Arrays.copyOf(bytes, length);
        clear();
        return out;
    }

    private void clear() {
        length = 0;
        scanned = 0;
        if (bytes.length > 4096) {
            bytes = new byte[256];
        }
    }
}
