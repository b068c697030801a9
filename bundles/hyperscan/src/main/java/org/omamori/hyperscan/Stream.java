package org.omamori.hyperscan;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

import com.gliwka.hyperscan.jni.hs_stream_t;
import com.gliwka.hyperscan.jni.hyperscan;

/**
 * One direction of one flow, scanned chunk by chunk; matches may span chunks and report offsets
 * from the start of the stream (64-bit, so flows beyond 4 GiB are fine).
 *
 * <p>Used by one thread at a time; it may move to another thread between calls if the hand-over
 * publishes it. Each call borrows a scratch space from the database's pool, so streams cost only
 * their native state ({@link Database#streamStateBytes()}) while idle. Always finish a stream with
 * {@link #end} or {@link #close()}: until then it holds native memory and its database (a cleaner
 * frees a forgotten stream once it is garbage, but only then).
 *
 * <p>A stream can be used for one flow after another: {@link #reset(MatchListener)} ends the data
 * so far as {@link #end} does but keeps the stream open, starting over at position 0, so a pool of
 * streams saves opening one (and registering it with the cleaner) per flow. Whoever pools streams
 * closes them before closing their database's last user, as with any stream.
 */
public final class Stream implements AutoCloseable {

    private final Database database;
    private final hs_stream_t handle;
    private final Cleaner.Cleanable cleanable;
    private final DirectAddress direct = new DirectAddress();
    private final ScanCalls calls;
    private long bytesScanned;
    private boolean stopped;
    private boolean closed;

    /** Takes over a reference the caller acquired on the database. */
    Stream(Database database, hs_stream_t handle, ScanCalls calls) {
        this.database = database;
        this.handle = handle;
        this.calls = calls;
        this.cleanable = NativeDatabase.CLEANER.register(this, new Release(database.resources, handle));
    }

    /** Frees the native stream unless end() already did, then releases the database. */
    private record Release(NativeDatabase resources, hs_stream_t handle) implements Runnable {
        @Override
        public void run() {
            if (!handle.isNull()) {
                // No scratch and no callback: Hyperscan frees the state and reports nothing.
                hyperscan.hs_close_stream(handle, null, null, null);
                handle.setNull();
            }
            resources.release();
        }
    }

    /**
     * Scans the next chunk, the bytes between the buffer's position and limit, leaving position
     * and limit as they were ({@code hs_scan_stream}). A direct buffer is scanned in place; a
     * heap buffer is copied through a reused native buffer, 1 MiB at a time. After the listener
     * has stopped the stream, further chunks are counted but not scanned.
     *
     * @throws IllegalStateException if the stream has ended or is closed
     */
    public void scan(ByteBuffer chunk, MatchListener listener) {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        int length = chunk.remaining();
        bytesScanned += length;
        if (length == 0 || stopped) {
            return;
        }
        Scratch s = database.resources.scratches.take();
        try {
            if (chunk.isDirect() && direct.of(chunk) != 0) {
                run(s, direct.of(chunk) + chunk.position(), length, listener);
            } else {
                int offset = chunk.position();
                int end = chunk.limit();
                while (offset < end && !stopped) {
                    int piece = Math.min(end - offset, Scratch.MAX_STAGING);
                    run(s, s.stage(chunk, offset, piece), piece, listener);
                    offset += piece;
                }
            }
        } finally {
            database.resources.scratches.give(s);
        }
    }

    /**
     * Ends the stream: reports the matches that only the end of data decides (such as
     * {@code abc$}), then frees the stream ({@code hs_close_stream} with a scratch).
     *
     * @throws IllegalStateException if the stream has already ended or is closed
     */
    public void end(MatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        closed = true;
        Scratch s = database.resources.scratches.take();
        int rc;
        MatchDispatch.Frame frame = MatchDispatch.frame();
        MatchListener outer = frame.listener;
        frame.listener = listener;
        try {
            rc = calls.closeStream(handle, s);
        } finally {
            frame.listener = outer;
            handle.setNull(); // freed by hs_close_stream, so the release below only drops the reference
            direct.forget();
            database.resources.scratches.give(s);
            cleanable.clean();
            Reference.reachabilityFence(this);
        }
        MatchDispatch.completed(frame, rc, "hs_close_stream");
    }

    /**
     * Ends the data so far as {@link #end} does, reporting the matches only the end of data decides,
     * then starts over as a new stream on the same database ({@code hs_reset_stream}): offsets count
     * from 0 again, {@link #bytesScanned()} is 0 and a stopped stream scans again.
     *
     * @throws IllegalStateException if the stream has ended or is closed
     */
    public void reset(MatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        Scratch s = database.resources.scratches.take();
        MatchDispatch.Frame frame = MatchDispatch.frame();
        MatchListener outer = frame.listener;
        frame.listener = listener;
        int rc;
        try {
            rc = calls.resetStream(handle, s);
        } finally {
            frame.listener = outer;
            database.resources.scratches.give(s);
            startOver();
        }
        MatchDispatch.completed(frame, rc, "hs_reset_stream");
    }

    /**
     * Starts over as a new stream without reporting anything ({@code hs_reset_stream} without a
     * callback): what {@link #close()} is to {@link #end}.
     *
     * @throws IllegalStateException if the stream has ended or is closed
     */
    public void reset() {
        ensureOpen();
        int rc;
        try {
            rc = hyperscan.hs_reset_stream(handle, 0, null, null, null);
        } finally {
            startOver();
        }
        if (rc != hyperscan.HS_SUCCESS) {
            throw new HyperscanException("hs_reset_stream", rc);
        }
    }

    private void startOver() {
        bytesScanned = 0;
        stopped = false;
        // Until the native call is over, the cleaner must not see this stream as unreachable.
        Reference.reachabilityFence(this);
    }

    /** Frees the stream without reporting end-of-data matches. Idempotent, also after {@link #end}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        direct.forget();
        cleanable.clean();
    }

    /** All bytes given to {@link #scan}, including those after the listener stopped the stream. */
    public long bytesScanned() {
        return bytesScanned;
    }

    /** Whether a listener returned {@code false}; a stopped stream reports no more matches. */
    public boolean isStopped() {
        return stopped;
    }

    /** Whether {@link #end} or {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void run(Scratch s, long bytes, int length, MatchListener listener) {
        MatchDispatch.Frame frame = MatchDispatch.frame();
        MatchListener outer = frame.listener;
        frame.listener = listener;
        int rc;
        try {
            rc = calls.scanStream(handle, s, bytes, length);
        } finally {
            frame.listener = outer;
            // Until the native call is over, the cleaner must not see this stream as unreachable.
            Reference.reachabilityFence(this);
        }
        if (rc == hyperscan.HS_SCAN_TERMINATED) {
            stopped = true; // Hyperscan refuses to scan this stream further
        }
        MatchDispatch.completed(frame, rc, "hs_scan_stream");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this Hyperscan stream has already ended or been closed");
        }
    }
}
