package org.omamori.hyperscan;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.bytedeco.javacpp.BytePointer;

/**
 * Scans with one database on one thread at a time. Holds a scratch space from the database's
 * pool (taken on the first BLOCK scan) until {@link #close()}; keep one per worker thread rather
 * than one per scan. Scanning allocates nothing, provided the caller passes heap buffers, or
 * reuses the same direct buffer object (see {@link #scan}).
 */
public final class Scanner implements AutoCloseable {

    private final Database database;
    private final DirectAddress direct = new DirectAddress();
    private final Lease lease;
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    /** What a scanner holds of its database; returned by close() or, if forgotten, by the cleaner. */
    private static final class Lease implements Runnable {
        final NativeDatabase resources;
        Scratch scratch;

        Lease(NativeDatabase resources) {
            this.resources = resources;
        }

        @Override
        public void run() {
            if (scratch != null) {
                resources.scratches.give(scratch);
                scratch = null;
            }
            resources.release();
        }
    }

    /** Takes over a reference the caller acquired on the database. */
    Scanner(Database database) {
        this.database = database;
        this.lease = new Lease(database.resources);
        this.cleanable = NativeDatabase.CLEANER.register(this, lease);
    }

    /**
     * Scans the bytes between the buffer's position and limit as one block ({@code hs_scan}),
     * leaving position and limit as they were. A direct buffer is scanned in place; its address is
     * looked up again only when a different buffer object comes. A heap buffer is copied into a
     * reused native buffer (into a temporary one above 1 MiB). Returns normally also when the
     * listener stopped the scan.
     *
     * @throws IllegalStateException if this scanner is closed or the database is a STREAM one
     */
    public void scan(ByteBuffer data, MatchListener listener) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        if (database.mode() != ScanMode.BLOCK) {
            throw new IllegalStateException("this database was compiled for STREAM mode: scan through openStream()");
        }
        Scratch s = lease.scratch;
        if (s == null) {
            s = lease.scratch = database.resources.scratches.take();
        }
        try {
            scanBlock(MatchDispatch.CALLS, database.resources, s, direct, data, listener);
        } finally {
            // Until the native call is over, the cleaner must not see this scanner as unreachable.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * One block scan with scratch {@code s} through {@code calls} ({@link MatchDispatch#CALLS} but in
     * tests); the caller holds a reference on {@code resources}.
     */
    static void scanBlock(ScanCalls calls, NativeDatabase resources, Scratch s, DirectAddress direct, ByteBuffer data,
                          MatchListener listener) {
        int length = data.remaining();
        if (length == 0) {
            run(calls, resources, s, s.empty(), 0, listener);
        } else if (data.isDirect() && direct.of(data) != 0) {
            run(calls, resources, s, direct.of(data) + data.position(), length, listener);
        } else if (length <= Scratch.MAX_STAGING) {
            run(calls, resources, s, s.stage(data, data.position(), length), length, listener);
        } else {
            // A block cannot be split, and keeping a buffer this large per scratch would pin memory.
            try (BytePointer copy = new BytePointer((long) length)) {
                copy.asByteBuffer().put(0, data, data.position(), length);
                run(calls, resources, s, copy.address(), length, listener);
            }
        }
    }

    /**
     * Opens a stream on this scanner's (STREAM) database. The stream lives independently of this
     * scanner and must be closed itself.
     *
     * @throws IllegalStateException if this scanner or its database is closed, or the database is a BLOCK one
     */
    public Stream openStream() {
        ensureOpen();
        return database.openStream();
    }

    public Database database() {
        return database;
    }

    /** Returns the scratch space to the pool and releases the database. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        direct.forget();
        cleanable.clean();
    }

    private static void run(ScanCalls calls, NativeDatabase resources, Scratch s, long bytes, int length,
                            MatchListener listener) {
        MatchDispatch.Frame frame = MatchDispatch.frame();
        MatchListener outer = frame.listener; // a listener may itself scan another database
        frame.listener = listener;
        int rc;
        try {
            rc = calls.scan(resources.handle, s, bytes, length);
        } finally {
            frame.listener = outer;
        }
        MatchDispatch.completed(frame, rc, "hs_scan");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this Hyperscan scanner is closed");
        }
    }
}
