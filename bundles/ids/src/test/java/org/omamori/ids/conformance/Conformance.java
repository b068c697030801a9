package org.omamori.ids.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.engine.ips.CompiledRules;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSetSource;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.events.Event;
import org.omamori.ids.Replay;
import org.omamori.ids.ReplayProgress;
import org.omamori.ids.ReplaySummary;
import org.omamori.ids.capture.CaptureReader;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * Runs the vendored suricata-verify tests through the offline IDS as {@code ./omamori ids replay
 * --rules test.rules [--threshold-file threshold.config] input.pcap} runs them (the IPS with each
 * test's rules and threshold file, the replay's defaults) and compares the alerts per sid with Suricata's. One pipeline and one IPS engine
 * for all tests: each test's rules are swapped in, as a definitions update would.
 */
final class Conformance implements AutoCloseable {

    /** What one test gave. */
    record Outcome(VerifyCase test, Map<Long, Integer> alerts, int total, List<String> differences, String error,
                   List<String> evasions, String replay, long millis) {
        boolean passed() {
            return differences.isEmpty() && error.isEmpty();
        }
    }

    private final Path root;
    private final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
    private final IpsEngine ips = new IpsEngine("conformance", IpsSettings.DEFAULTS);

    Conformance(Path root) {
        this.root = root;
        pipeline.addEngine(ips);
    }

    static List<VerifyCase> cases(Path root) throws IOException {
        List<VerifyCase> out = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("kept.tsv"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(VerifyCase.parse(line));
            }
        }
        return out;
    }

    /**
     * The replay's options for a test's Suricata arguments: a connection without a handshake is
     * left alone where Suricata leaves it — mid-stream pick-up off ({@code stream.midstream=false},
     * whatever the exception policy), or its policy is to pass the flow.
     */
    static Replay.Options options(VerifyCase test) {
        String notes = test.notes();
        boolean leftAlone = notes.contains("--set stream.midstream=false")
                || notes.contains("--set stream.midstream-policy=pass-flow");
        return Replay.Options.DEFAULTS.withMidstream(!leftAlone);
    }

    /** The name a test's threshold file is vendored under. */
    static final String THRESHOLD_FILE = "threshold.config";

    /**
     * The global threshold file a test gives Suricata ({@code --set threshold-file=${TEST_DIR}/…},
     * vendored as {@value #THRESHOLD_FILE}), as {@code ids replay --threshold-file} takes it; none otherwise.
     */
    static List<Path> thresholdFiles(VerifyCase test, Path dir) {
        return test.notes().contains("threshold-file=") ? List.of(dir.resolve(THRESHOLD_FILE)) : List.of();
    }

    Outcome run(VerifyCase test) {
        long started = System.nanoTime();
        Path dir = root.resolve("tests").resolve(test.name());
        Map<Long, Integer> alerts = new TreeMap<>();
        int[] total = new int[1];
        List<String> evasions = new ArrayList<>();
        String replay = "";
        String error = "";
        try {
            CompiledRules compiled = RuleSets.compile(List.of(dir.resolve(test.rules())), thresholdFiles(test, dir),
                    Variables.defaults(), Classtypes.standard(), IpsSettings.DEFAULTS, n -> { });
            RuleSetSource source = settings -> compiled;
            if (!ips.loadNow(source, IpsSettings.DEFAULTS)) {
                error = "rules did not load";
            } else {
                try (InputStream in = Files.newInputStream(dir.resolve(test.pcap()));
                     CaptureReader reader = CaptureReader.open(in)) {
                    ReplaySummary summary = new Replay(pipeline, options(test), events -> {
                        for (Event e : events) {
                            if (e.ruleId().equals(Replay.EVASION_RULE)) {
                                evasions.add(e.note());
                            }
                            if (e.function().equals(SecurityFunction.IPS) && e.ruleId().startsWith("sid:")) {
                                alerts.merge(Long.parseLong(e.ruleId().substring(4)), 1, Integer::sum);
                                total[0]++;
                            }
                        }
                    }).run(reader, ReplayProgress.NONE);
                    // a capture cut short is replayed up to the damage, as the CLI does
                    replay = "tcp " + summary.tcpFlows() + ", http " + summary.httpRequests() + "/" + summary.httpResponses()
                            + ", dns " + summary.dnsQueries() + (summary.skipped().isEmpty() ? "" : ", skipped " + summary.skipped())
                            + (summary.reassembly().isEmpty() ? "" : ", " + summary.reassembly())
                            + summary.error().map(e -> ", damaged: " + e.getMessage()).orElse("");
                }
            }
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        List<String> differences = new ArrayList<>();
        for (VerifyCase.Check c : test.checks()) {
            int got = c.sid() < 0 ? total[0] : alerts.getOrDefault(c.sid(), 0);
            if (got != c.count()) {
                differences.add((c.sid() < 0 ? "all" : "sid " + c.sid()) + ": " + got + " alerts, Suricata " + c.count());
            }
        }
        return new Outcome(test, alerts, total[0], differences, error, evasions, replay,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The report: pass rate in all and by family, then each failing test with what differed. */
    static String report(List<Outcome> outcomes, long millis) {
        Map<String, int[]> byFamily = new TreeMap<>();
        int passed = 0;
        for (Outcome o : outcomes) {
            int[] f = byFamily.computeIfAbsent(o.test().family(), k -> new int[2]);
            f[1]++;
            if (o.passed()) {
                f[0]++;
                passed++;
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format("suricata-verify: %d of %d tests give Suricata's alerts (%.1f %%) in %d ms%n", passed,
                outcomes.size(), 100.0 * passed / Math.max(1, outcomes.size()), millis));
        int outside = 0;
        int outsidePassed = 0;
        for (Map.Entry<String, int[]> e : byFamily.entrySet()) {
            s.append(String.format("  %-40s %4d / %4d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
            if (!e.getKey().equals("http-evader")) {
                outside += e.getValue()[1];
                outsidePassed += e.getValue()[0];
            }
        }
        s.append(String.format("  outside http-evader: %d / %d%n", outsidePassed, outside));
        s.append("failing:\n");
        Map<String, Integer> kinds = new HashMap<>();
        for (Outcome o : outcomes) {
            if (!o.passed()) {
                s.append("  ").append(o.test().name()).append(": ")
                        .append(o.error().isEmpty() ? String.join("; ", o.differences()) : o.error())
                        .append(o.test().notes().isEmpty() ? "" : "  [" + o.test().notes() + "]")
                        .append(o.evasions().isEmpty() ? "" : "  evasion: " + String.join(" | ", o.evasions()))
                        .append("\n      replay: ").append(o.replay()).append('\n');
                kinds.merge(o.error().isEmpty() ? kind(o) : "error", 1, Integer::sum);
            }
        }
        s.append("failing by what differed: ").append(new TreeMap<>(kinds)).append('\n');
        s.append("slowest:");
        outcomes.stream().sorted((a, b) -> Long.compare(b.millis(), a.millis())).limit(8)
                .forEach(o -> s.append(' ').append(o.test().name()).append(' ').append(o.millis()).append(" ms;"));
        s.append('\n');
        return s.toString();
    }

    /** A failing test in a word: no alert at all, too few, too many, or both. */
    private static String kind(Outcome o) {
        boolean fewer = false;
        boolean more = false;
        for (VerifyCase.Check c : o.test().checks()) {
            int got = c.sid() < 0 ? o.total() : o.alerts().getOrDefault(c.sid(), 0);
            fewer |= got < c.count();
            more |= got > c.count();
        }
        if (o.total() == 0) {
            return "no alert";
        }
        return fewer && more ? "fewer and more" : fewer ? "fewer" : "more";
    }

    @Override
    public void close() {
        ips.close();
        pipeline.close();
    }
}
