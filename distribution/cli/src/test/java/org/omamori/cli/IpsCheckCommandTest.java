package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** `./omamori ips check`: counts, skipped keywords, errors with file and line, exit codes. */
class IpsCheckCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void theProjectRulesAllLoad() {
        assertThat(run("ips", "check", ApplianceHome.projectRules().toString())).isZero();
        assertThat(out.toString()).containsPattern("loaded \\d+ +skipped 0 +failed 0");
    }

    @Test
    void skippedRulesAreCountedByKeywordAndBrokenOnesNamedByFileAndLine(@TempDir Path tmp) throws Exception {
        Path rules = tmp.resolve("mixed.rules");
        Files.writeString(rules, String.join("\n",
                "alert http any any -> any any (msg:\"fine\"; http.uri; content:\"/ok\"; sid:1;)",
                "alert http any any -> any any (msg:\"broken\"; content:\"|zz|\"; sid:2;)",
                "alert tcp any any -> any any (msg:\"unsupported\"; flowint:hits,+,1; content:\"x\"; sid:3;)", ""));

        assertThat(run("ips", "check", rules.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("loaded 1").contains("skipped 1").contains("failed 1")
                .containsPattern("flowint +1").contains("mixed.rules:2:");
    }

    @Test
    void aThresholdConfigBesideTheRulesIsCheckedAsTheApplianceReadsIt(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("local.rules"), "alert http any any -> any any (msg:\"a\"; http.uri; content:\"/a\"; sid:1;)\n");
        Files.writeString(tmp.resolve("threshold.config"), "suppress gen_id 1, sig_id 1, track by_src, ip 10.0.0.0/8\n"
                + "suppress gen_id 1, sig_id 42\n");
        assertThat(run("ips", "check", tmp.toString())).isZero();
        assertThat(out.toString()).contains("threshold files: [" + tmp.resolve("threshold.config"))
                .contains("no effect: " + tmp.resolve("threshold.config") + ":2: sid 42 is not in the rule set");

        Files.writeString(tmp.resolve("threshold.config"), "# tuning\nsuppress gen_id 1, sig_id 1, track by_host, ip 10.0.0.1\n");
        assertThat(run("ips", "check", tmp.resolve("local.rules").toString())).as("beside a rule file too").isEqualTo(2);
        assertThat(err.toString()).contains(tmp.resolve("threshold.config") + ":2: suppress track must be by_src, by_dst or by_either");
    }

    @Test
    void aThresholdFileGivenThatIsMissingExitsTwo(@TempDir Path tmp) {
        assertThat(run("ips", "check", ApplianceHome.projectRules().toString(), "--threshold-file", tmp.resolve("t.config").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no such threshold file").contains("t.config");
    }

    @Test
    void aMissingFileExitsTwo(@TempDir Path tmp) {
        assertThat(run("ips", "check", tmp.resolve("nope.rules").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nope.rules");
    }
}
