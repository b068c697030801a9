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

    private final int[] ids;
    /** Lower case where {@link #nocase}. */
    private final byte[][] bytes;
    private final boolean[] nocase;
    private final boolean[] atStart;
    /** By a byte: the contents that can begin with it (both cases for a {@code nocase} letter), or null. */
    private final int[][] byFirst = new int[256][];

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
