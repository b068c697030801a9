package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Inspection;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.hyperscan.DatabaseCache;

/** The rules' Hyperscan databases kept across restarts: the same rule set, found the same way, reported the same way. */
class DatabaseCacheRulesTest {

    static RuleSetSource cached(DatabaseCache cache, Path... paths) {
        return settings -> RuleSets.compile(List.of(paths), List.of(), Variables.defaults(), Classtypes.standard(), settings,
                n -> { }, cache);
    }

    static Action sqlInjection(IpsEngine engine) throws Exception {
        try (Inspection i = engine.inspect(IpsEngineTest.inbound("GET",
                "http://shop.example.jp/item.php?id=1%20UNION%20SELECT%20password%20FROM%20users").build())) {
            return i.verdict().action();
        }
    }

    @Test
    void aRestartLoadsTheProjectRulesDatabasesAndFindsTheSame(@TempDir Path state) throws Exception {
        Path folder = state.resolve("hyperscan");
        DatabaseCache first = new DatabaseCache(folder);
        IpsEngine before = new IpsEngine("1.0.0", IpsSettings.DEFAULTS);
        RuleSetReport compiledReport;
        Action found;
        try {
            assertThat(before.loadNow(cached(first, IpsEngineTest.OMAMORI_RULES), IpsSettings.DEFAULTS)).isTrue();
            compiledReport = before.report();
            found = sqlInjection(before);
        } finally {
            before.close();
        }
        assertThat(first.compiled()).isPositive();
        assertThat(first.loaded()).isZero();
        assertThat(found).isEqualTo(Action.BLOCK);

        DatabaseCache restart = new DatabaseCache(folder);
        IpsEngine after = new IpsEngine("1.0.0", IpsSettings.DEFAULTS);
        try {
            assertThat(after.loadNow(cached(restart, IpsEngineTest.OMAMORI_RULES), IpsSettings.DEFAULTS)).isTrue();
            assertThat(restart.loaded()).isEqualTo(first.compiled());
            assertThat(restart.compiled()).isZero();
            assertThat(after.report().loaded()).isEqualTo(compiledReport.loaded());
            assertThat(after.report().patterns()).isEqualTo(compiledReport.patterns());
            assertThat(sqlInjection(after)).isEqualTo(found);
        } finally {
            after.close();
        }
    }

    @Test
    void aBrokenRuleIsStillReportedWithFileAndLineWhenTheOthersComeFromTheCache(@TempDir Path tmp) throws Exception {
        Path mixed = tmp.resolve("mixed.rules");
        Files.writeString(mixed, String.join("\n",
                "alert http any any -> any any (msg:\"ok\"; flow:to_server; content:\"fine-payload\"; sid:10;)",
                "alert http any any -> any any (msg:\"broken\"; content:\"|zz|\"; sid:11;)", ""));
        DatabaseCache cache = new DatabaseCache(tmp.resolve("state/hyperscan"));
        for (int start = 0; start < 2; start++) {
            try (CompiledRules set = cached(cache, mixed).compile(IpsSettings.DEFAULTS)) {
                assertThat(set.report().loaded()).isEqualTo(1);
                assertThat(set.report().errors()).singleElement().satisfies(e -> {
                    assertThat(e.file()).endsWith("mixed.rules");
                    assertThat(e.line()).isEqualTo(2);
                });
            }
        }
        assertThat(cache.loaded()).isPositive();
    }
}
