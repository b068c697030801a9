package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** `./omamori ids replay --threshold-file`: Suricata's threshold.config on a capture; a bad line exits 2 with file and line. */
class IdsReplayThresholdTest {

    private static final Path TEST = ApplianceHome.root().resolve("bundles/ids/src/test/resources/suricata-verify/tests/threshold-config-byrule");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private int replay(Path thresholds, Path events) {
        return run("ids", "replay", "--rules", TEST.resolve("test.rules").toString(), "--threshold-file", thresholds.toString(),
                "--events", events.toString(), TEST.resolve("input.pcap").toString());
    }

    @Test
    void aSuppressedSourceGivesNoAlertAnotherDoes(@TempDir Path tmp) throws Exception {
        Path events = tmp.resolve("events.jsonl");
        Path config = tmp.resolve("threshold.config");
        Files.writeString(config, "suppress gen_id 1, sig_id 1000001, track by_src, ip 192.0.2.0/24\n");
        replay(config, events);
        assertThat(Files.readString(events)).as(err.toString()).contains("sid:1000001");

        Files.writeString(config, "# the capture's client and server\nsuppress gen_id 1, sig_id 1000001, track by_either, ip [0.0.0.0/0,::/0]\n");
        replay(config, events);
        assertThat(Files.readString(events)).as(err.toString()).doesNotContain("sid:1000001");
    }

    @Test
    void aBadLineExitsTwoWithFileAndLine(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("threshold.config");
        Files.writeString(config, "suppress gen_id 1, sig_id 1000001\nrate_filter gen_id 1, sig_id 1000001, track by_src\n");
        assertThat(replay(config, tmp.resolve("e.jsonl"))).isEqualTo(2);
        assertThat(err.toString()).contains("threshold file not loaded: " + config + ":2: rate_filter needs 'count'");
    }

    @Test
    void aMissingThresholdFileExitsTwo(@TempDir Path tmp) {
        assertThat(replay(tmp.resolve("none.config"), tmp.resolve("e.jsonl"))).isEqualTo(2);
        assertThat(err.toString()).contains("no such threshold file").contains("none.config");
    }
}
