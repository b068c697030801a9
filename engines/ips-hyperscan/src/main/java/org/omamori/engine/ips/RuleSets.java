package org.omamori.engine.ips;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.RuleFiles;
import org.omamori.engine.ips.rules.RuleParser;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.hyperscan.CompileException;

/**
 * Rule files to a compiled rule set: read and parse (with progress), then compile for
 * Hyperscan. What the operator's command line and the engine both use.
 */
public final class RuleSets {

    private RuleSets() {
    }

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
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p.toString(), null, "no such rule file or folder");
            }
        }
        RuleFiles.Result read = RuleFiles.read(paths, new RuleParser(variables), progress);
        return CompiledRules.compile(read.rules(), read.skippedByKeyword(), read.errors(), classtypes, settings);
    }

    /** The source the engine reloads from: these paths, variables, classtypes. */
    public static RuleSetSource source(List<Path> paths, Variables variables, Classtypes classtypes, IntConsumer progress) {
        List<Path> fixed = List.copyOf(paths);
        return new RuleSetSource() {
            @Override
            public CompiledRules compile(IpsSettings settings) throws Exception {
                return RuleSets.compile(fixed, variables, classtypes, settings, progress);
            }

            @Override
            public String toString() {
                return fixed.toString();
            }
        };
    }
}
