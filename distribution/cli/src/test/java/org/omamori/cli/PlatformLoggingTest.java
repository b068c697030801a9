package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code System.Logger} output of libraries the command line runs in-process (the demo's
 * simulated appliances' clamd client) follows {@code -Domamori.log}: quiet by default, one line
 * when asked for. A fresh JVM, since java.util.logging is configured once per process.
 */
class PlatformLoggingTest {

    public static void main(String[] args) {
        Omamori.quietPlatformLogging(args[0]);
        System.Logger log = System.getLogger("org.omamori.engine.av.clamd.Clamd");
        log.log(System.Logger.Level.INFO, "clamd at 127.0.0.1:3399: INSTREAM");
        log.log(System.Logger.Level.WARNING, "clamd at 127.0.0.1:3399: not answering");
    }

    @Test
    void infoIsQuietByDefaultAndAWarningIsOneLine() throws Exception {
        assertThat(run("warn")).isEqualTo("WARNING org.omamori.engine.av.clamd.Clamd - clamd at 127.0.0.1:3399: not answering\n");
    }

    @Test
    void infoShowsWhenAskedFor() throws Exception {
        assertThat(run("info")).startsWith("INFO org.omamori.engine.av.clamd.Clamd - clamd at 127.0.0.1:3399: INSTREAM\n")
                .contains("WARNING");
    }

    private static String run(String level) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PlatformLoggingTest.class.getName(), level).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
