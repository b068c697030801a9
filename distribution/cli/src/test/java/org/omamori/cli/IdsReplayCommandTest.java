package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.appid.NdpiInstalled;

import picocli.CommandLine;

/** `./omamori ids replay`: a capture's applications are access-log events of application identification. */
class IdsReplayCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void aCapturesApplicationsAreInItsEvents(@TempDir Path tmp) throws Exception {
        NdpiInstalled.open(1).close(); // installs libndpi through scripts/ndpi.sh when missing
        Path capture = ApplianceHome.root().resolve("bundles/ids/src/test/resources/suricata-verify/tests/tls/tls-client-hello-frag-01/dump_mtu300.pcap");
        Path events = tmp.resolve("events.jsonl");

        assertThat(run("ids", "replay", capture.toString(), "--events", events.toString())).isZero();

        assertThat(err.toString()).doesNotContain("application identification off");
        assertThat(Files.readString(events)).contains("\"application-identification\"").contains("app:web:google")
                .contains("www.google.com");
    }
}
