package org.omamori.hyperscan;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hyperscan;

/**
 * The native side of a {@link Database}: the compiled database and its scratch pool, freed when
 * the last reference goes. Kept apart from the public objects so that their {@link Cleaner}
 * actions, which must not reference those objects, can release it when a caller forgot to close.
 */
final class NativeDatabase {

    /** Frees what callers forgot to close, once the garbage collector proves nobody can use it. */
    static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread t = new Thread(task, "omamori-hyperscan-cleaner");
        t.setDaemon(true);
        return t;
    });

    final hs_database_t handle;
    final ScratchPool scratches;
    /** One reference for the open database itself, one per open scanner and stream. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    NativeDatabase(hs_database_t handle) {
        this.handle = handle;
        // The first scratch also proves the database is usable on this CPU.
        this.scratches = new ScratchPool(handle, Scratch.allocate(handle));
    }

    void acquire() {
        while (true) {
            int n = references.get();
            if (n == 0 || closed.get()) {
                throw new IllegalStateException("the Hyperscan database is closed");
            }
            if (references.compareAndSet(n, n + 1)) {
                return;
            }
        }
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            // Every scratch is back: each borrower returns it before releasing its reference.
            scratches.freeAll();
            hyperscan.hs_free_database(handle);
            handle.setNull();
        }
    }

    /** Drops the database's own reference, once. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    boolean isClosed() {
        return closed.get();
    }
}
