package org.omamori.engine.ips.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Loads rule files from outside the repository, e.g. a download of ET Open:
 * {@code ./mvnw -pl engines/ips-hyperscan test -Dtest=ExtraRulesTest -Dips.rules.extra=/path/to/rules}
 * (a file, a directory of {@code *.rules}, or several separated by the path separator). Every
 * rule must either load or be skipped by keyword; each parse error is printed with its line.
 */
@EnabledIfSystemProperty(named = "ips.rules.extra", matches = ".+")
class ExtraRulesTest {

    @Test
    void everyRuleLoadsOrIsSkippedByKeyword() throws Exception {
        List<Path> paths = new ArrayList<>();
        for (String p : System.getProperty("ips.rules.extra").split(java.io.File.pathSeparator)) {
            paths.add(Path.of(p));
        }
        for (Path p : paths) {
            assertThat(p).as("ips.rules.extra names something that exists").exists();
        }
        long start = System.nanoTime();
        RuleFiles.Result result = RuleFiles.read(paths, new RuleParser(Variables.defaults()), n -> { });
        long millis = (System.nanoTime() - start) / 1_000_000;

        StringBuilder report = new StringBuilder();
        report.append("files ").append(result.files()).append(", lines ").append(result.lines())
                .append(", loaded ").append(result.rules().size()).append(", skipped ").append(result.skipped())
                .append(", disabled ").append(result.disabled()).append(", errors ").append(result.errors().size())
                .append(", ").append(millis).append(" ms\n");
        report.append("skipped by keyword (top 15): ").append(result.skippedByKeyword().entrySet().stream()
                .limit(15).map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        result.errors().stream().limit(200).forEach(e -> report.append("  ").append(e.getMessage()).append('\n'));
        System.out.println(report);
        Files.writeString(Path.of("target", "extra-rules-report.txt"), report + "all keywords: " + result.skippedByKeyword() + "\n");

        List<String> realErrors = result.errors().stream().map(RuleParseException::getMessage)
                .filter(m -> !m.contains("duplicate sid")).toList();
        assertThat(realErrors).as("rules that neither load nor are skipped by keyword").isEmpty();
    }
}
