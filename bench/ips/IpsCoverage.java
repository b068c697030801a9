import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.omamori.engine.ips.CompiledRules;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSetReport;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.RuleParseException;
import org.omamori.engine.ips.rules.Variables;

/**
 * Run by bench/ips-coverage.sh (java's source launcher on the reactor's jars): loads and compiles
 * the rule files given as the appliance would and prints what the engine made of them.
 */
public class IpsCoverage {
    public static void main(String[] args) throws Exception {
        int top = 25;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--top")) {
                top = Integer.parseInt(args[++i]);
            } else {
                paths.add(Path.of(args[i]));
            }
        }
        long started = System.nanoTime();
        RuleSetReport r;
        try (CompiledRules compiled = RuleSets.compile(paths, Variables.defaults(), Classtypes.standard(),
                IpsSettings.DEFAULTS, n -> { })) {
            r = compiled.report();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int total = r.loaded() + r.skipped() + r.errors().size();
        System.out.printf("rules %,d: loaded %,d (%.1f %%), skipped %,d (%.1f %%), failed %,d (%.1f %%)%n", total,
                r.loaded(), 100.0 * r.loaded() / total, r.skipped(), 100.0 * r.skipped() / total,
                r.errors().size(), 100.0 * r.errors().size() / total);
        System.out.printf("read+parse+compile %,d ms (compile %,d ms); %,d patterns; %,d KiB of Hyperscan databases%n",
                millis, r.compileMillis(), r.patterns(), r.databaseBytes() / 1024);
        System.out.println("skipped by keyword (top " + top + "):");
        r.skippedByKeyword().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %-32s %,6d%n", e.getKey(), e.getValue()));
        Map<String, Integer> reasons = new TreeMap<>();
        for (RuleParseException e : r.errors()) {
            String m = e.getMessage().replaceFirst("^[^:]*:\\d+: ", "").replaceAll("\\d+", "N");
            reasons.merge(m.length() > 90 ? m.substring(0, 90) : m, 1, Integer::sum);
        }
        if (!reasons.isEmpty()) {
            System.out.println("failed, by reason (numbers as N):");
            reasons.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                    .forEach(e -> System.out.printf("  %,6d  %s%n", e.getValue(), e.getKey()));
            System.out.println("first failures:");
            r.errors().stream().limit(10).forEach(e -> System.out.println("  " + e.getMessage()));
        }
    }
}
