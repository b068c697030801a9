package org.omamori.hyperscan;

import java.util.concurrent.atomic.AtomicReferenceArray;

import com.gliwka.hyperscan.jni.hs_database_t;

/**
 * The scratch spaces of one database. Lock-free and allocation-free in the steady state: a fixed
 * array of slots taken and returned by compare-and-set (a linked stack would allocate a node per
 * return, or suffer ABA with intrusive links). When every slot is empty a new scratch is
 * allocated; when every slot is full a returned scratch is freed.
 */
final class ScratchPool {

    private final hs_database_t database;
    private final AtomicReferenceArray<Scratch> slots;

    ScratchPool(hs_database_t database, Scratch first) {
        this.database = database;
        // A power of two, so that a slot index is a mask, not a division (two per take and give).
        this.slots = new AtomicReferenceArray<>(Integer.highestOneBit(Math.max(16, 8 * Runtime.getRuntime().availableProcessors() - 1)));
        slots.set(0, first);
    }

    Scratch take() {
        int n = slots.length();
        int start = start(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) & (n - 1);
            Scratch s = slots.get(slot);
            if (s != null && slots.compareAndSet(slot, s, null)) {
                return s;
            }
        }
        return Scratch.allocate(database);
    }

    void give(Scratch scratch) {
        int n = slots.length();
        int start = start(n);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) & (n - 1);
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, scratch)) {
                return;
            }
        }
        scratch.free();
    }

    /** Only once no scratch is lent out: the database is being freed. */
    void freeAll() {
        for (int i = 0; i < slots.length(); i++) {
            Scratch s = slots.getAndSet(i, null);
            if (s != null) {
                s.free();
            }
        }
    }

    /** Threads start at different slots so that they rarely contend for the same one. */
    private static int start(int n) {
        return (int) Thread.currentThread().threadId() & (n - 1);
    }
}
