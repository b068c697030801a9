package org.omamori.engine.ips;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.Expression;
import org.omamori.hyperscan.ScanMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time to make a rule set (single shot per iteration): the whole path the engine takes (read,
 * parse, compile the Hyperscan databases and the confirmation chains), and Hyperscan's own
 * compile of the response-stream expressions alone. The size of the databases is printed after
 * each iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class IpsCompileBenchmark {

    @Param({"1000", "10000"})
    public int rules;

    private Path folder;
    private List<Expression> expressions;
    private AutoCloseable made;
    private String note;

    @Setup(Level.Trial)
    public void write() throws Exception {
        folder = IpsBenchData.write(IpsBenchData.rules(rules));
        CompiledRules.keepExpressions = true; // the raw baseline compiles what the engine compiled
        try (CompiledRules c = parseAndCompile()) {
            expressions = c.expressions.get(Side.RESPONSE);
            if (c.report.loaded() != rules || expressions.size() != rules + c.sightingCount) {
                throw new IllegalStateException("expected " + rules + " rules in force, got " + c.report);
            }
        }
    }

    @TearDown(Level.Iteration)
    public void report() throws Exception {
        if (made != null) {
            System.out.println("  [" + rules + " rules] " + note);
            made.close();
            made = null;
        }
    }

    @TearDown(Level.Trial)
    public void delete() {
        IpsBenchData.delete(folder);
    }

    /** Files to the compiled set the engine swaps in: what a (re)load costs. */
    @Benchmark
    public CompiledRules ruleSetLoad() throws Exception {
        CompiledRules c = parseAndCompile();
        made = c;
        note = c.report + "; response stream database " + c.responseStream.sizeBytes() / 1024 + " KiB";
        return c;
    }

    /** Hyperscan's compile of the response-stream expressions alone (hs_compile_ext_multi). */
    @Benchmark
    public Database hyperscanCompile() throws Exception {
        Database d = Database.compile(expressions, ScanMode.STREAM);
        made = d;
        note = "database " + d.sizeBytes() / 1024 + " KiB, stream state " + d.streamStateBytes() + " B";
        return d;
    }

    private CompiledRules parseAndCompile() throws Exception {
        return RuleSets.compile(List.of(folder), Variables.defaults(), Classtypes.standard(), IpsSettings.DEFAULTS, n -> { });
    }
}
