package org.omamori.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.omamori.engine.urlfilter.CategoryLists;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time to load 1,000,000 domains (single shot per iteration) and the heap the result keeps,
 * printed after each iteration as used heap after GC with the result held minus before. The
 * baseline reads the same files into a HashSet of Strings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoadBenchmark {

    private Path root;
    private Object kept;
    private long heapBefore;

    @Setup(Level.Trial)
    public void write() {
        root = SyntheticLists.write(SyntheticLists.domains(1_000_000));
    }

    @Setup(Level.Iteration)
    public void measureBefore() {
        kept = null;
        heapBefore = SyntheticLists.usedHeapAfterGc();
    }

    @TearDown(Level.Iteration)
    public void measureAfter() {
        long retained = SyntheticLists.usedHeapAfterGc() - heapBefore;
        System.out.printf("%n    retained heap of %s: %.1f MB%s%n", kept.getClass().getSimpleName(), retained / 1e6,
                kept instanceof CategoryLists l ? " (tables " + l.footprint() / 1_000_000 + " MB, " + l.domainCount() + " domains)" : "");
        kept = null;
    }

    @TearDown(Level.Trial)
    public void delete() {
        SyntheticLists.delete(root);
    }

    @Benchmark
    public Object urlFilterLoad() throws Exception {
        kept = CategoryLists.load(root);
        return kept;
    }

    @Benchmark
    public Object hashSetLoad() throws Exception {
        Set<String> set = new HashSet<>();
        for (String c : SyntheticLists.CATEGORIES) {
            set.addAll(Files.readAllLines(root.resolve(c).resolve("domains"), StandardCharsets.US_ASCII));
        }
        kept = set;
        return kept;
    }
}
