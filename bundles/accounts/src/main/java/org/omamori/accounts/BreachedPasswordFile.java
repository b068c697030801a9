package org.omamori.accounts;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A local list of breached passwords in the format of the downloadable "Pwned Passwords" list: one
 * line per password, its SHA-1 as 40 hexadecimal digits, optionally {@code :} and a count, lines
 * sorted by hash, LF or CRLF line ends. Looked up by binary search in the file, so a list of any size
 * (the full one is tens of gigabytes) is neither loaded nor copied; each lookup reads a few hundred
 * bytes per step. The password is hashed in memory and neither kept nor logged. SHA-1 here is the
 * list's lookup key, not a way of storing passwords (those are Argon2id, {@link PasswordHasher}).
 */
public final class BreachedPasswordFile implements BreachedPasswords, Closeable {

    private static final int HASH_CHARS = 40;
    /** The longest line read: a hash, ':' and a count of up to 19 digits, CR LF. */
    private static final int MAX_LINE = 64;

    private final Path file;
    private final FileChannel channel;
    private final long size;

    private BreachedPasswordFile(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens a list. Its first and last lines are checked; a file that is not such a list is an
     * {@link IOException} that names the file and the line.
     */
    public static BreachedPasswordFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            BreachedPasswordFile list = new BreachedPasswordFile(file, channel, channel.size());
            if (list.size == 0) {
                throw new IOException(file + ": empty, not a breached-password list");
            }
            list.hashAt(0, "line 1");
            list.hashAt(list.lastLineStart(), "its last line");
            return list;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean isBreached(String password) {
        byte[] target = sha1Hex(password);
        try {
            // Lines starting before lo are below the target, lines starting at hi or later above it.
            long lo = 0;
            long hi = size;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                long start = lineStartAtOrAfter(mid);
                if (start >= hi) {
                    return scan(lo, hi, target);
                }
                int c = compare(hashAt(start, "byte " + start), target);
                if (c == 0) {
                    return true;
                }
                if (c < 0) {
                    lo = lineStartAtOrAfter(start + 1);
                } else {
                    hi = start;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The lines starting in {@code [from, to)}, one after the other. */
    private boolean scan(long from, long to, byte[] target) throws IOException {
        for (long at = from; at < to; at = lineStartAtOrAfter(at + 1)) {
            if (compare(hashAt(at, "byte " + at), target) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The start of the first line at or after {@code offset} ({@link #size} when there is none). */
    private long lineStartAtOrAfter(long offset) throws IOException {
        if (offset <= 0) {
            return 0;
        }
        if (offset >= size) {
            return size;
        }
        ByteBuffer buffer = ByteBuffer.allocate(MAX_LINE + 1);
        long at = offset - 1; // the line starts at offset when the byte before it ends a line
        while (at < size) {
            buffer.clear();
            int n = channel.read(buffer, at);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) == '\n') {
                    return at + i + 1;
                }
            }
            if (at + n >= size) {
                break;
            }
            throw new IOException(file + ": a line at byte " + at + " is longer than " + MAX_LINE + " bytes; not a breached-password list");
        }
        return size;
    }

    /** The start of the file's last line (a final line end ignored). */
    private long lastLineStart() throws IOException {
        long from = Math.max(0, size - 2 * MAX_LINE);
        ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
        channel.read(buffer, from);
        int end = buffer.position();
        while (end > 0 && (buffer.get(end - 1) == '\n' || buffer.get(end - 1) == '\r')) {
            end--;
        }
        for (int i = end - 1; i >= 0; i--) {
            if (buffer.get(i) == '\n') {
                return from + i + 1;
            }
        }
        if (from > 0) {
            throw new IOException(file + ": its last line is longer than " + MAX_LINE + " bytes; not a breached-password list");
        }
        return 0;
    }

    /** The 40 hash characters of the line starting at {@code start}, upper case; checked. */
    private byte[] hashAt(long start, String where) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HASH_CHARS + 1);
        int n = channel.read(buffer, start);
        if (n < HASH_CHARS) {
            throw new IOException(file + ", " + where + ": shorter than a SHA-1 hash");
        }
        byte[] hash = new byte[HASH_CHARS];
        for (int i = 0; i < HASH_CHARS; i++) {
            byte b = buffer.get(i);
            if (b >= 'a' && b <= 'f') {
                b -= 'a' - 'A';
            }
            if (!(b >= '0' && b <= '9' || b >= 'A' && b <= 'F')) {
                throw new IOException(file + ", " + where + ": not 40 hexadecimal digits (SHA-1 of the password)");
            }
            hash[i] = b;
        }
        if (n > HASH_CHARS) {
            byte after = buffer.get(HASH_CHARS);
            if (after != ':' && after != '\r' && after != '\n') {
                throw new IOException(file + ", " + where + ": a hash is followed by ':', a count and the line end");
            }
        }
        return hash;
    }

    private static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compare(a, b);
    }

    private static byte[] sha1Hex(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
