package org.omamori.engine.urlfilter;

import java.util.Arrays;

/**
 * An open-addressing set of byte-string keys, each with an int value (a category-set id).
 * Keys live back to back in one byte pool (2-byte length, then the bytes), so a million
 * domains cost a few arrays instead of a million objects. The 64-bit hash is stored per slot
 * and checked first; a hash hit is always confirmed against the stored bytes, so a collision
 * can never produce a false match. Lookups compare case-insensitively (keys are stored in
 * lower case) and allocate nothing.
 *
 * <p>Written by one thread while loading, then only read: safe to share once published
 * through a final or volatile field.
 */
final class KeyTable {

    static final int MAX_KEY = 0xFFFF;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** Grow above 60 % full: linear probing stays short, memory stays under 20 bytes a slot. */
    private static final double MAX_LOAD = 0.6;

    /**
     * Two longs per slot, side by side so a probe touches one cache line: the key's hash
     * (0 = empty), then its pool offset (high 32 bits) and value (low 32 bits).
     */
    private long[] slots;
    /**
     * A blocked Bloom filter over the key hashes (two bits in one word, ~8 bits per key): small
     * enough to stay in cache, it turns most misses into one cache hit instead of a memory
     * access into the large slot array. Built by {@link #trim()}; null while loading.
     */
    private long[] filter;
    private int filterMask;
    private byte[] pool;
    private int poolSize;
    private int size;
    private int mask;

    KeyTable() {
        this(1024);
    }

    KeyTable(int initialSlots) {
        int cap = Integer.highestOneBit(Math.max(16, initialSlots) - 1) << 1;
        slots = new long[2 * cap];
        pool = new byte[Math.max(256, cap * 8)];
        mask = cap - 1;
    }

    // ---- hashing: FNV-1a over lower-case bytes, finished by a 64-bit mixer -----------------

    static long start() {
        return FNV_OFFSET;
    }

    static long step(long h, int lowerByte) {
        return (h ^ lowerByte) * FNV_PRIME;
    }

    static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b & 0xFF;
    }

    /** Hash of a key read right to left, as suffix lookups compute it. */
    static long hashRightToLeft(byte[] k, int off, int len) {
        long h = start();
        for (int i = off + len - 1; i >= off; i--) {
            h = step(h, lower(k[i]));
        }
        return finish(h);
    }

    /** Hash of a key read left to right, as prefix lookups compute it. */
    static long hashLeftToRight(byte[] k, int off, int len) {
        long h = start();
        for (int i = off; i < off + len; i++) {
            h = step(h, lower(k[i]));
        }
        return finish(h);
    }

    // ---- reading -------------------------------------------------------------------------

    int size() {
        return size;
    }

    int value(int slot) {
        return (int) slots[2 * slot + 1];
    }

    private int offset(int slot) {
        return (int) (slots[2 * slot + 1] >>> 32);
    }

    int keyLength(int slot) {
        int o = offset(slot);
        return ((pool[o] & 0xFF) << 8) | (pool[o + 1] & 0xFF);
    }

    String key(int slot) {
        return new String(pool, offset(slot) + 2, keyLength(slot), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static long filterBits(long h) {
        return (1L << (h >>> 52)) | (1L << (h >>> 58));
    }

    private boolean mayHold(long h) {
        long[] f = filter;
        if (f == null) {
            return true;
        }
        long bits = filterBits(h);
        return (f[(int) (h >>> 24) & filterMask] & bits) == bits;
    }

    /** The slot holding the key {@code b[s, e)}, or -1. */
    int probe(long h, byte[] b, int s, int e) {
        if (!mayHold(h)) {
            return -1;
        }
        int len = e - s;
        long[] t = slots;
        int i = (int) h & mask;
        long stored;
        while ((stored = t[2 * i]) != 0) {
            if (stored == h && equal((int) (t[2 * i + 1] >>> 32), b, s, len)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** The slot holding the key {@code b[s1, e1) + b[s2, e2)} (host and path apart), or -1. */
    int probe(long h, byte[] b, int s1, int e1, int s2, int e2) {
        if (!mayHold(h)) {
            return -1;
        }
        long[] t = slots;
        int i = (int) h & mask;
        long stored;
        while ((stored = t[2 * i]) != 0) {
            if (stored == h) {
                int o = (int) (t[2 * i + 1] >>> 32);
                int len = ((pool[o] & 0xFF) << 8) | (pool[o + 1] & 0xFF);
                if (len == (e1 - s1) + (e2 - s2) && same(o + 2, b, s1, e1 - s1) && same(o + 2 + e1 - s1, b, s2, e2 - s2)) {
                    return i;
                }
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private boolean equal(int o, byte[] b, int s, int len) {
        int stored = ((pool[o] & 0xFF) << 8) | (pool[o + 1] & 0xFF);
        return stored == len && same(o + 2, b, s, len);
    }

    private boolean same(int p, byte[] b, int s, int len) {
        byte[] pool = this.pool;
        for (int k = 0; k < len; k++) {
            if (pool[p + k] != (byte) lower(b[s + k])) {
                return false;
            }
        }
        return true;
    }

    // ---- writing (loading only) ------------------------------------------------------------

    /**
     * Adds a lower-case key with a value, unless present.
     *
     * @return the slot of the existing key, or {@code ~slot} (negative) of the new one
     */
    int add(long h, byte[] k, int off, int len, int value) {
        if (len > MAX_KEY) {
            throw new IllegalArgumentException("key longer than " + MAX_KEY + " bytes");
        }
        int i = (int) h & mask;
        long stored;
        while ((stored = slots[2 * i]) != 0) {
            if (stored == h && equal(offset(i), k, off, len)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        if (poolSize + 2 + len > pool.length) {
            long grown = Math.max((long) pool.length + (pool.length >> 1), (long) poolSize + 2 + len);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("key pool full");
            }
            pool = Arrays.copyOf(pool, (int) grown);
        }
        int o = poolSize;
        pool[o] = (byte) (len >>> 8);
        pool[o + 1] = (byte) len;
        System.arraycopy(k, off, pool, o + 2, len);
        poolSize += 2 + len;
        slots[2 * i] = h;
        slots[2 * i + 1] = ((long) o << 32) | (value & 0xFFFF_FFFFL);
        size++;
        filter = null; // rebuilt by trim()
        if (size > mask * MAX_LOAD) {
            grow();
            return ~probe(h, k, off, off + len);
        }
        return ~i;
    }

    void setValue(int slot, int value) {
        slots[2 * slot + 1] = (slots[2 * slot + 1] & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
    }

    private void grow() {
        int cap = (mask + 1) << 1;
        if (cap <= 0 || cap > 1 << 29) {
            throw new IllegalStateException("table full");
        }
        long[] old = slots;
        slots = new long[2 * cap];
        mask = cap - 1;
        for (int j = 0; j < old.length; j += 2) {
            long h = old[j];
            if (h != 0) {
                int i = (int) h & mask;
                while (slots[2 * i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[2 * i] = h;
                slots[2 * i + 1] = old[j + 1];
            }
        }
    }

    /** Ends loading: gives back the pool's unused tail and builds the miss filter. */
    void trim() {
        if (pool.length - poolSize > 4096) {
            pool = Arrays.copyOf(pool, poolSize);
        }
        int words = Integer.highestOneBit(Math.max(1, size / 8) * 2 - 1);
        long[] f = new long[Math.max(2, words)];
        int fm = f.length - 1;
        for (int j = 0; j < slots.length; j += 2) {
            long h = slots[j];
            if (h != 0) {
                f[(int) (h >>> 24) & fm] |= filterBits(h);
            }
        }
        filterMask = fm;
        filter = f;
    }

    /** Bytes held, for reports. */
    long footprint() {
        return 8L * slots.length + (filter == null ? 0 : 8L * filter.length) + pool.length;
    }
}
