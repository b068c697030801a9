package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.engine.ips.rules.Content;
import org.omamori.hyperscan.MatchListener;

/**
 * The triggers of a header buffer that holds at most {@link #MAX} contents, searched in Java.
 * ET Open gives most header buffers a handful of rules (the response's status code 2, its
 * {@code Server} 13, the raw head 1), and a Hyperscan call costs a JNI crossing, a scratch taken
 * and given and a copy of the bytes, whatever the database's size: twenty such calls made most
 * of the request's IPS time. A content here is found as Hyperscan finds it (case folded for
 * {@code nocase}, at the buffer's first byte when {@link CompiledRules#placed} anchors it there),
 * each reported once, so the candidates and everything after them are unchanged.
 */
final class FewLiterals implements HeaderScan {

    /** At most this many contents: a search each costs less than one Hyperscan call on a header's few bytes. */
    static final int MAX = 32;

    private final int[] ids;
    /** Lower case where {@link #nocase}. */
    private final byte[][] bytes;
    private final boolean[] nocase;
    private final boolean[] atStart;

    /** {@code triggers}: the rules' trigger contents, in the order of {@code ids}. */
    FewLiterals(int[] ids, List<Content> triggers) {
        int n = ids.length;
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
        }
    }

    @Override
    public void scan(ByteBuffer data, MatchListener listener) {
        int from = data.position();
        int to = data.limit();
        for (int i = 0; i < ids.length; i++) {
            int end = find(data, from, to, bytes[i], nocase[i], atStart[i]);
            if (end >= 0 && !listener.onMatch(ids[i], 0, end - from)) {
                return;
            }
        }
    }

    /** Where the first occurrence ends (an absolute index), or -1. */
    private static int find(ByteBuffer data, int from, int to, byte[] p, boolean nocase, boolean atStart) {
        int last = atStart ? Math.min(from, to - p.length) : to - p.length;
        byte first = p[0];
        for (int s = from; s <= last; s++) {
            byte b = data.get(s);
            if ((nocase ? lower(b) : b) != first) {
                continue;
            }
            int k = 1;
            while (k < p.length && (nocase ? lower(data.get(s + k)) : data.get(s + k)) == p[k]) {
                k++;
            }
            if (k == p.length) {
                return s + p.length;
            }
        }
        return -1;
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
