package org.omamori.engine.ips;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.omamori.engine.ips.rules.RuleParseException;

/**
 * What became of a rule set: rules in force, rules skipped (by the keyword that made them
 * unrunnable), rules that did not parse (file, line, why), and what compiling cost.
 * {@code patterns}: the distinct expressions in the Hyperscan databases, the rules' triggers and
 * the literals confirmation looks up.
 */
public record RuleSetReport(int loaded, Map<String, Integer> skippedByKeyword, List<RuleParseException> errors,
                            int patterns, long compileMillis, long databaseBytes) {

    public RuleSetReport {
        skippedByKeyword = java.util.Collections.unmodifiableMap(new TreeMap<>(skippedByKeyword));
        errors = List.copyOf(errors);
    }

    public int skipped() {
        return skippedByKeyword.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
        return loaded + " rules in force, " + skipped() + " skipped, " + errors.size() + " failed; "
                + patterns + " patterns compiled in " + compileMillis + " ms, " + databaseBytes / 1024 + " KiB";
    }
}
