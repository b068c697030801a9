package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** `./omamori av scan` against the project's real clamd: clean / infected / error, and exit codes. */
class AvScanCommandTest {

    private final StringWriter out = new StringWriter();

    @BeforeAll
    static void clamd() throws Exception {
        Process p = new ProcessBuilder("bash", ApplianceHome.root().resolve("scripts/clamd.sh").toString(), "start")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("scripts/clamd.sh start: %s", output).isZero();
    }

    private int run(String... args) {
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter())).execute(args);
    }

    @Test
    void eachFileIsReportedAndAnInfectionExitsOne(@TempDir Path tmp) throws Exception {
        Path eicar = tmp.resolve("eicar.com");
        Files.writeString(eicar, "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*", StandardCharsets.US_ASCII);
        Path clean = tmp.resolve("clean.txt");
        Files.writeString(clean, "nothing to see");

        assertThat(run("av", "scan", eicar.toString(), clean.toString())).isEqualTo(1);
        assertThat(out.toString()).containsPattern("infected +\\S*eicar.com +Omamori.Test.EICAR-1.UNOFFICIAL")
                .containsPattern("clean +\\S*clean.txt");
    }

    @Test
    void cleanFilesExitZeroAndUnreadableOnesTwo(@TempDir Path tmp) throws Exception {
        Path clean = tmp.resolve("clean.txt");
        Files.writeString(clean, "nothing to see");
        assertThat(run("av", "scan", clean.toString())).isZero();
        assertThat(run("av", "scan", tmp.resolve("missing").toString())).isEqualTo(2);
        assertThat(out.toString()).contains("error").contains("cannot read the file");
    }

    @Test
    void clamdUnreachableIsAnErrorThatSaysWhere(@TempDir Path tmp) throws Exception {
        Path clean = tmp.resolve("clean.txt");
        Files.writeString(clean, "nothing to see");
        assertThat(run("av", "scan", "--clamd", "127.0.0.1:1", clean.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("not scanned").contains("127.0.0.1:1");
    }
}
