package org.omamori.engine.ips;

import java.util.Arrays;

/**
 * A small set of rule indexes in insertion order. An inspection rarely holds more than a few,
 * so a linear array beats a hash set, and nothing is allocated until the first one arrives.
 */
final class RuleIndexes {

    /** More indexes than this in one inspection are dropped: bounded memory per flow. */
    static final int LIMIT = 4096;

    private static final int[] NONE = {};

    private int[] items = NONE; // allocated at the first index: most inspections have none
    private int size;
    /** Bit {@code index & 63} of every index added since the last clear: most lookups miss, and miss here. */
    private long seen;

    boolean add(int index) {
        for (int i = 0; (seen & 1L << index) != 0 && i < size; i++) {
            if (items[i] == index) {
                return false;
            }
        }
        if (size == LIMIT) {
            return false;
        }
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.max(4, size * 2)); // 4: a typical exchange fires 1-2 (ET: flowbit rules on each GET); 8 cost it 16 B
        }
        items[size++] = index;
        seen |= 1L << index;
        return true;
    }

    void clear() {
        size = 0;
        seen = 0;
    }

    boolean contains(int index) {
        if ((seen & 1L << index) == 0) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (items[i] == index) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return items[i];
    }

}
