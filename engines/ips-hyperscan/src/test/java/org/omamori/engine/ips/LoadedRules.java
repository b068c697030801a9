package org.omamori.engine.ips;

import java.nio.file.Path;
import java.util.List;

import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;

/**
 * Rules written to a file and loaded twice, for tests that look both at what the engine decides and
 * at the compiled set's parts (its header scans, its address index): an engine with none of them
 * skipped, and the same file compiled on its own.
 */
record LoadedRules(IpsEngine engine, CompiledRules compiled) implements AutoCloseable {

    static LoadedRules of(Path dir, String... rules) throws Exception {
        Path file = IpsEngineTest.rulesFile(dir, rules);
        IpsEngine engine = IpsEngineTest.loaded(file);
        return new LoadedRules(engine, RuleSets.compile(List.of(file), Variables.defaults(), Classtypes.standard(),
                IpsSettings.DEFAULTS, n -> { }));
    }

    @Override
    public void close() {
        compiled.close();
        engine.close();
    }
}
