package org.omamori.hyperscan;

import org.bytedeco.javacpp.Pointer;

import com.gliwka.hyperscan.jni.hyperscan;
import com.gliwka.hyperscan.jni.match_event_handler;

/**
 * The native match callback, and the per-thread slot it dispatches through. Where the Java 22
 * foreign-function calls run ({@link ScanCalls}) the callback is their upcall stub, otherwise
 * JavaCPP's thunk below; both end in {@link #dispatch}.
 *
 * <p>JavaCPP makes a native thunk per callback object and keeps only a few of them, so there is
 * exactly one, held by a static field for as long as this bundle's class loader lives. Hyperscan
 * calls it on the scanning thread, so a thread-local frame tells it the current listener. The
 * context pointer stays NULL: a non-NULL one would cost a Java object per match.
 */
final class MatchDispatch {

    /** The listener of the scan running on this thread, and what it threw. */
    static final class Frame {
        /** The thread this frame is of: the cache below is checked against it. */
        final Thread owner = Thread.currentThread();
        MatchListener listener;
        Throwable failure;
    }

    private static final ThreadLocal<Frame> FRAME = ThreadLocal.withInitial(Frame::new);
    /**
     * The frame of the scan started last, by any thread: a match of that scan (every match of
     * every scan is dispatched here) finds its frame without the thread-local lookup, which cost
     * more than the rest of the dispatch. Written once per scan, only read per match; racy on
     * purpose: a frame's owner is final, so a thread that reads another's frame only misses and
     * looks its own up.
     */
    private static Frame last;

    /** JavaCPP's callback: what {@link ScanCalls.JavaCpp} passes. */
    static final match_event_handler HANDLER = new match_event_handler() {
        @Override
        public int call(int id, long from, long to, int flags, Pointer context) {
            return dispatch(id, from, to);
        }
    };

    /** How this JVM makes the scan calls: through the foreign-function API where it can, else JavaCPP. */
    static final ScanCalls CALLS = ScanCalls.Loaded.INSTANCE;

    /**
     * One match, from either callback: hands it to the listener of the scan running on this
     * thread. Returns Hyperscan's answer: 0 to go on, 1 to stop. Never throws.
     */
    static int dispatch(int id, long from, long to) {
        Frame frame = last;
        if (frame == null || frame.owner != Thread.currentThread()) {
            frame = FRAME.get();
        }
        try {
            return frame.listener.onMatch(id, from, to) ? 0 : 1;
        } catch (Throwable e) {
            // A Java exception must not unwind through Hyperscan's C frames: stop, rethrow later.
            frame.failure = e;
            return 1;
        }
    }

    private MatchDispatch() {
    }

    /** This thread's frame, for a scan it starts. */
    static Frame frame() {
        Frame f = last;
        if (f == null || f.owner != Thread.currentThread()) {
            f = FRAME.get();
            last = f;
        }
        return f;
    }

    /**
     * Turns a scan's return code into an outcome.
     *
     * @return {@code true} if the scan ran to the end, {@code false} if the listener stopped it
     */
    static boolean completed(Frame frame, int rc, String operation) {
        Throwable failure = frame.failure;
        if (failure != null) {
            frame.failure = null;
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("match listener failed", failure);
        }
        if (rc == hyperscan.HS_SUCCESS) {
            return true;
        }
        if (rc == hyperscan.HS_SCAN_TERMINATED) {
            return false;
        }
        throw new HyperscanException(operation, rc);
    }
}
