package org.omamori.engine.ips;

/**
 * Where literals that confirmation needs ended in one direction's stream, as Hyperscan reported
 * them while scanning it ({@link Chain#sightingKeys}: the literal prefixes of streamed pcres, and
 * contents other than the trigger): confirming a rule then looks up where its other contents and
 * its pcre's prefix occur instead of searching the window again for each trigger occurrence (the
 * bytes are scanned once, by Hyperscan, with everything else). Bounded: the newest {@link #KEPT}
 * ends per literal; before the oldest kept one the record is incomplete, and so is it after
 * {@link #scannedTo} (a confirmation during a scan), and there the confirmation searches the bytes
 * itself.
 */
final class Sightings {

    static final int KEPT = 32;

    private final int prefixes;
    /** Per prefix id: a ring of the newest ends, allocated at its first sighting. */
    private long[][] ends;
    private int[] counts;
    /** The ids whose count is not 0, so clearing touches only those (a rule set has hundreds of literals, a stream a few). */
    private int[] touched;
    private int touchedCount;
    /** Every end up to this stream position has been reported (the scan has passed it). */
    private long scannedTo;

    Sightings(int prefixes) {
        this.prefixes = prefixes;
    }

    /** Hyperscan saw literal {@code id} end at stream position {@code end} (ends come in increasing order). */
    void record(int id, long end) {
        if (id < 0 || id >= prefixes) {
            return;
        }
        if (ends == null) {
            ends = new long[prefixes][];
            counts = new int[prefixes];
            touched = new int[prefixes];
        }
        long[] ring = ends[id];
        if (ring == null) {
            ring = ends[id] = new long[KEPT];
        }
        int n = counts[id]++;
        if (n == 0) {
            touched[touchedCount++] = id;
        }
        ring[n % KEPT] = end;
    }

    /** The scan has reported everything that ends at or before {@code position}. */
    void scanned(long position) {
        scannedTo = position;
    }

    long scannedTo() {
        return scannedTo;
    }

    /** Forgets every sighting (a new stream), keeping the rings. */
    void clear() {
        scannedTo = 0;
        for (int i = 0; i < touchedCount; i++) {
            counts[touched[i]] = 0;
        }
        touchedCount = 0;
    }

    /** Whether literal {@code id} was reported at least once in this stream. */
    boolean seen(int id) {
        return counts != null && counts[id] > 0;
    }

    /** The stream position from which every end of literal {@code id} is recorded. */
    long completeFrom(int id) {
        int n = counts == null ? 0 : counts[id];
        return n <= KEPT ? 0 : ends[id][n % KEPT]; // the oldest kept: those dropped ended before it
    }

    /** The first recorded end of literal {@code id} at or after {@code position}, or -1. */
    long firstEndFrom(int id, long position) {
        int n = counts == null ? 0 : counts[id];
        long[] ring = n == 0 ? null : ends[id];
        for (int k = Math.max(0, n - KEPT); k < n; k++) {
            long end = ring[k % KEPT];
            if (end >= position) {
                return end;
            }
        }
        return -1;
    }
}
