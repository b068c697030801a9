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
    /**
     * The literals seen in this stream, by open addressing: a stream sees a few of a rule set's
     * tens of thousands (ET Open: arrays indexed by every literal id were 640 KB per new state, a
     * quarter of what the proxy allocated per request with ET loaded). Slot keys are id + 1; 0 is empty.
     */
    private int[] ids = new int[16];
    private int[] counts = new int[16];
    /** Per slot: a ring of the newest ends; kept across streams and reused by the slot's next literal. */
    private long[][] rings = new long[16][];
    private int used;
    /**
     * Bit {@code id & 1023} of every literal seen since the last clear: most of confirmation's look-ups
     * are of a literal the stream never showed (a candidate without its other contents), and they
     * end here without a probe of the table. 1,024 bits, not 64: a dense page shows a hundred
     * literals and more, which set nearly every bit of 64, so that nearly every look-up probed.
     */
    private final long[] present = new long[PRESENT_WORDS];
    private static final int PRESENT_WORDS = 16;
    /** The literal last recorded and its slot: a literal's ends come in runs (a dense page repeats its words). */
    private int lastId = -1;
    private int lastSlot;
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
        int slot = id == lastId ? lastSlot : slotFor(id);
        lastId = id;
        lastSlot = slot;
        long[] ring = rings[slot];
        if (ring == null) {
            ring = rings[slot] = new long[KEPT];
        }
        ring[counts[slot]++ % KEPT] = end;
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
        if (used > 0) {
            java.util.Arrays.fill(ids, 0);
            used = 0;
            java.util.Arrays.fill(present, 0);
            lastId = -1;
        }
    }

    /** Whether literal {@code id} was reported at least once in this stream. */
    boolean seen(int id) {
        return slotOf(id) >= 0;
    }

    /** The stream position from which every end of literal {@code id} is recorded. */
    long completeFrom(int id) {
        int slot = slotOf(id);
        int n = slot < 0 ? 0 : counts[slot];
        return n <= KEPT ? 0 : rings[slot][n % KEPT]; // the oldest kept: those dropped ended before it
    }

    /** The first recorded end of literal {@code id} at or after {@code position}, or -1. */
    long firstEndFrom(int id, long position) {
        int slot = slotOf(id);
        if (slot < 0) {
            return -1;
        }
        int n = counts[slot];
        long[] ring = rings[slot];
        for (int k = Math.max(0, n - KEPT); k < n; k++) {
            long end = ring[k % KEPT];
            if (end >= position) {
                return end;
            }
        }
        return -1;
    }

    /** The word of {@link #present} that holds {@code id}'s bit (bit {@code id & 63} of it). */
    private static int presentWord(int id) {
        return (id >>> 6) & (PRESENT_WORDS - 1);
    }

    /** The slot of {@code id}, or -1 when it was not seen in this stream. */
    private int slotOf(int id) {
        if ((present[presentWord(id)] & 1L << id) == 0) {
            return -1;
        }
        int mask = ids.length - 1;
        for (int i = home(id, mask); ; i = (i + 1) & mask) {
            int key = ids[i];
            if (key == id + 1) {
                return i;
            }
            if (key == 0) {
                return -1;
            }
        }
    }

    /** The slot of {@code id}, taken for it when it has none yet: one probe sequence for a record. */
    private int slotFor(int id) {
        int mask = ids.length - 1;
        int i = home(id, mask);
        for (int key = ids[i]; key != 0; key = ids[i]) {
            if (key == id + 1) {
                return i;
            }
            i = (i + 1) & mask;
        }
        if ((used + 1) * 2 > ids.length) {
            grow();
            mask = ids.length - 1;
            i = home(id, mask);
            while (ids[i] != 0) {
                i = (i + 1) & mask;
            }
        }
        ids[i] = id + 1;
        counts[i] = 0;
        used++;
        present[presentWord(id)] |= 1L << id;
        return i;
    }

    private void grow() {
        lastId = -1; // slots move
        int[] oldIds = ids;
        int[] oldCounts = counts;
        long[][] oldRings = rings;
        ids = new int[oldIds.length * 2];
        counts = new int[ids.length];
        rings = new long[ids.length][];
        int mask = ids.length - 1;
        for (int j = 0; j < oldIds.length; j++) {
            if (oldIds[j] != 0) {
                int i = home(oldIds[j] - 1, mask);
                while (ids[i] != 0) {
                    i = (i + 1) & mask;
                }
                ids[i] = oldIds[j];
                counts[i] = oldCounts[j];
                rings[i] = oldRings[j];
            }
        }
    }

    private static int home(int id, int mask) {
        return (id * 0x9E3779B9 >>> 16) & mask; // Fibonacci mix: ids of one rule are neighbours
    }
}
