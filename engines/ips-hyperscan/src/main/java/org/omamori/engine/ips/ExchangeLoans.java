package org.omamori.engine.ips;

import java.util.Arrays;

import org.omamori.hyperscan.MatchListener;

/**
 * What a pooled request {@link SideState} lends the exchange it serves, so that the exchange makes
 * none of these per request: the array its header buffers' views are kept in
 * ({@link IpsExchange#viewArray}), the set its request head's scans collect candidates in with the
 * listener that collects them ({@link HeadTriggers}), and its flowbits. Emptied when the state goes
 * back to the pool.
 */
final class ExchangeLoans {

    /** The request head's candidates of the exchange served (empty between exchanges). */
    final RuleIndexes headCandidates = new RuleIndexes();
    /** Collects into {@link #headCandidates}: one listener for every exchange, not one made per request. */
    final MatchListener collectHead = (id, from, to) -> {
        headCandidates.add(id);
        return true;
    };
    /** The flowbits of the exchange served, when it set them first through its request state; empty between exchanges. */
    final Flowbits flowbits = new Flowbits();
    /** The views of the exchange's head buffers; all null between exchanges. */
    private ByteView[] views;

    /** The array of {@link IpsExchange#BUFFERS} nulls (between exchanges) lent to the exchange served. */
    ByteView[] views() {
        if (views == null) {
            views = new ByteView[IpsExchange.BUFFERS];
        }
        return views;
    }

    /** The exchange is over: nothing of it kept in the pool (no view of its bytes, no bits, no candidates). */
    void clear() {
        headCandidates.clear();
        flowbits.clear();
        if (views != null) {
            Arrays.fill(views, null);
        }
    }
}
