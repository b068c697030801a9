package org.omamori.events;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A stripe's keys and their values for {@link EventTally}: open addressing with linear probing,
 * each key's hash kept in an {@code int} array beside it. A key that is not held (every new
 * blocked name of the DNS filter) is mostly turned away by the hash array alone, a few cache
 * lines, where a {@code HashMap} reached into a node object per bucket (a cache miss each: 15 %
 * of the DNS filter's receiving threads' samples, issue 18). Not thread-safe: a stripe's lock
 * guards it. Null keys and values are not allowed.
 */
final class TallyTable<V> {

    private int[] hashes;
    private Object[] keys;
    private Object[] values;
    private int size;
    private int mask;

    TallyTable() {
        allocate(16);
    }

    private void allocate(int capacity) {
        hashes = new int[capacity];
        keys = new Object[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    /** The key's hash, spread (the stripe was picked by its high bits) and never 0 (0 marks an empty slot). */
    private static int spread(Object key) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    @SuppressWarnings("unchecked")
    V get(Object key) {
        int h = spread(key);
        int[] hs = hashes;
        int m = mask;
        for (int i = h & m; hs[i] != 0; i = (i + 1) & m) {
            if (hs[i] == h && key.equals(keys[i])) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Holds {@code value} under {@code key}, which must not be held yet. */
    void putNew(Object key, V value) {
        if (size + 1 > (mask + 1) >> 1) { // at most half full: probes stay short
            Object[] oldKeys = keys;
            Object[] oldValues = values;
            int[] oldHashes = hashes;
            allocate((mask + 1) << 1);
            for (int j = 0; j < oldHashes.length; j++) {
                if (oldHashes[j] != 0) {
                    place(oldHashes[j], oldKeys[j], oldValues[j]);
                }
            }
        }
        place(spread(key), key, value);
        size++;
    }

    private void place(int h, Object key, Object value) {
        int i = h & mask;
        while (hashes[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        keys[i] = key;
        values[i] = value;
    }

    /** Lets go of {@code key} if held. */
    void remove(Object key) {
        int h = spread(key);
        for (int i = h & mask; hashes[i] != 0; i = (i + 1) & mask) {
            if (hashes[i] == h && key.equals(keys[i])) {
                removeAt(i);
                size--;
                return;
            }
        }
    }

    /** Empties slot {@code i} and moves back the keys after it that its emptiness would hide from their probes. */
    private void removeAt(int i) {
        int hole = i;
        for (int j = (i + 1) & mask; hashes[j] != 0; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // j's key may fill the hole when its home is not cyclically within (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                hashes[hole] = hashes[j];
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        hashes[hole] = 0;
        keys[hole] = null;
        values[hole] = null;
    }

    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<? super V> action) {
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] != 0) {
                action.accept((V) values[i]);
            }
        }
    }

    /** Lets go of every value {@code drop} accepts. */
    @SuppressWarnings("unchecked")
    void removeIf(Predicate<? super V> drop) {
        if (size == 0) {
            return;
        }
        int[] oldHashes = hashes;
        Object[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldHashes.length);
        size = 0;
        for (int j = 0; j < oldHashes.length; j++) {
            if (oldHashes[j] != 0 && !drop.test((V) oldValues[j])) {
                place(oldHashes[j], oldKeys[j], oldValues[j]);
                size++;
            }
        }
    }

    void clear() {
        if (size == 0) {
            return;
        }
        Arrays.fill(hashes, 0);
        Arrays.fill(keys, null);
        Arrays.fill(values, null);
        size = 0;
    }
}
