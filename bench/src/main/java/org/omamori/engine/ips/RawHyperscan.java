package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.omamori.hyperscan.Expression;
import org.omamori.hyperscan.ExpressionFlag;
import org.omamori.hyperscan.Hyperscan;

import com.gliwka.hyperscan.jni.hs_compile_error_t;
import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_expr_ext_t;
import com.gliwka.hyperscan.jni.hs_scratch_t;
import com.gliwka.hyperscan.jni.hs_stream_t;
import com.gliwka.hyperscan.jni.hyperscan;
import com.gliwka.hyperscan.jni.match_event_handler;

/**
 * The baseline: the same expressions compiled and scanned through the raw javacpp bindings, with
 * nothing of Omamori's Hyperscan wrapper in between. One stream-mode database, one pre-allocated
 * scratch, one reused callback that counts matches, the payload scanned in place from a direct
 * buffer in the same pieces as the engine scans it ({@code hs_scan_stream} per piece). One thread
 * only.
 *
 * <p>The scan calls and the callback go the fastest way this JVM has, as the engine's do: on Java
 * 22+ through the foreign-function API ({@link Calls}, the Java 22 class {@code RawFfmCalls}), else
 * JavaCPP's callback. {@code -Dips.rawCallback=javacpp} keeps JavaCPP's (the baseline before the
 * Hyperscan bundle used the foreign-function API), to report the ratio against that too.
 */
final class RawHyperscan implements AutoCloseable {

    /**
     * The one callback. JavaCPP makes a native thunk per callback object and keeps only a few, so
     * there is exactly one per JVM, shared by every trial of a fork.
     */
    private static final class Counter extends match_event_handler {
        long matches;
        Set<Integer> ids; // non-null only during the self-check

        @Override
        public int call(int id, long from, long to, int flags, Pointer context) {
            matches++;
            if (ids != null) {
                ids.add(id);
            }
            return 0;
        }
    }

    private static final Counter COUNTER = new Counter();

    /** The scan loop's calls with pointers as addresses, and their match counter: the foreign-function way. */
    interface Calls {
        int scanStream(long stream, long data, int length, long scratch) throws Throwable;

        int closeStream(long stream, long scratch) throws Throwable;

        int scanBlock(long database, long data, int length, long scratch) throws Throwable;

        long matches();

        void collect(Set<Integer> ids);
    }

    /** The foreign-function calls, or null for JavaCPP's. */
    private static final Calls FFM = loadFfm();

    private static Calls loadFfm() {
        if ("javacpp".equals(System.getProperty("ips.rawCallback"))) {
            return null;
        }
        try {
            return (Calls) Class.forName("org.omamori.engine.ips.RawFfmCalls").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // Java 21, or native access denied
        }
    }

    /** Which callback the raw loop uses. */
    static String callback() {
        return FFM != null ? FFM.toString() : "JavaCPP callback";
    }

    private final hs_database_t database;
    private final hs_scratch_t scratch;
    private final hs_stream_t stream = new hs_stream_t(); // re-aimed by each hs_open_stream
    private final long databaseBytes;
    private final int piece;

    /** {@code piece}: bytes per {@code hs_scan_stream} call, the engine's own piece size. */
    RawHyperscan(List<Expression> expressions, int piece) {
        this.piece = piece;
        database = compile(expressions, hyperscan.HS_MODE_STREAM);
        scratch = new hs_scratch_t();
        check(hyperscan.hs_alloc_scratch(database, scratch), "hs_alloc_scratch");
        databaseBytes = sizeOf(database);
    }

    /** The expressions compiled by {@code hs_compile_ext_multi} in {@code mode} (stream or block), with the engine's ids and flags. */
    static hs_database_t compile(List<Expression> expressions, int mode) {
        Hyperscan.load();
        int n = expressions.size();
        List<Pointer> owned = new ArrayList<>();
        try {
            PointerPointer<BytePointer> patterns = own(owned, new PointerPointer<BytePointer>(n));
            IntPointer flags = own(owned, new IntPointer(n));
            IntPointer ids = own(owned, new IntPointer(n));
            PointerPointer<hs_expr_ext_t> extensions = own(owned, new PointerPointer<hs_expr_ext_t>(n));
            extensions.zero();
            for (int i = 0; i < n; i++) {
                Expression e = expressions.get(i);
                byte[] pattern = e.pattern().getBytes(StandardCharsets.UTF_8);
                BytePointer p = own(owned, new BytePointer(pattern.length + 1L));
                p.put(pattern, 0, pattern.length).put(pattern.length, (byte) 0);
                patterns.put(i, p);
                flags.put(i, nativeFlags(e.flags()));
                ids.put(i, e.id());
                if (e.minOffset() != 0 || e.maxOffset() != 0) {
                    throw new IllegalArgumentException("offset bounds are not expected in the benchmark rules: " + e);
                }
            }
            PointerPointer<hs_database_t> db = own(owned, new PointerPointer<hs_database_t>(1));
            PointerPointer<hs_compile_error_t> error = own(owned, new PointerPointer<hs_compile_error_t>(1));
            db.zero();
            error.zero();
            int rc = hyperscan.hs_compile_ext_multi(patterns, flags, ids, extensions, n, mode, null, db, error);
            if (rc != hyperscan.HS_SUCCESS) {
                String reason = rc == hyperscan.HS_COMPILER_ERROR ? error.get(hs_compile_error_t.class, 0).message().getString() : "";
                throw new IllegalStateException("hs_compile_ext_multi failed (" + rc + "): " + reason);
            }
            return db.get(hs_database_t.class, 0);
        } finally {
            owned.forEach(Pointer::close);
        }
    }

    /** The size {@code hs_database_size} gives. */
    static long sizeOf(hs_database_t database) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            check(hyperscan.hs_database_size(database, size), "hs_database_size");
            return size.get();
        }
    }

    /**
     * One block scan ({@code hs_scan}) of {@code length} bytes at {@code data} against a block database with a
     * scratch allocated for it, through the same counting callback as the stream scans; returns the matches.
     */
    static long scanBlock(hs_database_t database, BytePointer data, int length, hs_scratch_t scratch) {
        if (FFM != null) {
            long before = FFM.matches();
            try {
                check(FFM.scanBlock(database.address(), data.address(), length, scratch.address()), "hs_scan");
            } catch (Throwable e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            return FFM.matches() - before;
        }
        long before = COUNTER.matches;
        check(hyperscan.hs_scan(database, data, length, 0, scratch, COUNTER, null), "hs_scan");
        return COUNTER.matches - before;
    }

    /** The distinct ids a block scan reports, for the self-check. */
    static Set<Integer> matchingIdsBlock(hs_database_t database, BytePointer data, int length, hs_scratch_t scratch) {
        Set<Integer> ids = new TreeSet<>();
        COUNTER.ids = ids;
        if (FFM != null) {
            FFM.collect(ids);
        }
        try {
            scanBlock(database, data, length, scratch);
        } finally {
            COUNTER.ids = null;
            if (FFM != null) {
                FFM.collect(null);
            }
        }
        return ids;
    }

    long databaseBytes() {
        return databaseBytes;
    }

    /** A pointer to the bytes of a direct buffer from its position, made once per payload. */
    static BytePointer pointer(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("the raw baseline scans direct buffers in place");
        }
        return new BytePointer(direct);
    }

    /** One payload as one stream: open, scan piece by piece, close (reporting end-of-data matches); returns the matches. */
    long scan(BytePointer data, int length) {
        if (FFM != null) {
            return scanFfm(data.address(), length);
        }
        long before = COUNTER.matches;
        check(hyperscan.hs_open_stream(database, 0, stream), "hs_open_stream");
        for (int at = 0; at < length; at += piece) {
            data.position(at);
            check(hyperscan.hs_scan_stream(stream, data, Math.min(piece, length - at), 0, scratch, COUNTER, null),
                    "hs_scan_stream");
        }
        data.position(0);
        check(hyperscan.hs_close_stream(stream, scratch, COUNTER, null), "hs_close_stream");
        return COUNTER.matches - before;
    }

    private long scanFfm(long data, int length) {
        long before = FFM.matches();
        check(hyperscan.hs_open_stream(database, 0, stream), "hs_open_stream");
        try {
            long s = stream.address();
            long sc = scratch.address();
            for (int at = 0; at < length; at += piece) {
                check(FFM.scanStream(s, data + at, Math.min(piece, length - at), sc), "hs_scan_stream");
            }
            check(FFM.closeStream(s, sc), "hs_close_stream");
        } catch (Throwable e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return FFM.matches() - before;
    }

    /** The distinct ids that match in one payload, for the self-check. */
    Set<Integer> matchingIds(BytePointer data, int length) {
        Set<Integer> ids = new TreeSet<>();
        COUNTER.ids = ids;
        if (FFM != null) {
            FFM.collect(ids);
        }
        try {
            scan(data, length);
        } finally {
            COUNTER.ids = null;
            if (FFM != null) {
                FFM.collect(null);
            }
        }
        return ids;
    }

    @Override
    public void close() {
        hyperscan.hs_free_scratch(scratch);
        hyperscan.hs_free_database(database);
    }

    static int nativeFlags(Set<ExpressionFlag> flags) {
        int bits = 0;
        for (ExpressionFlag f : flags) {
            bits |= switch (f) {
                case CASELESS -> hyperscan.HS_FLAG_CASELESS;
                case DOTALL -> hyperscan.HS_FLAG_DOTALL;
                case MULTILINE -> hyperscan.HS_FLAG_MULTILINE;
                case SINGLEMATCH -> hyperscan.HS_FLAG_SINGLEMATCH;
                case ALLOWEMPTY -> hyperscan.HS_FLAG_ALLOWEMPTY;
                case UTF8 -> hyperscan.HS_FLAG_UTF8;
                case UCP -> hyperscan.HS_FLAG_UCP;
                case PREFILTER -> hyperscan.HS_FLAG_PREFILTER;
                case SOM_LEFTMOST -> throw new IllegalArgumentException("SOM_LEFTMOST needs a stream horizon mode");
            };
        }
        return bits;
    }

    private static <P extends Pointer> P own(List<Pointer> owned, P p) {
        owned.add(p);
        return p;
    }

    static void check(int rc, String operation) {
        if (rc != hyperscan.HS_SUCCESS) {
            throw new IllegalStateException(operation + " failed: " + rc);
        }
    }
}
