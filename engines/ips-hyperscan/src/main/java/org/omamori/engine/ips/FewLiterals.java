package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.engine.ips.rules.Content;
import org.omamori.hyperscan.MatchListener;

/**
 * The triggers of a header buffer that holds at most {@link #MAX} contents, searched in Java.
 * ET Open gives most header buffers a handful of rules (the response's status code 2, its
 * {@code Server} 13, the raw head 1), and a Hyperscan call costs a JNI crossing, a scratch taken
 * and given and a copy of the bytes, whatever the database's size: some twenty such calls per
 * exchange were a third of the IPS's time per request in a profile of the proxy. A content here is found as Hyperscan finds it (case folded for
 * {@code nocase}, at the buffer's first byte when {@link CompiledRules#placed} anchors it there),
 * each reported once, so the candidates and everything after them are unchanged.
 */
final class FewLiterals implements HeaderScan {

    /** At most this many contents (a bit each in a long): one pass over a header's bytes costs less than a Hyperscan call. */
    static final int MAX = 32;
    /**
     * Contents at least this long are searched by skipping ({@link #skipScan}): ET's
     * {@code http.response_start} on a 234-byte head took 260-410 ns a byte at a time, 106-115 skipping.
     */
    static final int MIN_SKIPPED = 4;
    private static final int PAIRS = 4096;

    private final int[] ids;
    /** Lower case where {@link #nocase}. */
    private final byte[][] bytes;
    private final boolean[] nocase;
    private final boolean[] atStart;
    /** By a byte: the contents that can begin with it (both cases for a {@code nocase} letter), or null. */
    private final int[][] byFirst = new int[256][];
    /**
     * The skip search past the first byte ({@link #skipScan}): the shortest content not tied to the
     * first byte, and per hashed pair of case-folded bytes how far a window of that length can move
     * when the pair ends it; null when the contents are too short for skipping to pay.
     */
    private final byte[] shift;
    private final int shortest;
    /** By the same hash: the contents (not tied to the first byte) whose first {@link #shortest} bytes end with such a pair. */
    private final int[][] endingWith;

    /** {@code triggers}: the rules' trigger contents, in the order of {@code ids}. */
    FewLiterals(int[] ids, List<Content> triggers) {
        int n = ids.length;
        if (n > MAX) {
            throw new IllegalArgumentException(n + " contents, at most " + MAX);
        }
        this.ids = ids.clone();
        this.bytes = new byte[n][];
        this.nocase = new boolean[n];
        this.atStart = new boolean[n];
        for (int i = 0; i < n; i++) {
            Content c = triggers.get(i);
            byte[] b = c.bytes();
            if (c.nocase()) {
                for (int k = 0; k < b.length; k++) {
                    b[k] = lower(b[k]);
                }
            }
            bytes[i] = b;
            nocase[i] = c.nocase();
            atStart[i] = CompiledRules.anchoredAtStart(c);
            index(b[0] & 0xFF, i);
            if (nocase[i] && b[0] >= 'a' && b[0] <= 'z') {
                index(b[0] - 32, i);
            }
        }
        int m = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (!atStart[i]) {
                m = Math.min(m, bytes[i].length);
            }
        }
        if (m < MIN_SKIPPED || m == Integer.MAX_VALUE) {
            shift = null;
            endingWith = null;
            shortest = 0;
            return;
        }
        shortest = Math.min(m, 127);
        shift = new byte[PAIRS];
        java.util.Arrays.fill(shift, (byte) (shortest - 1));
        endingWith = new int[PAIRS][];
        for (int i = 0; i < n; i++) {
            if (atStart[i]) {
                continue;
            }
            byte[] p = bytes[i];
            // Wu-Manber with pairs: a pair at p[j], p[j + 1] lets a window that ends with it move by shortest - 2 - j.
            for (int j = 0; j + 1 < shortest; j++) {
                int h = pair(p[j], p[j + 1]);
                shift[h] = (byte) Math.min(shift[h], shortest - 2 - j);
            }
            int h = pair(p[shortest - 2], p[shortest - 1]);
            int[] old = endingWith[h];
            int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = i; // ascending: the order in which the byte-by-byte search tries them
            endingWith[h] = grown;
        }
    }

    /** The hash of two bytes, case folded (a pattern's are folded already when nocase; folding a case-sensitive one only moves less far). */
    private static int pair(byte a, byte b) {
        return ((lower(a) & 0xFF) << 4 ^ lower(b) & 0xFF) & (PAIRS - 1);
    }

    private void index(int first, int content) {
        int[] old = byFirst[first];
        int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
        grown[grown.length - 1] = content;
        byFirst[first] = grown;
    }

    /** One pass over the bytes: each content reported once, where its first occurrence ends. */
    @Override
    public void scan(ByteBuffer data, MatchListener listener) {
        scan(data, data.position(), data.limit(), listener);
    }

    /** {@link #scan(ByteBuffer, MatchListener)} of the bytes {@code [from, to)}: a slice of a larger array needs no buffer of its own. */
    @Override
    public void scan(ByteBuffer data, int from, int to, MatchListener listener) {
        if (shift == null || !data.hasArray() || to - from <= 1) {
            eachByte(data, from, to, listener);
            return;
        }
        skipScan(data.array(), data.arrayOffset(), from, to, listener);
    }

    /**
     * The same reports in the same order as {@link #eachByte}: the first byte as there (every
     * content may start at it), then the windows of {@link #shortest} bytes from the second on,
     * moved by {@link #shift} while the pair that ends one cannot end a content's first bytes
     * there; where it can, the contents listed for it are tried in ascending order, as there.
     */
    private void skipScan(byte[] a, int base, int from, int to, MatchListener listener) {
        long found = 0;
        int[] first = byFirst[a[base + from] & 0xFF];
        if (first != null) {
            for (int i : first) {
                byte[] p = bytes[i];
                if ((found & 1L << i) != 0 || to - from < p.length || !matches(a, base, null, from, p, nocase[i])) {
                    continue;
                }
                found |= 1L << i;
                if (!listener.onMatch(ids[i], 0, p.length)) {
                    return;
                }
            }
        }
        int m = shortest;
        for (int s = from + 1; s <= to - m; ) {
            int end = base + s + m;
            int h = pair(a[end - 2], a[end - 1]);
            int move = shift[h];
            if (move > 0) {
                s += move;
                continue;
            }
            for (int i : endingWith[h]) {
                byte[] p = bytes[i];
                if ((found & 1L << i) != 0 || to - s < p.length || !sameByte(a[base + s], p[0], nocase[i])
                        || !matches(a, base, null, s, p, nocase[i])) {
                    continue;
                }
                found |= 1L << i;
                if (!listener.onMatch(ids[i], 0, s + p.length - from)) {
                    return;
                }
            }
            s++;
        }
    }

    private static boolean sameByte(byte b, byte p, boolean nocase) {
        return (nocase ? lower(b) : b) == p;
    }

    /** Every byte looked up as a content's possible first one: short contents, and bytes without a reachable array. */
    void eachByte(ByteBuffer data, int from, int to, MatchListener listener) {
        byte[] a = data.hasArray() ? data.array() : null;
        int base = a != null ? data.arrayOffset() : 0;
        long found = 0;
        for (int s = from; s < to; s++) {
            int[] starting = byFirst[(a != null ? a[base + s] : data.get(s)) & 0xFF];
            if (starting == null) {
                continue;
            }
            for (int i : starting) {
                byte[] p = bytes[i];
                if ((found & 1L << i) != 0 || atStart[i] && s != from || to - s < p.length
                        || !matches(a, base, data, s, p, nocase[i])) {
                    continue;
                }
                found |= 1L << i;
                if (!listener.onMatch(ids[i], 0, s + p.length - from)) {
                    return;
                }
            }
        }
    }

    private static boolean matches(byte[] a, int base, ByteBuffer data, int s, byte[] p, boolean nocase) {
        for (int k = 1; k < p.length; k++) {
            byte b = a != null ? a[base + s + k] : data.get(s + k);
            if ((nocase ? lower(b) : b) != p[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    @Override
    public long sizeBytes() {
        long n = 0;
        for (byte[] b : bytes) {
            n += b.length;
        }
        return n;
    }

    @Override
    public void close() {
        // Heap only.
    }
}
