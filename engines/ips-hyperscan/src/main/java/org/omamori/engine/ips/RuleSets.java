package org.omamori.engine.ips;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.RuleFiles;
import org.omamori.engine.ips.rules.RuleParser;
import org.omamori.engine.ips.rules.ThresholdConfig;
import org.omamori.engine.ips.rules.ThresholdConfigParser;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.hyperscan.CompileException;
import org.omamori.hyperscan.DatabaseCache;

/**
 * Rule files to a compiled rule set: read and parse (with progress), then compile for
 * Hyperscan. What the operator's command line and the engine both use.
 */
public final class RuleSets {

    private RuleSets() {
    }

    /** Suricata's name for the global threshold file, read next to the rules on the appliance. */
    public static final String THRESHOLD_FILE = "threshold.config";

    /**
     * Reads and compiles. A path that does not exist fails the whole set (so a typo in the
     * configuration never replaces the rules in force with none); a rule that does not parse is
     * reported in the result and the others load.
     *
     * @param paths    rule files, or folders standing for their {@code *.rules} files
     * @param progress told the number of rules read so far, every {@value RuleFiles#PROGRESS_EVERY}
     */
    public static CompiledRules compile(List<Path> paths, Variables variables, Classtypes classtypes, IpsSettings settings,
                                        IntConsumer progress) throws NoSuchFileException, CompileException {
        return compile(paths, variables, classtypes, settings, progress, ThresholdConfig.NONE, null);
    }

    /**
     * {@link #compile(List, Variables, Classtypes, IpsSettings, IntConsumer)} with Suricata's global
     * threshold files applied, in order (read with the same variables). Unlike a rule, a bad line in
     * a threshold file fails the whole set: its message names the file and line.
     */
    public static CompiledRules compile(List<Path> paths, List<Path> thresholdFiles, Variables variables, Classtypes classtypes,
                                        IpsSettings settings, IntConsumer progress)
            throws IOException, CompileException, ThresholdConfigParser.Invalid {
        return compile(paths, variables, classtypes, settings, progress, readThresholds(thresholdFiles, variables), null);
    }

    /**
     * {@link #compile(List, List, Variables, Classtypes, IpsSettings, IntConsumer)} with the
     * Hyperscan databases kept in {@code cache} across restarts (null: compiled every time). Rules
     * are read, parsed and checked as without it: a broken rule fails or is skipped the same way.
     */
    public static CompiledRules compile(List<Path> paths, List<Path> thresholdFiles, Variables variables, Classtypes classtypes,
                                        IpsSettings settings, IntConsumer progress, DatabaseCache cache)
            throws IOException, CompileException, ThresholdConfigParser.Invalid {
        return compile(paths, variables, classtypes, settings, progress, readThresholds(thresholdFiles, variables), cache);
    }

    /** Reads threshold files in order; one that does not exist fails. */
    public static ThresholdConfig readThresholds(List<Path> files, Variables variables)
            throws IOException, ThresholdConfigParser.Invalid {
        ThresholdConfig all = ThresholdConfig.NONE;
        ThresholdConfigParser parser = new ThresholdConfigParser(variables);
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null, "no such threshold file");
            }
            all = all.and(parser.read(f));
        }
        return all;
    }

    /**
     * The {@value #THRESHOLD_FILE} files the appliance reads with these rule paths: in a folder of
     * rules, or beside a rule file; each once, in the order of the paths; only those that exist.
     */
    public static List<Path> thresholdFilesNextTo(List<Path> paths) {
        Set<Path> found = new LinkedHashSet<>();
        for (Path p : paths) {
            Path folder = Files.isDirectory(p) ? p.toAbsolutePath() : p.toAbsolutePath().getParent();
            Path candidate = folder == null ? null : folder.resolve(THRESHOLD_FILE);
            if (candidate != null && Files.isRegularFile(candidate)) {
                found.add(candidate.normalize());
            }
        }
        return List.copyOf(found);
    }

    private static CompiledRules compile(List<Path> paths, Variables variables, Classtypes classtypes, IpsSettings settings,
                                         IntConsumer progress, ThresholdConfig thresholds, DatabaseCache cache)
            throws NoSuchFileException, CompileException {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p.toString(), null, "no such rule file or folder");
            }
        }
        RuleFiles.Result read = RuleFiles.read(paths, new RuleParser(variables), progress);
        return CompiledRules.compile(read.rules(), read.skippedByKeyword(), read.errors(), classtypes, settings, thresholds, cache);
    }

    /** The source the engine reloads from: these paths, variables, classtypes. */
    public static RuleSetSource source(List<Path> paths, Variables variables, Classtypes classtypes, IntConsumer progress) {
        return source(paths, List.of(), variables, classtypes, progress);
    }

    /** The source the engine reloads from, with threshold files read again at each load. */
    public static RuleSetSource source(List<Path> paths, List<Path> thresholdFiles, Variables variables, Classtypes classtypes,
                                       IntConsumer progress) {
        List<Path> fixed = List.copyOf(paths);
        List<Path> thresholds = List.copyOf(thresholdFiles);
        return new RuleSetSource() {
            @Override
            public CompiledRules compile(IpsSettings settings) throws Exception {
                return RuleSets.compile(fixed, thresholds, variables, classtypes, settings, progress);
            }

            @Override
            public String toString() {
                return thresholds.isEmpty() ? fixed.toString() : fixed + " with " + thresholds;
            }
        };
    }
}
