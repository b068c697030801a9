package org.omamori.engine.av.clamd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Hands clamd a body as an open file ({@code FILDES}) instead of streaming it ({@code INSTREAM}):
 * the body is written to a sealed memory file here, and clamd reads (maps) it itself, as it does a
 * path given by {@code clamdscan}. No socket carries the bytes and clamd writes no temporary file.
 * Descriptors travel only over a local socket ({@code SCM_RIGHTS}), and Java's channels cannot
 * send them: the Java 22 class {@code NativeFildes} does it through the foreign-function API,
 * loaded by {@link Loaded} only where it can run (Linux, Java 22+, native access allowed).
 */
interface DescriptorPassing {

    /** Why descriptors cannot be passed here, or null when they can. */
    String unavailable();

    /** A new, empty memory file (one per scan). */
    Held hold() throws IOException;

    /** One body held in a memory file. Used by one thread at a time; {@link #abort} may come from any. */
    interface Held extends AutoCloseable {

        /** Appends the buffer's remaining bytes; its position is left where it was. */
        void write(ByteBuffer data) throws IOException;

        /** Reads up to {@code into.remaining()} bytes at {@code offset}; for the fallback to INSTREAM. */
        int read(long offset, ByteBuffer into) throws IOException;

        /**
         * Seals the file (clamd sees fixed bytes), sends it on a new connection to {@code socket}
         * with {@code FILDES} and returns clamd's NUL-terminated reply (at most {@code maxReply}
         * bytes, without the NUL). Blocks the calling thread, which should be a platform thread,
         * for at most {@code timeoutNanos} in each of connect, send and the wait for the reply.
         *
         * @throws Failure with what failed and whether clamd may simply not take FILDES
         */
        String scan(Path socket, long timeoutNanos, int maxReply) throws Failure;

        /** Ends a {@link #scan} in progress at once (it then fails); from any thread. */
        void abort();

        /** Frees the file; the descriptor is closed once no scan uses it. Idempotent. */
        @Override
        void close();
    }

    /** A failed FILDES exchange: what happened, and the step it happened at. */
    final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        enum Step { CONNECT, SEND, TIMEOUT, CLOSED_WITHOUT_REPLY, REPLY_TOO_LONG, ABORTED, SYSTEM }

        final Step step;

        Failure(Step step, String message) {
            super(message, null, false, false);
            this.step = step;
        }
    }

    /** The Java 22 implementation if it runs here; {@link #UNAVAILABLE} says why not. */
    final class Loaded {
        static final DescriptorPassing INSTANCE;
        static final String UNAVAILABLE;

        static {
            DescriptorPassing found = null;
            String why;
            try {
                found = (DescriptorPassing) Class.forName("org.omamori.engine.av.clamd.NativeFildes", true,
                        DescriptorPassing.class.getClassLoader()).getDeclaredConstructor().newInstance();
                why = found.unavailable();
            } catch (ClassNotFoundException e) {
                why = "built by a JDK older than 22";
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                why = "Java " + Runtime.version().feature() + ": " + e; // e.g. UnsupportedClassVersionError on 21
            }
            INSTANCE = why == null ? found : null;
            UNAVAILABLE = why;
        }

        private Loaded() {
        }
    }
}
