package org.omamori.hyperscan;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import com.gliwka.hyperscan.jni.hs_compile_error_t;
import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_expr_ext_t;
import com.gliwka.hyperscan.jni.hs_stream_t;
import com.gliwka.hyperscan.jni.hyperscan;

/**
 * A compiled set of expressions. Immutable and shared by any number of threads; each thread scans
 * through its own {@link Scanner} (BLOCK) or {@link Stream}s (STREAM).
 *
 * <p>Reference counted: {@link #close()} refuses new scanners and streams at once, and frees the
 * native database and its scratch pool when the last scanner and stream taken from it are closed.
 * A database, scanner or stream that becomes unreachable without being closed is freed by a
 * cleaner eventually; that is a safety net for bugs, not a way to manage native memory.
 */
public final class Database implements AutoCloseable {

    private final ScanMode mode;
    private final int expressionCount;
    private final long sizeBytes;
    private final long streamStateBytes;
    final NativeDatabase resources;
    private final Cleaner.Cleanable cleanable;

    private Database(hs_database_t handle, ScanMode mode, int expressionCount) {
        this.mode = mode;
        this.expressionCount = expressionCount;
        try (SizeTPointer size = new SizeTPointer(1)) {
            check(hyperscan.hs_database_size(handle, size), "hs_database_size");
            this.sizeBytes = size.get();
            if (mode == ScanMode.STREAM) {
                check(hyperscan.hs_stream_size(handle, size), "hs_stream_size");
                this.streamStateBytes = size.get();
            } else {
                this.streamStateBytes = 0;
            }
        }
        this.resources = new NativeDatabase(handle);
        NativeDatabase r = resources; // the action must not capture this
        this.cleanable = NativeDatabase.CLEANER.register(this, r::close);
    }

    /**
     * Compiles expressions into one database ({@code hs_compile_ext_multi}). Compiling is slow
     * (milliseconds to seconds for large rule sets); do it once and share the database.
     *
     * @throws CompileException if an expression is invalid or unsupported, naming it
     */
    public static Database compile(List<Expression> expressions, ScanMode mode) throws CompileException {
        Objects.requireNonNull(mode, "mode");
        if (expressions.isEmpty()) {
            throw new IllegalArgumentException("a database needs at least one expression");
        }
        Hyperscan.Native.ensureLoaded();
        int n = expressions.size();
        List<Pointer> owned = new ArrayList<>(n + 8);
        try {
            PointerPointer<BytePointer> patterns = own(owned, new PointerPointer<BytePointer>(n));
            IntPointer flags = own(owned, new IntPointer(n));
            IntPointer ids = own(owned, new IntPointer(n));
            PointerPointer<hs_expr_ext_t> extensions = own(owned, new PointerPointer<hs_expr_ext_t>(n));
            extensions.zero();
            boolean leftmost = false;
            for (int i = 0; i < n; i++) {
                Expression e = expressions.get(i);
                patterns.put(i, own(owned, cString(e.pattern())));
                flags.put(i, e.nativeFlags());
                ids.put(i, e.id());
                if (e.bounded()) {
                    extensions.put(i, own(owned, extension(e)));
                }
                leftmost |= e.flags().contains(ExpressionFlag.SOM_LEFTMOST);
            }
            PointerPointer<hs_database_t> database = own(owned, new PointerPointer<hs_database_t>(1));
            PointerPointer<hs_compile_error_t> error = own(owned, new PointerPointer<hs_compile_error_t>(1));
            database.zero();
            error.zero();
            int rc = hyperscan.hs_compile_ext_multi(patterns, flags, ids, extensions, n, modeBits(mode, leftmost),
                    null, database, error);
            if (rc == hyperscan.HS_COMPILER_ERROR) {
                throw compileError(error.get(hs_compile_error_t.class, 0), expressions);
            }
            check(rc, "hs_compile_ext_multi");
            return owning(database.get(hs_database_t.class, 0), mode, n);
        } finally {
            for (Pointer p : owned) {
                p.close();
            }
        }
    }

    /** A database taking over {@code db}, which Hyperscan allocated: freed here if it cannot be wrapped. */
    private static Database owning(hs_database_t db, ScanMode mode, int expressionCount) {
        try {
            return new Database(db, mode, expressionCount);
        } catch (RuntimeException e) {
            hyperscan.hs_free_database(db);
            throw e;
        }
    }

    /**
     * The database as Hyperscan serializes it ({@code hs_serialize_database}): bytes that
     * {@link #deserialize} turns back into the same database on a machine with the same Hyperscan
     * version and CPU features, without compiling. See {@link DatabaseCache}.
     *
     * @throws IllegalStateException if this database is closed
     */
    public byte[] serialize() {
        resources.acquire();
        try (PointerPointer<BytePointer> bytes = new PointerPointer<>(1); SizeTPointer length = new SizeTPointer(1)) {
            bytes.zero();
            check(hyperscan.hs_serialize_database(resources.handle, bytes, length), "hs_serialize_database");
            BytePointer p = bytes.get(BytePointer.class, 0);
            try {
                long n = length.get();
                if (n <= 0 || n > Integer.MAX_VALUE - 64) {
                    throw new HyperscanException("hs_serialize_database gave " + n + " bytes", (Throwable) null);
                }
                byte[] out = new byte[(int) n];
                p.capacity(n).get(out);
                return out;
            } finally {
                Pointer.free(p); // allocated by Hyperscan's misc allocator, plain malloc
            }
        } finally {
            resources.release();
        }
    }

    /**
     * What Hyperscan says of serialized bytes without loading them ({@code
     * hs_serialized_database_info}), e.g. {@code "Version: 5.4.0 Features: AVX2 Mode: STREAM"};
     * empty when it does not take them for a database of this Hyperscan.
     */
    static Optional<String> serializedInfo(BytePointer bytes, long length) {
        try (PointerPointer<BytePointer> info = new PointerPointer<>(1)) {
            info.zero();
            if (hyperscan.hs_serialized_database_info(bytes, length, info) != hyperscan.HS_SUCCESS) {
                return Optional.empty();
            }
            BytePointer p = info.get(BytePointer.class, 0);
            if (p == null || p.isNull()) {
                return Optional.empty();
            }
            try {
                return Optional.of(p.getString());
            } finally {
                Pointer.free(p);
            }
        }
    }

    /**
     * A database from {@link #serialize}d bytes, checked before Hyperscan loads them: it must take
     * them for a database of its own version compiled for {@code mode}
     * ({@code hs_serialized_database_info}), and the loaded size ({@code
     * hs_serialized_database_size}) must stay within {@code maxBytes}; Hyperscan then checks its
     * header, platform and checksum, and a first scratch space is allocated for it. Hyperscan does
     * not verify the bytecode beyond that: only bytes this process (or one of its own user) wrote
     * belong here, which {@link DatabaseCache} sees to.
     *
     * @param expressionCount what {@link #expressionCount()} will say: the count the bytes were compiled from
     * @throws HyperscanException naming the check that refused the bytes
     */
    static Database deserialize(byte[] serialized, ScanMode mode, int expressionCount, long maxBytes) {
        Objects.requireNonNull(mode, "mode");
        String version = Hyperscan.Native.ensureLoaded();
        try (BytePointer bytes = new BytePointer(serialized.length); SizeTPointer size = new SizeTPointer(1);
                PointerPointer<hs_database_t> database = new PointerPointer<>(1)) {
            bytes.put(serialized, 0, serialized.length);
            String info = serializedInfo(bytes, serialized.length).orElseThrow(
                    () -> new HyperscanException("hs_serialized_database_info", hyperscan.HS_INVALID));
            String release = version.split(" ")[0];
            if (!info.startsWith("Version: " + release + " ") || !info.endsWith(" Mode: " + mode.name())) {
                throw new HyperscanException("hs_serialized_database_info ('" + info + "', not Hyperscan " + release + " " + mode + ")",
                        hyperscan.HS_DB_VERSION_ERROR);
            }
            check(hyperscan.hs_serialized_database_size(bytes, serialized.length, size), "hs_serialized_database_size");
            if (size.get() <= 0 || size.get() > maxBytes) {
                throw new HyperscanException("hs_serialized_database_size (" + size.get() + " bytes, more than " + maxBytes + ")",
                        hyperscan.HS_NOMEM);
            }
            database.zero();
            check(hyperscan.hs_deserialize_database(bytes, serialized.length, database), "hs_deserialize_database");
            return owning(database.get(hs_database_t.class, 0), mode, expressionCount);
        }
    }

    /**
     * Why one expression cannot compile, without compiling it ({@code hs_expression_ext_info}:
     * parsing and analysis only, well under a millisecond for typical rules). Empty if Hyperscan
     * accepts it. A few resource limits only show when a whole set compiles.
     */
    public static Optional<String> check(Expression expression, ScanMode mode) {
        Objects.requireNonNull(mode, "mode");
        Hyperscan.Native.ensureLoaded();
        try (BytePointer pattern = cString(expression.pattern());
                hs_expr_ext_t ext = expression.bounded() ? extension(expression) : null;
                PointerPointer<Pointer> info = new PointerPointer<>(1);
                PointerPointer<hs_compile_error_t> error = new PointerPointer<>(1)) {
            info.zero();
            error.zero();
            int rc = hyperscan.hs_expression_ext_info(pattern, expression.nativeFlags(), ext, info, error);
            if (rc == hyperscan.HS_COMPILER_ERROR) {
                hs_compile_error_t e = error.get(hs_compile_error_t.class, 0);
                String message = e.message().getString();
                hyperscan.hs_free_compile_error(e);
                return Optional.of(message);
            }
            check(rc, "hs_expression_ext_info");
            Pointer result = info.get(0);
            if (result != null && !result.isNull()) {
                Pointer.free(result); // allocated by Hyperscan's misc allocator, plain malloc
            }
            return Optional.empty();
        }
    }

    public ScanMode mode() {
        return mode;
    }

    /** The size of the compiled database in bytes ({@code hs_database_size}). */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The native state of one open stream in bytes ({@code hs_stream_size}); 0 for BLOCK databases. */
    public long streamStateBytes() {
        return streamStateBytes;
    }

    public int expressionCount() {
        return expressionCount;
    }

    /** Whether {@link #close()} was called; the native database may still live on for open scanners and streams. */
    public boolean isClosed() {
        return resources.isClosed();
    }

    /**
     * A scanner for one thread. Cheap: its scratch space comes from this database's pool and goes
     * back there on {@link Scanner#close()}.
     *
     * @throws IllegalStateException if this database is closed
     */
    public Scanner scanner() {
        resources.acquire();
        return new Scanner(this);
    }

    /**
     * Scans one block as {@link Scanner#scan} does, with a scratch space borrowed from the pool for
     * this call only: for a thread that scans a database now and then (a few header fields per
     * request), where keeping a {@link Scanner} would cost an object and a cleaner registration per
     * use. Holds the database open for the duration of the call.
     *
     * @throws IllegalStateException if this database is closed or is a STREAM one
     */
    public void scan(ByteBuffer data, MatchListener listener) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(listener, "listener");
        if (mode != ScanMode.BLOCK) {
            throw new IllegalStateException("this database was compiled for STREAM mode: scan through openStream()");
        }
        resources.acquire();
        try {
            Scratch s = resources.scratches.take();
            try {
                Scanner.scanBlock(MatchDispatch.CALLS, resources, s, data.isDirect() ? new DirectAddress() : null, data, listener);
            } finally {
                resources.scratches.give(s);
            }
        } finally {
            resources.release();
        }
    }

    /** Marks the database closed; the native memory goes once no scanner or stream uses it. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "Database[" + mode + ", " + expressionCount + " expressions, " + sizeBytes + " bytes"
                + (isClosed() ? ", closed" : "") + "]";
    }

    Stream openStream() {
        return openStream(MatchDispatch.CALLS);
    }

    /** A stream whose scans go through {@code calls}: {@link MatchDispatch#CALLS} but in tests. */
    Stream openStream(ScanCalls calls) {
        if (mode != ScanMode.STREAM) {
            throw new IllegalStateException("this database was compiled for " + mode
                    + " mode; compile it with ScanMode.STREAM to open streams");
        }
        resources.acquire();
        hs_stream_t stream = new hs_stream_t();
        int rc = hyperscan.hs_open_stream(resources.handle, 0, stream);
        if (rc != hyperscan.HS_SUCCESS) {
            resources.release();
            throw new HyperscanException("hs_open_stream", rc);
        }
        return new Stream(this, stream, calls);
    }

    private static int modeBits(ScanMode mode, boolean leftmost) {
        // Streaming start-of-match needs a horizon; LARGE keeps exact offsets for any flow length.
        return mode == ScanMode.STREAM && leftmost ? mode.bits | (int) hyperscan.HS_MODE_SOM_HORIZON_LARGE : mode.bits;
    }

    private static hs_expr_ext_t extension(Expression e) {
        hs_expr_ext_t ext = new hs_expr_ext_t();
        long flags = 0;
        if (e.minOffset() != 0) {
            flags |= hyperscan.HS_EXT_FLAG_MIN_OFFSET;
        }
        if (e.maxOffset() != 0) {
            flags |= hyperscan.HS_EXT_FLAG_MAX_OFFSET;
        }
        // new hs_expr_ext_t() is not zeroed: set every field.
        return ext.flags(flags).min_offset(e.minOffset()).max_offset(e.maxOffset()).min_length(0).edit_distance(0)
                .hamming_distance(0);
    }

    private static BytePointer cString(String s) {
        byte[] bytes = s.getBytes(UTF_8);
        BytePointer p = new BytePointer(bytes.length + 1L);
        p.put(bytes, 0, bytes.length);
        p.put(bytes.length, (byte) 0);
        return p;
    }

    private static CompileException compileError(hs_compile_error_t error, List<Expression> expressions) {
        String reason = error.message().getString();
        int index = error.expression();
        hyperscan.hs_free_compile_error(error);
        if (index < 0 || index >= expressions.size()) {
            return new CompileException("Hyperscan cannot compile the database: " + reason, reason, -1, -1);
        }
        Expression e = expressions.get(index);
        return new CompileException("expression #" + index + " (id " + e.id() + ", /" + e.pattern() + "/" + e.flags()
                + ") does not compile: " + reason, reason, index, e.id());
    }

    private static <P extends Pointer> P own(List<Pointer> owned, P p) {
        owned.add(p);
        return p;
    }

    private static void check(int rc, String operation) {
        if (rc != hyperscan.HS_SUCCESS) {
            throw new HyperscanException(operation, rc);
        }
    }
}
