package org.omamori.engine.ips;

import java.util.Arrays;

/**
 * Rules triggered in one direction's stream and not yet confirmed: for each, the stream
 * positions where its trigger last ended (a few, newest kept) and how far the window reached
 * when it was last tried, so a candidate is tried again only when there are new bytes. Bounded:
 * past {@link #LIMIT} candidates new ones are dropped and the verdict says so.
 */
final class Candidates {

    static final int LIMIT = 1024;
    /** Trigger positions kept per candidate. */
    static final int ENDS = 16;

    private static final int[] NO_INTS = {};
    private static final long[] NO_LONGS = {};
    private static final boolean[] NO_BOOLEANS = {};

    // Allocated at the first candidate: most inspections never have one.
    private int[] rules = NO_INTS;
    private long[] ends = NO_LONGS;
    private int[] endCount = NO_INTS;
    private long[] triedUpTo = NO_LONGS;
    private boolean[] fresh = NO_BOOLEANS;
    /** Trigger positions were dropped for want of room (none is lost when the oldest covers the rest). */
    private boolean[] lost = NO_BOOLEANS;
    private int size;
    private boolean overflowed;
    /** Bit {@code rule & 63} of every rule that became a candidate since the last clear: a quick "not one". */
    private long seen;

    /**
     * Records a trigger of {@code rule} ending at {@code end} (-1: position unknown). When the
     * candidate already holds {@link #ENDS} positions, the newest is replaced if
     * {@code oldestCovers} (trying the oldest covers the later ones), else the oldest is dropped
     * and returned so the caller can try it at once; otherwise returns -1.
     */
    long hit(int rule, long end, boolean oldestCovers) {
        int i = indexOf(rule);
        if (i < 0) {
            if (size == LIMIT) {
                overflowed = true;
                return -1;
            }
            if (size == rules.length) {
                grow();
            }
            i = size++;
            rules[i] = rule;
            seen |= 1L << rule;
            endCount[i] = 0;
            triedUpTo[i] = -1;
            lost[i] = false;
        }
        fresh[i] = true; // a new trigger is worth a try even without new bytes (end of stream)
        if (end < 0) {
            return -1;
        }
        int n = endCount[i];
        long dropped = -1;
        if (n == ENDS) {
            if (oldestCovers) {
                ends[i * ENDS + n - 1] = end;
                return -1;
            }
            dropped = ends[i * ENDS];
            lost[i] = true;
            System.arraycopy(ends, i * ENDS + 1, ends, i * ENDS, ENDS - 1);
            n--;
        }
        ends[i * ENDS + n] = end;
        endCount[i] = n + 1;
        return dropped;
    }

    private int indexOf(int rule) {
        if ((seen & 1L << rule) == 0) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            if (rules[i] == rule) {
                return i;
            }
        }
        return -1;
    }

    private void grow() {
        int n = Math.max(4, rules.length * 2);
        rules = Arrays.copyOf(rules, n);
        ends = Arrays.copyOf(ends, n * ENDS);
        endCount = Arrays.copyOf(endCount, n);
        triedUpTo = Arrays.copyOf(triedUpTo, n);
        fresh = Arrays.copyOf(fresh, n);
        lost = Arrays.copyOf(lost, n);
    }

    int size() {
        return size;
    }

    int rule(int i) {
        return rules[i];
    }

    int ends(int i) {
        return endCount[i];
    }

    /** The k-th recorded trigger end, newest first. */
    long end(int i, int k) {
        return ends[i * ENDS + endCount[i] - 1 - k];
    }

    long oldestEnd(int i) {
        return ends[i * ENDS];
    }

    void dropOldest(int i) {
        int n = --endCount[i];
        if (n > 0) {
            System.arraycopy(ends, i * ENDS + 1, ends, i * ENDS, n);
        }
    }

    /** No room for another trigger position: the oldest must be tried now. */
    boolean full(int i) {
        return endCount[i] == ENDS;
    }

    long newestEnd(int i) {
        return ends[i * ENDS + endCount[i] - 1];
    }

    long triedUpTo(int i) {
        return triedUpTo[i];
    }

    /** Whether some of the candidate's trigger positions were dropped: {@link #hit} returned one. */
    boolean lost(int i) {
        return lost[i];
    }

    /** Whether a trigger arrived since the candidate was last tried. */
    boolean fresh(int i) {
        return fresh[i];
    }

    /** Tries the candidate again the next time candidates are tried, new bytes or not. */
    void retry(int i) {
        fresh[i] = true;
    }

    void tried(int i, long upTo) {
        triedUpTo[i] = upTo;
        fresh[i] = false;
    }

    void removeAt(int i) {
        int last = --size;
        rules[i] = rules[last];
        endCount[i] = endCount[last];
        triedUpTo[i] = triedUpTo[last];
        fresh[i] = fresh[last];
        lost[i] = lost[last];
        if (i != last) {
            System.arraycopy(ends, last * ENDS, ends, i * ENDS, endCount[i]);
        }
    }

    /** Forgets every candidate, keeping the arrays. */
    void clear() {
        size = 0;
        overflowed = false;
        seen = 0;
    }

    boolean overflowed() {
        return overflowed;
    }
}
