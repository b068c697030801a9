package org.omamori.hyperscan;

import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_stream_t;
import com.gliwka.hyperscan.jni.hyperscan;

/**
 * The four Hyperscan calls that report matches, each with {@link MatchDispatch}'s callback; the
 * caller has set this thread's frame. Two ways to make them: JavaCPP's JNI bindings and callback
 * thunk ({@link JavaCpp}, always there), and the Java 22 class {@code FfmScanCalls}, which calls
 * the same library through the foreign-function API with an upcall stub as the callback (about
 * a third of the cost per match), loaded by {@link Loaded} only where it can run. Databases, scratch
 * spaces and streams are JavaCPP's either way: both take their native addresses.
 */
interface ScanCalls {

    /** {@code hs_scan} of {@code length} bytes at native address {@code data}. */
    int scan(hs_database_t database, Scratch scratch, long data, int length);

    /** {@code hs_scan_stream} of {@code length} bytes at native address {@code data}. */
    int scanStream(hs_stream_t stream, Scratch scratch, long data, int length);

    /** {@code hs_close_stream}, reporting end-of-data matches. */
    int closeStream(hs_stream_t stream, Scratch scratch);

    /** {@code hs_reset_stream} (flags 0), reporting end-of-data matches. */
    int resetStream(hs_stream_t stream, Scratch scratch);

    /** Why this way cannot run here, or null when it can. */
    String unavailable();

    /** The system property that turns the foreign-function calls off ({@code false}). */
    String SWITCH = "omamori.hyperscan.ffm";

    /** The calls through JavaCPP: on Java 21, without native access, on other systems, or switched off. */
    final class JavaCpp implements ScanCalls {
        static final JavaCpp INSTANCE = new JavaCpp();

        @Override
        public int scan(hs_database_t database, Scratch scratch, long data, int length) {
            return hyperscan.hs_scan(database, scratch.data.aim(data, length), length, 0, scratch.handle,
                    MatchDispatch.HANDLER, null);
        }

        @Override
        public int scanStream(hs_stream_t stream, Scratch scratch, long data, int length) {
            return hyperscan.hs_scan_stream(stream, scratch.data.aim(data, length), length, 0, scratch.handle,
                    MatchDispatch.HANDLER, null);
        }

        @Override
        public int closeStream(hs_stream_t stream, Scratch scratch) {
            return hyperscan.hs_close_stream(stream, scratch.handle, MatchDispatch.HANDLER, null);
        }

        @Override
        public int resetStream(hs_stream_t stream, Scratch scratch) {
            return hyperscan.hs_reset_stream(stream, 0, scratch.handle, MatchDispatch.HANDLER, null);
        }

        @Override
        public String unavailable() {
            return null;
        }

        @Override
        public String toString() {
            return "JavaCPP callback";
        }
    }

    /** The calls in use: the foreign-function ones where they run, else JavaCPP's; {@link #WHY_NOT_FFM} says why. */
    final class Loaded {
        static final ScanCalls INSTANCE;
        /** Why the foreign-function calls are not in use, or null when they are. */
        static final String WHY_NOT_FFM;

        static {
            ScanCalls found = null;
            String why;
            if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
                why = "switched off (-D" + SWITCH + "=false)";
            } else {
                why = null;
                try {
                    found = (ScanCalls) Class.forName("org.omamori.hyperscan.FfmScanCalls", true,
                            ScanCalls.class.getClassLoader()).getDeclaredConstructor().newInstance();
                    why = found.unavailable();
                } catch (ClassNotFoundException e) {
                    why = "built by a JDK older than 22";
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    why = "Java " + Runtime.version().feature() + ": " + e; // e.g. UnsupportedClassVersionError on 21
                }
            }
            INSTANCE = why == null ? found : JavaCpp.INSTANCE;
            WHY_NOT_FFM = why;
        }

        private Loaded() {
        }
    }
}
