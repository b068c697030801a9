package org.omamori.engine.ips;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.Set;

import org.bytedeco.javacpp.Loader;

import com.gliwka.hyperscan.jni.hyperscan;

/**
 * The raw baseline's scan loop through the foreign-function API, as the Hyperscan bundle's own
 * {@code FfmScanCalls} makes it on Java 22+: {@code hs_scan_stream} and {@code hs_close_stream} by
 * downcall handles (and {@code hs_scan} for the exchange baseline's head buffers), matches counted by an upcall stub, pointers passed as longs. So the baseline
 * uses the fastest callback the engine can use, and the ratio measures the wrapper, not the callback.
 */
final class RawFfmCalls implements RawHyperscan.Calls {

    private static final MethodHandle SCAN_STREAM;
    private static final MethodHandle CLOSE_STREAM;
    private static final MethodHandle SCAN;
    private static final long CALLBACK;
    private static long matches;
    private static Set<Integer> ids;

    static {
        try {
            String library = Loader.load(hyperscan.class);
            SymbolLookup hs = SymbolLookup.libraryLookup(Path.of(library), Arena.global());
            Linker linker = Linker.nativeLinker();
            SCAN_STREAM = linker.downcallHandle(hs.find("hs_scan_stream").orElseThrow(), FunctionDescriptor.of(JAVA_INT,
                    JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
            CLOSE_STREAM = linker.downcallHandle(hs.find("hs_close_stream").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
            SCAN = linker.downcallHandle(hs.find("hs_scan").orElseThrow(), FunctionDescriptor.of(JAVA_INT,
                    JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
            MethodHandle target = MethodHandles.lookup().findStatic(RawFfmCalls.class, "onMatch",
                    MethodType.methodType(int.class, int.class, long.class, long.class, int.class, long.class));
            CALLBACK = linker.upcallStub(target, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT,
                    JAVA_LONG), Arena.global()).address();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int onMatch(int id, long from, long to, int flags, long context) {
        matches++;
        if (ids != null) {
            ids.add(id);
        }
        return 0;
    }

    @Override
    public int scanStream(long stream, long data, int length, long scratch) throws Throwable {
        return (int) SCAN_STREAM.invokeExact(stream, data, length, 0, scratch, CALLBACK, 0L);
    }

    @Override
    public int closeStream(long stream, long scratch) throws Throwable {
        return (int) CLOSE_STREAM.invokeExact(stream, scratch, CALLBACK, 0L);
    }

    @Override
    public int scanBlock(long database, long data, int length, long scratch) throws Throwable {
        return (int) SCAN.invokeExact(database, data, length, 0, scratch, CALLBACK, 0L);
    }

    @Override
    public long matches() {
        return matches;
    }

    @Override
    public void collect(Set<Integer> into) {
        ids = into;
    }

    @Override
    public String toString() {
        return "foreign-function upcall";
    }
}
