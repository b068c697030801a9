package org.omamori.ids.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.omamori.engine.ips.CompiledRules;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSetReport;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.ThresholdConfigParser;
import org.omamori.engine.ips.rules.Variables;
import org.yaml.snakeyaml.Yaml;

/**
 * Picks from OISF's suricata-verify the tests the offline IDS can be held to, and vendors them:
 * tests with a capture, whose rules all load in the IPS engine, that need no feature Suricata
 * builds optionally, run on Suricata {@value #AS_VERSION}, and whose checks include alert counts
 * ({@code event_type: alert} with a {@code count}, by {@code alert.signature_id} or in all).
 * Every other test is listed in {@code left-out.tsv} with the reason.
 *
 * <p>Run it again when the rule language grows (docs/ids-replay.md, "Conformance"):
 * <pre>./mvnw -o -q -pl bundles/ids -am test -Djazzer.skip -Dtest=SuricataVerifySelection -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dsuricata.verify.repo=/work/.mirror/OISF+suricata-verify/repo</pre>
 * (as a test it writes into {@code src/test/resources/suricata-verify}; without the property it is skipped).
 */
public final class SuricataVerifySelect {

    /** The Suricata version whose behaviour the tests are read for: the development line of the snapshot. */
    static final String AS_VERSION = "9.0.0";

    /** Match fields that only restate the rule (the same for every alert of a sid): a check on them is a count by sid. */
    private static final Set<String> RULE_FIELDS = Set.of("event_type", "alert.signature_id", "alert.signature",
            "alert.rev", "alert.gid", "alert.severity", "alert.category");

    private final GitTree git;
    private final Path out;
    private final List<VerifyCase> kept = new ArrayList<>();
    private final Map<String, String> leftOut = new TreeMap<>();
    private long vendoredBytes;

    private SuricataVerifySelect(GitTree git, Path out) {
        this.git = git;
        this.out = out;
    }


    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SuricataVerifySelect SURICATA_VERIFY_GIT_DIR OUT_DIR");
            System.exit(2);
        }
        System.out.println(select(Path.of(args[0]), Path.of(args[1])));
    }

    /** Selects and vendors; returns the one-paragraph summary also written to {@code selection.txt}. */
    static String select(Path gitDir, Path out) throws IOException {
        try (GitTree git = new GitTree(gitDir, "HEAD")) {
            SuricataVerifySelect s = new SuricataVerifySelect(git, out);
            s.clean();
            List<String> dirs = new ArrayList<>();
            for (String p : git.paths()) {
                if (p.startsWith("tests/") && p.endsWith("/test.yaml")) {
                    dirs.add(p.substring(0, p.length() - "/test.yaml".length()));
                }
            }
            dirs.sort(Comparator.naturalOrder());
            for (String dir : dirs) {
                s.consider(dir);
            }
            return s.write();
        }
    }

    private void clean() throws IOException {
        Path tests = out.resolve("tests");
        if (Files.exists(tests)) {
            try (Stream<Path> walk = Files.walk(tests)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        Files.createDirectories(tests);
    }

    // ---- one test -----------------------------------------------------------------------------

    private void consider(String dir) throws IOException {
        String name = dir.substring("tests/".length());
        String why;
        try {
            why = judge(dir, name);
        } catch (RuntimeException e) {
            why = "test.yaml not understood: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (why != null) {
            leftOut.put(name, why.replace('\t', ' ').replace('\n', ' '));
        }
    }

    /** Null when kept (and vendored), else the reason it is left out. */
    @SuppressWarnings("unchecked")
    private String judge(String dir, String name) throws IOException {
        Object loaded = new Yaml().load(new String(git.read(dir + "/test.yaml"), StandardCharsets.UTF_8));
        Map<String, Object> yaml = loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (yaml.containsKey("command")) {
            return "runs its own command instead of Suricata on a capture";
        }
        if (yaml.containsKey("skip")) {
            return "skips itself under conditions of Suricata's build or configuration";
        }
        String req = Requires.unmet(yaml.get("requires"));
        if (req != null) {
            return req;
        }
        if (yaml.get("exit-code") instanceof Integer code && code != 0) {
            return "expects Suricata to exit with code " + code;
        }
        if (Boolean.FALSE.equals(yaml.get("pcap"))) {
            return "no capture (requires pcap: false)";
        }
        // checks first: most tests left out are left out for what they check
        List<VerifyCase.Check> checks = new ArrayList<>();
        Map<String, Integer> others = new TreeMap<>();
        Object list = yaml.get("checks");
        if (list instanceof List<?> l) {
            for (Object c : l) {
                classify(c, checks, others);
            }
        }
        if (checks.isEmpty()) {
            return "no alert counts (checks: " + (others.isEmpty() ? "none" : others) + ")";
        }
        List<String> files = children(dir);
        String pcap;
        if (yaml.get("pcap") instanceof String p) {
            pcap = normalise(dir + "/" + p);
        } else {
            List<String> pcaps = files.stream().filter(f -> f.endsWith(".pcap") || f.endsWith(".pcapng")).toList();
            if (pcaps.size() != 1) {
                return pcaps.isEmpty() ? "no capture" : "more than one capture";
            }
            pcap = dir + "/" + pcaps.get(0);
        }
        String rules;
        if (yaml.containsKey("rules")) {
            if (!(yaml.get("rules") instanceof String r)) {
                return "no rules";
            }
            rules = normalise(dir + "/" + r);
        } else {
            List<String> ruleFiles = files.stream().filter(f -> f.endsWith(".rules")).toList();
            if (ruleFiles.size() != 1) {
                return ruleFiles.isEmpty() ? "no rules (alerts from Suricata's built-in events)"
                        : "firewall mode (firewall.rules and td.rules)";
            }
            rules = dir + "/" + ruleFiles.get(0);
        }
        byte[] pcapBytes = git.read(pcap);
        if (pcapBytes == null) {
            return "capture " + pcap + " not in the mirror's snapshot";
        }
        byte[] ruleBytes = git.read(rules);
        if (ruleBytes == null) {
            return "rules " + rules + " not in the mirror's snapshot";
        }
        String load = rulesLoad(ruleBytes);
        if (load != null) {
            return load;
        }
        byte[] thresholdBytes = null;
        String thresholdFile = thresholdFile(yaml.get("args"));
        if (thresholdFile != null) {
            thresholdBytes = git.read(normalise(dir + "/" + thresholdFile));
            if (thresholdBytes == null) {
                return "threshold file " + thresholdFile + " not in the mirror's snapshot";
            }
            String bad = thresholdsLoad(thresholdBytes);
            if (bad != null) {
                return bad;
            }
        }
        List<String> notes = new ArrayList<>();
        if (!others.isEmpty()) {
            notes.add("not compared: " + others);
        }
        if (files.contains("suricata.yaml")) {
            notes.add("own suricata.yaml");
        }
        if (yaml.get("args") instanceof List<?> args && !args.isEmpty()) {
            notes.add("args: " + String.join(" ", args.stream().map(String::valueOf).toList()));
        }
        Path target = out.resolve("tests").resolve(name);
        Files.createDirectories(target);
        String pcapName = pcap.substring(pcap.lastIndexOf('/') + 1);
        Files.write(target.resolve(pcapName), pcapBytes);
        Files.write(target.resolve("test.rules"), ruleBytes);
        vendoredBytes += pcapBytes.length + ruleBytes.length;
        if (thresholdBytes != null) {
            Files.write(target.resolve(Conformance.THRESHOLD_FILE), thresholdBytes);
            vendoredBytes += thresholdBytes.length;
        }
        kept.add(new VerifyCase(name, VerifyCase.familyOf(name), pcapName, "test.rules", List.copyOf(checks),
                String.join("; ", notes)));
        return null;
    }

    /** Adds a check to {@code checks} when it is an alert count in force for {@link #AS_VERSION}, else counts its kind. */
    @SuppressWarnings("unchecked")
    private static void classify(Object entry, List<VerifyCase.Check> checks, Map<String, Integer> others) {
        if (!(entry instanceof Map<?, ?> map) || map.size() != 1) {
            others.merge("unknown", 1, Integer::sum);
            return;
        }
        String kind = String.valueOf(map.keySet().iterator().next());
        if (!kind.equals("filter") || !(map.get("filter") instanceof Map<?, ?> f)) {
            others.merge(kind, 1, Integer::sum);
            return;
        }
        Map<String, Object> filter = (Map<String, Object>) f;
        if (Requires.unmet(filter.get("requires")) != null) {
            return; // not a check for this version: Suricata's runner leaves it out too
        }
        Object file = filter.get("filename");
        Map<String, Object> match = filter.get("match") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Object type = match.get("event_type");
        if (file != null && !"eve.json".equals(file) || !"alert".equals(type)) {
            others.merge(file != null && !"eve.json".equals(file) ? "file " + file : "event_type " + type, 1, Integer::sum);
            return;
        }
        if (!(filter.get("count") instanceof Integer count) || !RULE_FIELDS.containsAll(match.keySet())
                || !"1".equals(String.valueOf(match.getOrDefault("alert.gid", 1)))) {
            others.merge("alert by other fields", 1, Integer::sum);
            return;
        }
        Object sid = match.get("alert.signature_id");
        if (sid != null && !(sid instanceof Number)) {
            others.merge("alert by other fields", 1, Integer::sum);
            return;
        }
        checks.add(new VerifyCase.Check(sid == null ? -1 : ((Number) sid).longValue(), count));
    }

    /**
     * The file a test's {@code --set threshold-file=${TEST_DIR}/NAME} names (vendored as
     * {@value Conformance#THRESHOLD_FILE}, which {@link Conformance} hands to the replay), or null.
     */
    static String thresholdFile(Object args) {
        if (args instanceof List<?> list) {
            for (Object a : list) {
                String s = String.valueOf(a);
                int at = s.indexOf("threshold-file=${TEST_DIR}/");
                if (at >= 0) {
                    return s.substring(at + "threshold-file=${TEST_DIR}/".length()).strip();
                }
            }
        }
        return null;
    }

    /** Null when the engine reads the threshold file; else why not. */
    static String thresholdsLoad(byte[] bytes) {
        try {
            new ThresholdConfigParser(Variables.defaults()).read(Conformance.THRESHOLD_FILE, new java.io.ByteArrayInputStream(bytes));
            return null;
        } catch (ThresholdConfigParser.Invalid | IOException e) {
            return "threshold file does not load: " + e.getMessage();
        }
    }

    /** Null when every rule loads; else the keywords that made rules skipped, or the first error. */
    static String rulesLoad(byte[] rules) throws IOException {
        Path tmp = Files.createTempFile("verify", ".rules");
        try {
            Files.write(tmp, rules);
            try (CompiledRules compiled = RuleSets.compile(List.of(tmp), Variables.defaults(), Classtypes.standard(),
                    IpsSettings.DEFAULTS, n -> { })) {
                RuleSetReport r = compiled.report();
                if (!r.errors().isEmpty()) {
                    String msg = r.errors().get(0).getMessage();
                    return "rule fails to load: " + msg.replace(tmp.getFileName().toString(), "test.rules");
                }
                if (r.skipped() > 0) {
                    return "rules skipped by keyword: " + String.join(", ", r.skippedByKeyword().keySet());
                }
                if (r.loaded() == 0) {
                    return "no rules (only comments)";
                }
                return null;
            } catch (Exception e) {
                return "rules do not compile: " + e.getMessage();
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private List<String> children(String dir) {
        List<String> out = new ArrayList<>();
        String prefix = dir + "/";
        for (String p : git.paths()) {
            if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
                out.add(p.substring(prefix.length()));
            }
        }
        return out;
    }

    private static String normalise(String path) {
        Path p = Path.of(path).normalize();
        return p.toString().replace('\\', '/');
    }

    // ---- output -------------------------------------------------------------------------------

    private String write() throws IOException {
        StringBuilder k = new StringBuilder("# test\tfamily\tpcap\trules\tchecks (sid=alerts, *=all alerts)\tnotes\n");
        kept.forEach(c -> k.append(c.line()).append('\n'));
        Files.writeString(out.resolve("kept.tsv"), k);
        StringBuilder l = new StringBuilder("# test\treason\n");
        leftOut.forEach((n, why) -> l.append(n).append('\t').append(why).append('\n'));
        Files.writeString(out.resolve("left-out.tsv"), l);
        byte[] licence = git.read("LICENSE.txt");
        if (licence != null) {
            Files.write(out.resolve("LICENSE.txt"), licence);
        }
        Map<String, Integer> reasons = new TreeMap<>();
        leftOut.values().forEach(r -> reasons.merge(reasonKind(r), 1, Integer::sum));
        StringBuilder s = new StringBuilder();
        s.append("suricata-verify ").append(git.commit()).append(", read as Suricata ").append(AS_VERSION).append('\n');
        s.append("kept ").append(kept.size()).append(", left out ").append(leftOut.size())
                .append(", vendored ").append(vendoredBytes).append(" bytes\n");
        reasons.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> s.append("  ").append(e.getValue()).append('\t').append(e.getKey()).append('\n'));
        Files.writeString(out.resolve("selection.txt"), s);
        return s.toString();
    }

    /** The reason without its details, for the summary's counts. */
    private static String reasonKind(String reason) {
        if (reason.startsWith("rules skipped by keyword: ")) {
            return "rules skipped by keyword";
        }
        if (reason.startsWith("rule fails to load")) {
            return "rule fails to load";
        }
        if (reason.startsWith("no alert counts")) {
            return "no alert counts";
        }
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }
}
