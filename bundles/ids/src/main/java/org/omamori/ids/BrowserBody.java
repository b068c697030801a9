package org.omamori.ids;

import java.util.Arrays;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A response body undone as a browser undoes it, for the offline IDS only (the inline proxy keeps
 * refusing what is ambiguous): the framing (Content-Length, chunked, or until the connection
 * closes) and then the content codings (gzip, deflate with or without zlib wrapping), each layer
 * recognised by its bytes rather than trusted from the header. Chunk-size lines are read
 * leniently (white space and empty lines before the size, anything after its hex digits); a size
 * that is no number makes the rest a plain body, as libhtp does. Every liberty is named in the
 * quirks. Decoded output is bounded by {@link #MAX_DECODED} per body.
 */
final class BrowserBody {

    /** Where the decoded bytes go. */
    interface Out {
        void decoded(byte[] data, int offset, int length);
    }

    /** Decoded bytes per body at most; the rest is not inspected (a decompression bomb stays small). */
    static final long MAX_DECODED = 16L << 20;
    private static final int MAX_LINE = 1024;
    private static final int MAX_LAYERS = 3;

    private enum Framing { LENGTH, CHUNKED, CLOSE }

    private enum Chunk { SIZE, DATA, DATA_END, TRAILER }

    private final Set<String> quirks;
    private final Sink first;
    private Framing framing;
    private long remaining;
    private Chunk chunk = Chunk.SIZE;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean finished;

    /**
     * @param length   the Content-Length, or -1
     * @param te       every Transfer-Encoding value joined, lower case
     * @param ce       every Content-Encoding value joined, lower case
     */
    BrowserBody(long length, String te, String ce, Set<String> quirks, Out out) {
        this.quirks = quirks;
        if (te.contains("chunked")) {
            framing = Framing.CHUNKED;
            if (!te.strip().equals("chunked")) {
                quirks.add("Transfer-Encoding other than chunked alone");
            }
        } else if (length >= 0) {
            framing = Framing.LENGTH;
            remaining = length;
            if (!te.isBlank()) {
                quirks.add("unknown Transfer-Encoding ignored");
            }
        } else {
            framing = Framing.CLOSE;
        }
        Sink sink = out::decoded;
        int layers = 0;
        for (String token : ce.split("[\\s,;]+")) {
            if (token.contains("gzip") || token.contains("deflate")) {
                layers++;
            } // others (br, zstd, identity) are no evasion: they pass as sent
        }
        if (layers > MAX_LAYERS) {
            quirks.add("more than " + MAX_LAYERS + " content codings");
            layers = MAX_LAYERS;
        }
        for (int i = 0; i < layers; i++) {
            sink = new Layer(sink);
        }
        if (layers > 1) {
            quirks.add("several content codings");
        }
        this.first = sink;
    }

    /** Whether the body has ended by its framing (never for a body read until the connection closes). */
    boolean finished() {
        return finished || framing == Framing.LENGTH && remaining == 0;
    }

    /** Whether the body runs until the connection closes (so its end there is no loss). */
    boolean closeDelimited() {
        return framing == Framing.CLOSE;
    }

    /** Takes bytes of the body; returns how many belong to it (the rest is the next message). */
    int feed(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && !finished()) {
            switch (framing) {
                case CLOSE -> {
                    first.take(data, i, end - i);
                    i = end;
                }
                case LENGTH -> {
                    int n = (int) Math.min(remaining, end - i);
                    first.take(data, i, n);
                    remaining -= n;
                    i += n;
                }
                case CHUNKED -> i = chunked(data, i, end);
            }
        }
        return i - offset;
    }

    /** The body ended (its framing, or the connection): what the decoders hold is let out. */
    void end() {
        if (framing == Framing.CHUNKED && chunk == Chunk.SIZE && lineLength > 0) {
            quirks.add("chunk size is not a number: read as plain body");
            plain(); // a last size line never ended: as libhtp, it is body
        }
        first.end();
    }

    private int chunked(byte[] data, int i, int end) {
        switch (chunk) {
            case SIZE, TRAILER -> {
                while (i < end) {
                    byte b = data[i++];
                    if (b == '\n') {
                        if (chunk == Chunk.SIZE) {
                            sizeLine();
                        } else if (trailerEnds()) {
                            finished = true;
                        }
                        lineLength = 0;
                        return i;
                    }
                    if (lineLength == MAX_LINE) {
                        if (chunk == Chunk.SIZE) {
                            quirks.add("chunk size line too long: read as plain body");
                            line[lineLength - 1] = b;
                            plain();
                            return i;
                        }
                        continue; // a long trailer line: its bytes do not matter
                    }
                    line[lineLength++] = b;
                }
                return i;
            }
            case DATA -> {
                int n = (int) Math.min(remaining, end - i);
                first.take(data, i, n);
                remaining -= n;
                if (remaining == 0) {
                    chunk = Chunk.DATA_END;
                }
                return i + n;
            }
            case DATA_END -> {
                while (i < end) {
                    byte b = data[i++];
                    if (b == '\n') {
                        chunk = Chunk.SIZE;
                        return i;
                    }
                    if (b != '\r') {
                        quirks.add("bytes after chunk data");
                    }
                }
                return i;
            }
            default -> throw new IllegalStateException();
        }
    }

    private void sizeLine() {
        int i = 0;
        while (i < lineLength && whiteOrControl(line[i])) {
            i++;
        }
        if (i == lineLength) {
            if (lineLength > 0 && !(lineLength == 1 && line[0] == '\r')) {
                quirks.add("white space before chunk size");
            }
            quirks.add("empty line before chunk size");
            return; // an empty line: the size is on a later one
        }
        if (i > 0) {
            quirks.add("white space before chunk size");
        }
        long size = 0;
        int digits = 0;
        while (i < lineLength && Character.digit(line[i], 16) >= 0 && digits < 15) {
            size = size << 4 | Character.digit(line[i], 16);
            digits++;
            i++;
        }
        if (digits == 0) {
            quirks.add("chunk size is not a number: read as plain body");
            line[lineLength++] = '\n';
            plain();
            return;
        }
        if (i < lineLength && !(i == lineLength - 1 && line[i] == '\r') && line[i] != ';') {
            quirks.add("bytes after chunk size");
        }
        if (size == 0) {
            chunk = Chunk.TRAILER;
            return;
        }
        remaining = size;
        chunk = Chunk.DATA;
    }

    private boolean trailerEnds() {
        return lineLength == 0 || lineLength == 1 && line[0] == '\r';
    }

    /** From here the body is plain until the connection closes; the held line is its start. */
    private void plain() {
        framing = Framing.CLOSE;
        first.take(line, 0, lineLength);
        lineLength = 0;
    }

    private static boolean whiteOrControl(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == 0x0b || b == 0x0c || b == 0;
    }

    // ---- content codings ----------------------------------------------------------------------

    private interface Sink {
        void take(byte[] data, int offset, int length);

        default void end() {
        }
    }

    /**
     * One content coding, recognised by its first bytes: a gzip member (its header skipped, flags
     * honoured, reserved ones ignored), a zlib stream, raw deflate; anything else passes as it is.
     * A stream that breaks midway passes the rest as it is.
     */
    private final class Layer implements Sink {
        private static final int SNIFF = 1024;
        private final Sink next;
        private byte[] held = new byte[64];
        private int heldLength;
        private Inflater inflater;
        private boolean passing;
        private boolean spent;
        private long out;
        private final byte[] buffer = new byte[16 * 1024];

        Layer(Sink next) {
            this.next = next;
        }

        @Override
        public void take(byte[] data, int offset, int length) {
            if (length == 0 || spent) {
                return;
            }
            if (passing) {
                next.take(data, offset, length);
                return;
            }
            if (inflater != null) {
                inflate(data, offset, length);
                return;
            }
            if (heldLength + length > held.length) {
                held = Arrays.copyOf(held, Math.max(heldLength + length, held.length * 2));
            }
            System.arraycopy(data, offset, held, heldLength, length);
            heldLength += length;
            decide(false);
        }

        @Override
        public void end() {
            if (inflater == null && !passing && !spent) {
                decide(true);
            }
            if (inflater != null) {
                inflater.end();
                inflater = null;
            }
            next.end();
        }

        /** Looks at the held bytes; starts inflating or passing when they tell (or at the end). */
        private void decide(boolean atEnd) {
            int blank = 0;
            while (blank < heldLength && blank < 4 && (held[blank] == '\r' || held[blank] == '\n')) {
                blank++;
            }
            if (blank > 0 && heldLength >= blank + 2 && (held[blank] & 0xff) == 0x1f && (held[blank + 1] & 0xff) == 0x8b) {
                quirks.add("blank line before a gzip body"); // a head that ended a line early, as libhtp reads it
                heldLength -= blank;
                System.arraycopy(held, blank, held, 0, heldLength);
            } else if (blank > 0 && blank == heldLength && !atEnd) {
                return;
            }
            if (heldLength >= 2 && (held[0] & 0xff) == 0x1f && (held[1] & 0xff) == 0x8b) {
                int header = gzipHeader();
                if (header == -1 && !atEnd && heldLength < SNIFF) {
                    return; // more of the header to come
                }
                if (header > 0) {
                    start(true, header);
                    return;
                }
            } else if (heldLength >= 2 && (held[0] & 0x0f) == 8 && ((held[0] & 0xff) << 8 | held[1] & 0xff) % 31 == 0) {
                start(false, 0);
                return;
            } else if (heldLength < 2 && !atEnd) {
                return;
            } else if (rawDeflates()) {
                start(true, 0);
                return;
            }
            pass();
        }

        /** The length of a complete gzip header in the held bytes, -1 when it is not complete, 0 when it is no gzip header. */
        private int gzipHeader() {
            if (heldLength < 10) {
                return -1;
            }
            if (held[2] != 8) {
                return 0;
            }
            int flags = held[3] & 0xff;
            if ((flags & 0xe0) != 0) {
                quirks.add("gzip header with reserved flags");
            }
            int i = 10;
            if ((flags & 4) != 0) {
                if (heldLength < i + 2) {
                    return -1;
                }
                i += 2 + ((held[i] & 0xff) | (held[i + 1] & 0xff) << 8);
            }
            for (int bit : new int[] {8, 16}) {
                if ((flags & bit) != 0) {
                    while (i < heldLength && held[i] != 0) {
                        i++;
                    }
                    i++;
                }
            }
            if ((flags & 2) != 0) {
                i += 2;
            }
            return i <= heldLength ? i : -1;
        }

        /** Whether the held bytes begin a raw deflate stream that inflates without error. */
        private boolean rawDeflates() {
            Inflater probe = new Inflater(true);
            try {
                probe.setInput(held, 0, heldLength);
                int n = probe.inflate(buffer);
                return n > 0 || probe.finished();
            } catch (DataFormatException e) {
                return false;
            } finally {
                probe.end();
            }
        }

        private void start(boolean nowrap, int skip) {
            inflater = new Inflater(nowrap);
            byte[] rest = Arrays.copyOfRange(held, skip, heldLength);
            held = null;
            heldLength = 0;
            inflate(rest, 0, rest.length);
        }

        private void pass() {
            passing = true;
            byte[] rest = Arrays.copyOf(held, heldLength);
            held = null;
            heldLength = 0;
            next.take(rest, 0, rest.length);
        }

        private void inflate(byte[] data, int offset, int length) {
            if (inflater.finished()) {
                return; // trailing bytes after the stream (a gzip trailer): nothing for the browser
            }
            inflater.setInput(data, offset, length);
            try {
                while (!inflater.finished() && out < MAX_DECODED) {
                    int n = inflater.inflate(buffer);
                    if (n == 0) {
                        if (inflater.needsInput() || inflater.needsDictionary()) {
                            break;
                        }
                        continue;
                    }
                    n = (int) Math.min(n, MAX_DECODED - out);
                    out += n;
                    next.take(buffer, 0, n);
                }
                if (out >= MAX_DECODED) {
                    quirks.add("decoded body over " + (MAX_DECODED >> 20) + " MiB: the rest not inspected");
                    inflater.end();
                    inflater = null;
                    spent = true;
                    return;
                }
            } catch (DataFormatException e) {
                quirks.add("content coding breaks midway");
                int left = inflater.getRemaining();
                inflater.end();
                inflater = null;
                passing = true;
                next.take(data, offset + length - left, left);
            }
        }
    }
}
