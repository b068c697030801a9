package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtimes' log files (decision 0027): the real appliance and cloud, started from their jars,
 * write {@code logs/<runtime>.log.0} beside the console, rotate it by size and count, take the
 * level from {@code etc/org.omamori.logging.cfg}, and refuse a bad value naming the key; and
 * {@code state/<runtime>.pid} keeps one JVM per home.
 */
class RuntimeFilesTest {

    @TempDir
    Path home;

    @Test
    void theApplianceWritesItsLogFileAndRotatesItBySizeAndCount() throws Exception {
        RunningAppliance appliance = new RunningAppliance(home);
        // debug makes plenty of lines; 4 KiB files, three kept.
        appliance.configure("org.omamori.logging", "level = debug\nmaxFileBytes = 4096\nfiles = 3\n");
        String token;
        try {
            assertThat(appliance.startForReport()).startsWith("Omamori appliance started");
            token = Files.readString(home.resolve("state/admin.token")).trim(); // removed at stop
        } finally {
            appliance.stop();
        }
        Path logs = home.resolve("logs");
        assertThat(logs.resolve("appliance.log.0")).isRegularFile();
        assertThat(logs.resolve("appliance.log.1")).as("rotated once at least").isRegularFile();
        assertThat(logs.resolve("appliance.log.2")).as("three generations kept").isRegularFile();
        assertThat(logs.resolve("appliance.log.3")).as("no more than three").doesNotExist();
        for (int g = 0; g < 3; g++) {
            // JUL rotates after the record that crossed the limit: one record over at most.
            assertThat(Files.size(logs.resolve("appliance.log." + g))).isLessThan(4096 + 4096);
        }
        List<String> lines = lines(logs);
        assertThat(lines).anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG .*"));
        // The last lines of the clean stop reach the file: the handlers close after the framework.
        assertThat(String.join("\n", lines)).contains("out of force");
        // The console keeps the lines too (the process's output is home/appliance.log here).
        assertThat(appliance.log()).contains(" INFO ");
        // No secret in the log: the admin token is never written.
        assertThat(lines).noneMatch(l -> l.contains(token));
    }

    @Test
    void theCloudWritesItsLogFileAtTheConfiguredLevel() throws Exception {
        int port = RunningAppliance.freePort();
        RunningCloud.configure(home, port);
        Files.writeString(home.resolve("etc/org.omamori.logging.cfg"), "level = warn\nlevel.org.omamori = info\n");
        RunningCloud cloud = RunningCloud.start(home, port);
        try {
            cloud.awaitInService();
        } finally {
            cloud.stop();
        }
        List<String> lines = lines(home.resolve("logs"));
        assertThat(lines).as("the cloud's own lines at info").anyMatch(l -> l.contains(" INFO "));
        // Jetty is at warn by the framework properties, everything else not ours at warn by the file.
        assertThat(lines).noneMatch(l -> l.contains(" DEBUG "));
        assertThat(home.resolve("logs/cloud.log.0")).isRegularFile();
    }

    @Test
    void aBadLevelStopsTheStartNamingTheFileAndKey() throws Exception {
        RunningAppliance appliance = new RunningAppliance(home);
        appliance.configure("org.omamori.logging", "level = loud\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                RunningAppliance.LAUNCHER.toString()).directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output).contains("etc/org.omamori.logging.cfg: level = 'loud' is not one of error, warn, info, debug, trace, off");
    }

    @Test
    void oneJvmPerHomeThePidFileNamesItAndTheCleanStopRemovesIt() throws Exception {
        RunningAppliance appliance = new RunningAppliance(home);
        Path pidFile = home.resolve("state/appliance.pid");
        try {
            assertThat(appliance.startForReport()).startsWith("Omamori appliance started");
            assertThat(Files.readString(pidFile).trim()).isEqualTo(Long.toString(appliance.process.pid()));
            Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    RunningAppliance.LAUNCHER.toString()).directory(home.toFile()).redirectErrorStream(true).start();
            String output = new String(second.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(output).contains("already running in this home (pid " + appliance.process.pid());
            assertThat(appliance.process.isAlive()).isTrue();
        } finally {
            appliance.stop();
        }
        assertThat(pidFile).as("removed by the clean stop").doesNotExist();

        // A pid file left by a killed JVM does not stop the next start. The log holds the first JVM's
        // start lines, so the start report can come before this JVM has written its pid file: wait for it.
        appliance.startForReport();
        org.awaitility.Awaitility.await("the second JVM claims the pid file").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Files.exists(pidFile) && Files.readString(pidFile).trim().equals(Long.toString(appliance.process.pid())));
        appliance.kill();
        assertThat(pidFile).exists();
        appliance.startForReport(); // the log holds earlier start lines: wait for the new JVM's pid file instead
        org.awaitility.Awaitility.await("the restarted JVM claims the pid file").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Files.exists(pidFile) && Files.readString(pidFile).trim().equals(Long.toString(appliance.process.pid())));
        assertThat(appliance.process.isAlive()).as(appliance::logQuietly).isTrue();
        appliance.stop();
    }

    private static List<String> lines(Path logs) throws Exception {
        try (Stream<Path> files = Files.list(logs)) {
            List<Path> logFiles = files.filter(f -> !f.toString().endsWith(".lck")).toList();
            assertThat(logFiles).isNotEmpty();
            List<String> lines = new java.util.ArrayList<>();
            for (Path f : logFiles) {
                lines.addAll(Files.readAllLines(f));
            }
            return lines;
        }
    }
}
