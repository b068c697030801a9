package org.omamori.ids.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * OISF's suricata-verify as the offline IDS's conformance suite: every vendored test
 * (src/test/resources/suricata-verify, chosen by {@link SuricataVerifySelect}) is replayed and
 * its alerts per sid compared with Suricata's. The build fails when fewer tests pass than the
 * floor recorded in {@code suricata-verify/floor.txt}; raise the floor with every fix. The full
 * report goes to {@code target/suricata-verify-report.txt} (docs/ids-replay.md, "Conformance").
 */
class SuricataVerifyTest {

    static final Path ROOT = Path.of(System.getProperty("omamori.root", "../..")).toAbsolutePath().normalize();
    static final Path SUITE = ROOT.resolve("bundles/ids/src/test/resources/suricata-verify");

    @Test
    void atLeastTheRecordedNumberOfSuricataVerifyTestsGiveSuricatasAlerts() throws Exception {
        List<VerifyCase> cases = Conformance.cases(SUITE);
        List<Conformance.Outcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        try (Conformance c = new Conformance(SUITE)) {
            for (VerifyCase test : cases) {
                outcomes.add(c.run(test));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String report = Conformance.report(outcomes, millis);
        Path target = ROOT.resolve("bundles/ids/target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("suricata-verify-report.txt"), report);
        System.out.println(report.substring(0, report.indexOf("failing:")));

        int floor = Integer.parseInt(Files.readString(SUITE.resolve("floor.txt")).strip().split("\\s")[0]);
        long passed = outcomes.stream().filter(Conformance.Outcome::passed).count();
        assertThat(cases).as("the vendored tests").hasSizeGreaterThan(500);
        assertThat(passed).as("suricata-verify tests passing (report: target/suricata-verify-report.txt)")
                .isGreaterThanOrEqualTo(floor);
    }

    /** For a quick look without Maven: {@code java -cp ... SuricataVerifyTest [TEST-NAME-PREFIX]}. */
    public static void main(String[] args) throws Exception {
        List<Conformance.Outcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        try (Conformance c = new Conformance(SUITE)) {
            for (VerifyCase test : Conformance.cases(SUITE)) {
                if (args.length == 0 || test.name().startsWith(args[0])) {
                    outcomes.add(c.run(test));
                }
            }
        }
        System.out.println(Conformance.report(outcomes, (System.nanoTime() - start) / 1_000_000));
    }
}
