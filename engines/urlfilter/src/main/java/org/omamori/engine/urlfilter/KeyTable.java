package org.omamori.engine.urlfilter;

import java.util.Arrays;

/**
 * An open-addressing set of byte-string keys, each with an int value (a category-set id).
 * Keys live back to back in one byte pool (the 4-byte value, a 2-byte length, then the bytes),
 * so a million domains cost a few arrays instead of a million objects. A slot is one long: the
 * upper 32 bits of the key's hash (its fingerprint, checked first, so a probe past another key
 * does not touch the pool) and the key's pool offset. A fingerprint hit is always confirmed
 * against the stored bytes, so a collision can never produce a false match. Lookups compare
 * case-insensitively (keys are stored in lower case) and allocate nothing.
 *
 * <p>Written by one thread while loading, then only read: safe to share once published
 * through a final or volatile field.
 */
final class KeyTable {

    static final int MAX_KEY = 0xFFFF;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** Grow above 60 % full: linear probing stays short, memory stays under 20 bytes a key. */
    private static final double MAX_LOAD = 0.6;
    /** Pool bytes before a key's own: its value (4), its length (2). */
    private static final int ENTRY_HEAD = 6;

    /**
     * One long per slot (0 = empty): the upper 32 bits of the key's hash (never 0, see
     * {@link #fingerprint}) in the high half, the key's pool offset in the low half. The slot's
     * index comes from the same 32 bits ({@link #home}), so growing needs no other copy of the
     * hash. Half of what a slot of the full hash and a separate offset and value took (1,000,000
     * domains: 16 MB instead of 32; issue 18's memory bar), and a probe reads 8 slots per cache line.
     */
    private long[] slots;
    /**
     * A blocked Bloom filter over the key hashes (two bits in one word, ~8 bits per key): small
     * enough to stay in cache, it turns most misses into one cache hit instead of a memory
     * access into the large slot array. Built by {@link #trim()}; null while loading.
     */
    private long[] filter;
    private int filterShift;
    private byte[] pool;
    private int poolSize;
    private int size;
    private int mask;
    /** Keys with no '.' (IPv6 literals; a list's names have two labels or more): while none, a top-level label alone is never looked up. */
    private int dotless;

    KeyTable() {
        this(1024);
    }

    KeyTable(int initialSlots) {
        this(Integer.highestOneBit(Math.max(16, initialSlots) - 1) << 1, 0);
    }

    private KeyTable(int cap, long poolBytes) {
        slots = new long[cap];
        pool = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(256, poolBytes > 0 ? poolBytes : cap * 8L))];
        mask = cap - 1;
    }

    /**
     * A table sized once for about {@code keys} keys whose pool entries take about
     * {@code poolBytes} ({@link #entryBytes} each): a list loaded into it makes no slot array or
     * pool to throw away on the way, where growing by doubling left about twice the final
     * arrays behind, all of them large enough to go straight to the old generation (issue 18:
     * the heap grew for that garbage). An estimate under the truth still grows; one over it is
     * cut to size by {@link #trim()}.
     */
    static KeyTable sizedFor(long keys, long poolBytes) {
        return new KeyTable(slotsFor(keys), poolBytes);
    }

    /** Pool bytes a key of {@code length} bytes takes. */
    static long entryBytes(int length) {
        return ENTRY_HEAD + (long) length;
    }

    /** The fewest slots (a power of two, at least 16) that hold {@code keys} without growing. */
    private static int slotsFor(long keys) {
        int cap = 16;
        while (keys > (cap - 1) * MAX_LOAD) {
            if (cap >= 1 << 29) {
                throw new IllegalStateException("table full");
            }
            cap <<= 1;
        }
        return cap;
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

    /** The upper half of a hash, never 0 (0 marks an empty slot): what a slot keeps of it. */
    static int fingerprint(long h) {
        int f = (int) (h >>> 32);
        return f == 0 ? 1 : f;
    }

    /** Where a probe for a fingerprint starts. */
    private int home(int fingerprint) {
        return fingerprint & mask;
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

    /** Whether a key without a '.' is held: only then can a host's last label alone match. */
    boolean holdsDotless() {
        return dotless != 0;
    }

    int value(int slot) {
        int o = offset(slot);
        byte[] p = pool;
        return (p[o] & 0xFF) << 24 | (p[o + 1] & 0xFF) << 16 | (p[o + 2] & 0xFF) << 8 | (p[o + 3] & 0xFF);
    }

    private int offset(int slot) {
        return (int) slots[slot];
    }

    private int length(int o) {
        return ((pool[o + 4] & 0xFF) << 8) | (pool[o + 5] & 0xFF);
    }

    int keyLength(int slot) {
        return length(offset(slot));
    }

    String key(int slot) {
        return new String(pool, offset(slot) + ENTRY_HEAD, keyLength(slot), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * The filter is built from what the slots keep of a hash, the fingerprint: its top bits pick
     * the word, its low twelve the two bits in it.
     */
    private static long filterBits(int f) {
        return (1L << f) | (1L << (f >>> 6)); // a long shift takes the count's low 6 bits
    }

    /** The word of a fingerprint: its top bits ({@code shift} = 32 - log2 of the words, at least 1). */
    private static int filterWord(int shift, int f) {
        return f >>> shift;
    }

    private boolean mayHold(long h) {
        long[] f = filter;
        if (f == null) {
            return true;
        }
        int fp = fingerprint(h);
        long bits = filterBits(fp);
        return (f[filterWord(filterShift, fp)] & bits) == bits;
    }

    /** The slot holding the key {@code b[s, e)}, or -1. */
    int probe(long h, byte[] b, int s, int e) {
        if (!mayHold(h)) {
            return -1;
        }
        int len = e - s;
        long[] t = slots;
        int f = fingerprint(h);
        int m = mask;
        int i = f & m;
        long stored;
        while ((stored = t[i]) != 0) {
            if ((int) (stored >>> 32) == f && equal((int) stored, b, s, len)) {
                return i;
            }
            i = (i + 1) & m;
        }
        return -1;
    }

    /** The slot holding the key {@code b[s1, e1) + b[s2, e2)} (host and path apart), or -1. */
    int probe(long h, byte[] b, int s1, int e1, int s2, int e2) {
        if (!mayHold(h)) {
            return -1;
        }
        long[] t = slots;
        int f = fingerprint(h);
        int i = home(f);
        long stored;
        while ((stored = t[i]) != 0) {
            if ((int) (stored >>> 32) == f) {
                int o = (int) stored;
                int len = length(o);
                if (len == (e1 - s1) + (e2 - s2) && same(o + ENTRY_HEAD, b, s1, e1 - s1)
                        && same(o + ENTRY_HEAD + e1 - s1, b, s2, e2 - s2)) {
                    return i;
                }
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private boolean equal(int o, byte[] b, int s, int len) {
        return length(o) == len && same(o + ENTRY_HEAD, b, s, len);
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
        int f = fingerprint(h);
        int i = home(f);
        long stored;
        while ((stored = slots[i]) != 0) {
            if ((int) (stored >>> 32) == f && equal((int) stored, k, off, len)) {
                return i;
            }
            i = (i + 1) & mask;
        }
        if (poolSize + ENTRY_HEAD + len > pool.length) {
            long grown = Math.max((long) pool.length + (pool.length >> 1), (long) poolSize + ENTRY_HEAD + len);
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("key pool full");
            }
            pool = Arrays.copyOf(pool, (int) grown);
        }
        int o = poolSize;
        writeValue(o, value);
        pool[o + 4] = (byte) (len >>> 8);
        pool[o + 5] = (byte) len;
        System.arraycopy(k, off, pool, o + ENTRY_HEAD, len);
        poolSize += ENTRY_HEAD + len;
        if (!hasDot(k, off, len)) {
            dotless++;
        }
        slots[i] = ((long) f << 32) | (o & 0xFFFF_FFFFL);
        size++;
        filter = null; // rebuilt by trim()
        if (size > mask * MAX_LOAD) {
            grow();
            return ~probe(h, k, off, off + len);
        }
        return ~i;
    }

    private static boolean hasDot(byte[] k, int off, int len) {
        for (int j = off; j < off + len; j++) {
            if (k[j] == '.') {
                return true;
            }
        }
        return false;
    }

    void setValue(int slot, int value) {
        writeValue(offset(slot), value);
    }

    private void writeValue(int o, int value) {
        pool[o] = (byte) (value >>> 24);
        pool[o + 1] = (byte) (value >>> 16);
        pool[o + 2] = (byte) (value >>> 8);
        pool[o + 3] = (byte) value;
    }

    private void grow() {
        int cap = (mask + 1) << 1;
        if (cap <= 0 || cap > 1 << 29) {
            throw new IllegalStateException("table full");
        }
        rehash(cap);
    }

    private void rehash(int cap) {
        long[] old = slots;
        slots = new long[cap];
        mask = cap - 1;
        for (long stored : old) {
            if (stored != 0) {
                int i = home((int) (stored >>> 32));
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = stored;
            }
        }
    }

    /**
     * Ends loading: gives back the pool's unused tail when it is more than a sixteenth (a copy
     * of the whole pool costs a second pool for a moment: not worth a few bytes), shrinks the
     * slots when an estimate made them larger than the keys need, builds the miss filter.
     */
    void trim() {
        int slack = pool.length - poolSize;
        if (slack > 4096 && slack > pool.length / 16) {
            pool = Arrays.copyOf(pool, poolSize);
        }
        int fit = slotsFor(size);
        if (fit < slots.length) {
            rehash(fit);
        }
        int words = Integer.highestOneBit(Math.max(1, size / 8) * 2 - 1);
        long[] f = new long[Math.max(2, words)]; // a power of two, at most 2^28 words
        int shift = 32 - Integer.numberOfTrailingZeros(f.length);
        for (long stored : slots) {
            if (stored != 0) {
                int fp = (int) (stored >>> 32);
                f[filterWord(shift, fp)] |= filterBits(fp);
            }
        }
        filterShift = shift;
        filter = f;
    }

    /**
     * Drops the table's arrays (lists swapped out, no reader left): a dead table object that
     * still pointed at them would keep G1 from reclaiming them at the next young collection
     * (its card is a root for their regions) until a whole marking cycle proved it dead, the
     * window in which a list swap under load filled the heap and ended in full collections.
     * The table must not be read afterwards.
     */
    void release() {
        slots = null;
        filter = null;
        pool = null;
    }

    /** Bytes held, for reports (0 once released). */
    long footprint() {
        return slots == null ? 0 : 8L * slots.length + (filter == null ? 0 : 8L * filter.length) + pool.length;
    }

    /** The slot array, for tests that watch it become unreachable. */
    long[] slotArray() {
        return slots;
    }
}
