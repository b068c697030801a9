package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.omamori.hyperscan.MatchListener;

/**
 * What a pooled request {@link SideState} lends the exchange it serves, so that the exchange makes
 * none of these per request: the array its header buffers' views are kept in, the views of its
 * request's head buffers and the array {@code http.start} is written into ({@link IpsExchange#loans}),
 * the set its request head's scans collect candidates in with the listener that collects them
 * ({@link HeadTriggers}), the set of the rules it fired and its flowbits. Emptied when the state
 * goes back to the pool; the views are re-aimed by the next exchange, so the exchange gives them
 * back with the state ({@link IpsExchange#forgetViews}) and no one keeps one beyond it.
 */
final class ExchangeLoans {

    /** The largest {@code http.start} array kept for the next exchange (the head scanners stage an array up to this whole). */
    static final int KEPT_START = HeadScanners.STAGE_WHOLE;

    /** The request head's candidates of the exchange served (empty between exchanges). */
    final RuleIndexes headCandidates = new RuleIndexes();
    /** Collects into {@link #headCandidates}: one listener for every exchange, not one made per request. */
    final MatchListener collectHead = (id, from, to) -> {
        headCandidates.add(id);
        return true;
    };
    /** The candidates of a head that comes later ({@link HeadTriggers#late}: the response's, a TLS hello), during its scan only. */
    final RuleIndexes lateCandidates = new RuleIndexes();
    /** Collects into {@link #lateCandidates}. */
    final MatchListener collectLate = (id, from, to) -> {
        lateCandidates.add(id);
        return true;
    };
    /** The flowbits of the exchange served, when it set them first through its request state; empty between exchanges. */
    final Flowbits flowbits = new Flowbits();
    /** The rules the exchange served fired (keyed by side, {@link Side#firedKey}); empty between exchanges, its room kept. */
    final RuleIndexes fired = new RuleIndexes();
    /** The views of the exchange's head buffers; all null between exchanges. */
    private ByteView[] views;
    /** Views lent to the exchange, by buffer (and one for the head as sent), re-aimed per exchange; made at first use. */
    private ByteView[] lent;
    /** The slots of {@link #lent} aimed for the exchange served, to be aimed away when it is over (a dozen of the ninety). */
    private final int[] aimed = new int[IpsExchange.BUFFERS + 1];
    private int aimedCount;
    private boolean aimedMore;
    /** Whether the exchange served took the views' array (all null otherwise). */
    private boolean viewsLent;
    /** The array {@code http.start} was last written into, and a buffer of all of it. */
    private ByteBuffer start;

    /** The array of {@link IpsExchange#BUFFERS} nulls (between exchanges) lent to the exchange served. */
    ByteView[] views() {
        if (views == null) {
            views = new ByteView[IpsExchange.BUFFERS];
        }
        viewsLent = true;
        return views;
    }

    /**
     * The view lent for {@code slot} (a buffer's ordinal, or {@link IpsExchange#BUFFERS} for the
     * request's head as sent), aimed at {@code data[from, to)}. Each slot is aimed once per
     * exchange: the view is then the buffer's for the rest of it.
     */
    ByteView view(int slot, ByteBuffer data, int from, int to) {
        if (lent == null) {
            lent = new ByteView[IpsExchange.BUFFERS + 1];
        }
        ByteView v = lent[slot];
        if (aimedCount < aimed.length) {
            aimed[aimedCount++] = slot; // once per slot and exchange: IpsExchange asks for a slot's view only while the buffer has none
        } else {
            aimedMore = true; // were it asked again: every slot is aimed away at the end
        }
        if (v == null) {
            return lent[slot] = new ByteView(data, from, to - from, 0);
        }
        return v.aim(data, from, to);
    }

    /** An array of at least {@code n} bytes, as a buffer of all of it, for {@code http.start}; null when larger than is kept. */
    ByteBuffer start(int n) {
        if (n > KEPT_START) {
            return null;
        }
        if (start == null || start.capacity() < n) {
            start = ByteBuffer.wrap(new byte[Math.max(256, Integer.highestOneBit(Math.max(1, n - 1)) << 1)]);
        }
        return start;
    }

    /**
     * The exchange is over: nothing of it kept in the pool but the bytes of its {@code http.start} in the
     * kept array, which no view reaches (no view of its bytes, no bits, no candidates, no rule fired).
     */
    void clear() {
        headCandidates.clear();
        lateCandidates.clear();
        flowbits.clear();
        fired.clear();
        if (viewsLent) {
            Arrays.fill(views, null);
            viewsLent = false;
        }
        for (int i = 0; i < aimedCount; i++) {
            lent[aimed[i]].aim(ByteView.EMPTY.data(), 0, 0); // not the served exchange's bytes (the intake's head among them)
        }
        aimedCount = 0;
        if (aimedMore) {
            for (ByteView v : lent) {
                if (v != null) {
                    v.aim(ByteView.EMPTY.data(), 0, 0);
                }
            }
            aimedMore = false;
        }
    }
}
