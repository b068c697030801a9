package org.omamori.engine.ips;

import java.nio.ByteBuffer;

import org.omamori.engine.ips.rules.Content;

/** A content of a {@link Chain}: its bytes (lower case when {@code nocase}), position conditions and Horspool shifts. */
final class ContentStep implements Chain.Step {
    final byte[] bytes;
    final int length;
    final boolean nocase;
    final boolean negated;
    final boolean relative;
    final long offset;
    final long depth;
    final long distance;
    final long within;
    /** {@code endswith}: the content ends where the buffer ends. */
    final boolean endsWith;
    /**
     * Horspool's shift for the byte under the pattern's last position, made at the first search:
     * most contents of a large rule set are never searched, and a table per content (1 KiB each,
     * 61,000 with ET Open) was a third of the appliance's heap. Volatile: rule sets are shared by
     * every inspecting thread, and a table seen half-filled would shift by zero.
     */
    private volatile int[] skip;
    /** Its id among the literals the stream scan reports ({@link Sightings}), or -1; set once while the rule set compiles. */
    int sightingId = -1;

    ContentStep(Content c) {
        bytes = c.bytes();
        length = bytes.length;
        nocase = c.nocase();
        negated = c.negated();
        relative = c.relative();
        offset = c.offset().orElse(0);
        depth = c.depth().isPresent() ? c.depth().getAsInt() : -1;
        distance = c.distance().orElse(0);
        within = c.within().isPresent() ? c.within().getAsInt() : -1;
        endsWith = c.endsWith();
        if (nocase) {
            for (int i = 0; i < length; i++) {
                bytes[i] = lower(bytes[i]);
            }
        }
    }

    private int[] skip() {
        int[] s = skip;
        if (s == null) { // two threads may both make it: the same table either way
            s = new int[256];
            java.util.Arrays.fill(s, length);
            for (int i = 0; i < length - 1; i++) {
                s[bytes[i] & 0xFF] = length - 1 - i;
            }
            skip = s;
        }
        return s;
    }

    long lowestStart(long previousEnd) {
        return relative ? Math.max(0, previousEnd + distance) : offset;
    }

    long highestStart(long previousEnd) {
        long hi = Long.MAX_VALUE;
        if (relative && within >= 0) {
            hi = previousEnd + distance + within - length;
        }
        if (!relative && depth >= 0) {
            hi = offset + depth - length;
        }
        return hi;
    }

    /** First start position in [from, to] where the bytes occur, or -1 (Horspool: skips ahead on a mismatch). */
    long find(ByteView view, long from, long to) {
        ByteBuffer d = view.data();
        int base = view.offset() - (int) view.firstPosition();
        int last = length - 1;
        int[] skip = skip();
        for (long p = from; p <= to; ) {
            int i = base + (int) p;
            int j = last;
            while (j >= 0 && (nocase ? lower(d.get(i + j)) : d.get(i + j)) == bytes[j]) {
                j--;
            }
            if (j < 0) {
                return p;
            }
            p += skip[(nocase ? lower(d.get(i + last)) : d.get(i + last)) & 0xFF];
        }
        return -1;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }
}
