package org.omamori.hyperscan;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_stream_t;

/**
 * {@link ScanCalls} through the foreign-function API (final in Java 22): the same library JavaCPP
 * loaded, its scan functions called by downcall handles, matches reported by one upcall stub into
 * {@link MatchDispatch#dispatch}. JavaCPP's JNI thunk cost about 80 ns per match (a quarter of
 * the IPS engine's time on 1 KiB pages); the upcall costs about a third of that (HyperscanCallbackCost).
 *
 * <p>Every pointer is passed as a 64-bit integer (JavaCPP's {@code address()}): on the LP64
 * systems this class accepts (Linux on x86-64 and AArch64) a pointer and a {@code long} travel in
 * the same register, and no {@link MemorySegment} is made per call or per match. The context
 * pointer stays NULL, as on the JavaCPP path.
 */
final class FfmScanCalls implements ScanCalls {

    private static final MethodHandle SCAN;
    private static final MethodHandle SCAN_STREAM;
    private static final MethodHandle CLOSE_STREAM;
    private static final MethodHandle RESET_STREAM;
    /** The upcall stub's address: lives as long as this class (global arena), like JavaCPP's thunk. */
    private static final long CALLBACK;
    private static final String UNAVAILABLE;

    static {
        MethodHandle scan = null;
        MethodHandle scanStream = null;
        MethodHandle closeStream = null;
        MethodHandle resetStream = null;
        long callback = 0;
        String why = null;
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            why = "not Linux (" + os + ")";
        } else if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            why = "not an LP64 processor this class passes pointers as longs on (" + arch + ")";
        } else {
            try {
                Hyperscan.load();
                SymbolLookup hs = lookup();
                Linker linker = Linker.nativeLinker();
                // int hs_scan(db, data, unsigned length, unsigned flags, scratch, onEvent, context)
                FunctionDescriptor scanning = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT,
                        JAVA_LONG, JAVA_LONG, JAVA_LONG);
                scan = linker.downcallHandle(symbol(hs, "hs_scan"), scanning);
                scanStream = linker.downcallHandle(symbol(hs, "hs_scan_stream"), scanning);
                // int hs_close_stream(stream, scratch, onEvent, context)
                closeStream = linker.downcallHandle(symbol(hs, "hs_close_stream"),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
                // int hs_reset_stream(stream, unsigned flags, scratch, onEvent, context)
                resetStream = linker.downcallHandle(symbol(hs, "hs_reset_stream"),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
                // int match_event_handler(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *context)
                MethodHandle target = MethodHandles.lookup().findStatic(FfmScanCalls.class, "onMatch",
                        MethodType.methodType(int.class, int.class, long.class, long.class, int.class, long.class));
                callback = linker.upcallStub(target,
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG),
                        Arena.global()).address();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                why = e.toString(); // e.g. IllegalCallerException: native access denied
            }
        }
        SCAN = scan;
        SCAN_STREAM = scanStream;
        CLOSE_STREAM = closeStream;
        RESET_STREAM = resetStream;
        CALLBACK = callback;
        UNAVAILABLE = why;
    }

    /**
     * The library JavaCPP loaded: opening the same file again gives the same handle (the loader
     * counts references), so the symbols are those JavaCPP's bindings call. If JavaCPP did not say
     * which file, the libraries this bundle's class loader loaded (JavaCPP's {@code System.load}).
     */
    private static SymbolLookup lookup() {
        String library = Hyperscan.Native.LIBRARY;
        if (library != null && Files.isRegularFile(Path.of(library))) {
            return SymbolLookup.libraryLookup(Path.of(library), Arena.global());
        }
        return SymbolLookup.loaderLookup();
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in " + Hyperscan.Native.LIBRARY));
    }

    /** The upcall's target; {@link MatchDispatch#dispatch} catches the listener's throws, this the rest. */
    private static int onMatch(int id, long from, long to, int flags, long context) {
        try {
            return MatchDispatch.dispatch(id, from, to);
        } catch (Throwable e) {
            return 1; // an exception out of an upcall would end the JVM: stop the scan instead
        }
    }

    @Override
    public int scan(hs_database_t database, Scratch scratch, long data, int length) {
        try {
            return (int) SCAN.invokeExact(database.address(), data, length, 0, scratch.handle.address(), CALLBACK, 0L);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int scanStream(hs_stream_t stream, Scratch scratch, long data, int length) {
        try {
            return (int) SCAN_STREAM.invokeExact(stream.address(), data, length, 0, scratch.handle.address(), CALLBACK, 0L);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int closeStream(hs_stream_t stream, Scratch scratch) {
        try {
            return (int) CLOSE_STREAM.invokeExact(stream.address(), scratch.handle.address(), CALLBACK, 0L);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @Override
    public int resetStream(hs_stream_t stream, Scratch scratch) {
        try {
            return (int) RESET_STREAM.invokeExact(stream.address(), 0, scratch.handle.address(), CALLBACK, 0L);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e); // a downcall handle declares no checked exception
    }

    @Override
    public String unavailable() {
        return UNAVAILABLE;
    }

    @Override
    public String toString() {
        return "foreign-function upcall";
    }
}
