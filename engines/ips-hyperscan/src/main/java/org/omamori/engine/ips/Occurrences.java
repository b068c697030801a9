package org.omamori.engine.ips;

import java.nio.ByteBuffer;

/**
 * Where one content of a chain starts in one direction's stream, as far as confirmations have
 * searched for it: every start in [{@code from}, {@code to}] is listed, in order. A rule whose
 * trigger occurs again and again is confirmed once per occurrence, and each confirmation asks
 * for the rule's other contents over much the same bytes; with this record a later ask is a
 * lookup, and only bytes no confirmation searched yet are searched, so the bytes searched for a
 * content stay about the stream's length however many occurrences are tried. Stream positions
 * never change their byte, so a record stays true while the stream goes on; it is forgotten with
 * the stream ({@link Search#forget}). Bounded: the newest {@link #KEPT} starts (4 KiB).
 */
final class Occurrences {

    static final int KEPT = 512;
    /**
     * Bytes between what is known and a later ask that are searched to keep the record whole;
     * past this the record starts again where asked, so an ask far ahead costs no more than a
     * plain search would.
     */
    static final int GAP = 4096;

    private ContentStep step;
    /** The stream's window memory and the buffer's start in it: the record is for this stream and buffer only. */
    private ByteBuffer data;
    private long bufferStart;
    private long[] starts = new long[16];
    private int count;
    private long from;
    private long to = -1;

    boolean isFor(ContentStep step, ByteView view, long bufferStart) {
        return this.step == step && data == view.data() && this.bufferStart == bufferStart;
    }

    /** Starts a record for {@code step} in this stream (the one held before is dropped). */
    Occurrences reset(ContentStep step, ByteView view, long bufferStart) {
        this.step = step;
        this.data = view.data();
        this.bufferStart = bufferStart;
        count = 0;
        from = Long.MAX_VALUE; // nothing known: the first ask starts the record where it asks
        to = -1;
        return this;
    }

    void forget() {
        step = null;
        data = null;
        count = 0;
    }

    /**
     * The first start in [lo, hi] of the step's bytes, or -1: the same answer as
     * {@link ContentStep#find}. {@code lo} is at least the view's first position and {@code hi}
     * at most its end less the step's length. {@code searched} counts the positions handed to
     * {@link ContentStep#find}.
     */
    long first(ByteView view, long lo, long hi, long[] searched) {
        if (lo < from || lo - (to + 1) > GAP || to + 1 < view.firstPosition()) {
            // Before what is known, far after it, or the bytes after it left the window: start again at lo.
            count = 0;
            from = lo;
            to = lo - 1;
        }
        while (to + 1 < lo) {
            // Bytes between what is known and lo: searched once, so the record stays whole.
            long at = search(view, to + 1, lo - 1, searched);
            if (at < 0) {
                to = lo - 1;
                break;
            }
            add(at);
            to = at;
        }
        int i = firstAtOrAfter(lo);
        if (i < count) {
            long at = starts[i]; // every start is at most to
            return at <= hi ? at : -1;
        }
        if (hi <= to) {
            return -1;
        }
        long at = search(view, Math.max(lo, to + 1), hi, searched);
        if (at < 0) {
            to = hi;
            return -1;
        }
        add(at);
        to = at;
        return at;
    }

    private long search(ByteView view, long lo, long hi, long[] searched) {
        searched[0] += hi - lo + 1;
        return step.find(view, lo, hi);
    }

    private int firstAtOrAfter(long position) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] < position) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void add(long at) {
        if (count == starts.length) {
            if (starts.length < KEPT) {
                starts = java.util.Arrays.copyOf(starts, starts.length * 2);
            } else {
                // Full: the older half goes, and the record then begins after it.
                int drop = count / 2;
                from = starts[drop - 1] + 1;
                System.arraycopy(starts, drop, starts, 0, count - drop);
                count -= drop;
            }
        }
        starts[count++] = at;
    }
}
