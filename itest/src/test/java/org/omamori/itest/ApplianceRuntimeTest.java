package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported appliance runtime, started as operators start it: its own JVM, the launcher jar,
 * the bndrun's bundles, a home folder with the sample lists.
 */
class ApplianceRuntimeTest {

    @TempDir
    Path home;

    @org.junit.jupiter.api.BeforeAll
    static void clamd() throws Exception {
        RunningAppliance.startClamd();
    }

    @Test
    void theApplianceStartsInUnderThreeSecondsWithTheSampleListsAndRulesAndStopsCleanly() throws Exception {
        RunningAppliance appliance = new RunningAppliance(home);

        List<Long> startMillis = new ArrayList<>();
        java.nio.file.attribute.FileTime archived = null;
        for (int start = 0; start < 2; start++) { // a first start installs the bundles, a restart reuses the cache
            appliance.start();
            try {
                // From the appliance JVM's launch, as before --jvm-options (the short JVM before it) came into the launch.
                startMillis.add((System.nanoTime() - appliance.launchedNanos) / 1_000_000);

                if (start == 0) {
                    CliRun engines = cli("engines", "--home", home.toString());
                    assertThat(engines.exitCode()).as(engines.output()).isZero();
                    assertThat(engines.output()).contains("engine").contains("urlfilter").contains("url-filtering")
                            .contains("org.omamori.engine.urlfilter").contains("org.omamori.engine.ips");
                }
                String verdicts = appliance.admin("/inspect?url=" + URLEncoder.encode("http://login-bank.phish.test/", StandardCharsets.UTF_8));
                assertThat(verdicts.lines().skip(1).findFirst().orElseThrow())
                        .startsWith("*\tmerged\tblock\tcategory:phishing\tフィッシング詐欺 / Phishing\thigh");
                String attack = appliance.admin("/inspect?url=" + URLEncoder.encode("http://192.168.1.20/?id=1 union select 2", StandardCharsets.UTF_8)
                        + "&client=203.0.113.7&server=192.168.1.20");
                assertThat(attack.lines().filter(l -> l.startsWith("ips\t"))).singleElement().asString()
                        .startsWith("ips\tdecided\tblock\tsid:9000001\t");
                String download = appliance.post("/inspect?url=" + URLEncoder.encode("http://files.example/eicar.com", StandardCharsets.UTF_8),
                        ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").getBytes(StandardCharsets.US_ASCII));
                assertThat(download.lines().filter(l -> l.startsWith("av-clamav\t"))).singleElement().asString()
                        .startsWith("av-clamav\tdecided\tneutralise\tclamav:Omamori.Test.EICAR-1.UNOFFICIAL\t");
            } finally {
                appliance.stop();
            }
            assertThat(Files.exists(home.resolve("state/admin.token"))).as("the token dies with the appliance").isFalse();
            // The JVM writes the class-data archive at the first stop, and leaves it as it is when the restart mapped it.
            List<Path> archives;
            try (var files = Files.list(home.resolve("state/cds"))) {
                archives = files.toList();
            }
            assertThat(archives).as("state/cds after start %d", start).singleElement().satisfies(a -> assertThat(a.toString()).endsWith(".jsa"));
            if (start == 0) {
                archived = Files.getLastModifiedTime(archives.get(0));
            } else {
                assertThat(Files.getLastModifiedTime(archives.get(0))).as("the archive the restart mapped").isEqualTo(archived);
            }
        }
        CliRun stopped = cli("engines", "--home", home.toString());
        assertThat(stopped.exitCode()).as("engines of a stopped appliance").isEqualTo(3);
        assertThat(stopped.output()).contains("is not running");
        System.out.printf("appliance start to URL, IPS and AV engines in force: first %d ms, restart %d ms%n", startMillis.get(0), startMillis.get(1));
        assertThat(startMillis.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(3000);
    }

    /**
     * List settings written as the README writes them start; a value that does not parse makes
     * the start line say which component failed, instead of claiming a clean start.
     */
    @Test
    void theStartLineSaysWhichComponentsFailed() throws Exception {
        RunningAppliance appliance = new RunningAppliance(home);
        appliance.configure("org.omamori.proxy", "listeners=explicit@127.0.0.1:" + appliance.proxyPort
                + "/lan\nconnectPorts = 443, 8443\nhttpPorts = 80, 1024-65535\n");
        String clean = appliance.startForReport();
        try {
            assertThat(clean).doesNotContain("FAILED");
        } finally {
            appliance.stop();
        }
        Files.writeString(home.resolve("appliance.log"), "");
        appliance.configure("org.omamori.proxy", "listeners=explicit@127.0.0.1:" + appliance.proxyPort
                + "/lan\nconnectPorts = 443, https\n");
        String broken = appliance.startForReport();
        try {
            assertThat(broken).contains("WITH 1 FAILED COMPONENT").contains("org.omamori.proxy").contains("https");
        } finally {
            appliance.stop();
        }
    }

    /**
     * The outside probe's reproductions on the real runtime with its default proxy settings: the
     * admin endpoint through the proxy, and a catastrophic pcre against 60 KB through
     * {@code POST /inspect}.
     */
    @Test
    void theProbesReproductionsFailOnTheRunningAppliance() throws Exception {
        RunningAppliance appliance = new RunningAppliance(home);
        Files.writeString(home.resolve("rules/probe.rules"), "alert http any any -> any any (msg:\"OMAMORI TEST catastrophic pcre\"; "
                + "flow:to_client; http.response_body; content:\"aaaa\"; pcre:\"/(a+)+$/\"; sid:9999001; rev:1;)\n");
        appliance.start();
        try {
            String adminPort = Files.readString(home.resolve("state/admin.port")).trim();
            String token = Files.readString(home.resolve("state/admin.token")).trim();
            for (String auth : new String[] {"", "Authorization: Bearer " + token + "\r\n"}) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", appliance.proxyPort)) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(("GET http://127.0.0.1:" + adminPort + "/engines HTTP/1.1\r\nHost: x\r\n" + auth
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(answer).as("the admin endpoint through the proxy").startsWith("HTTP/1.1 403").doesNotContain("urlfilter\t");
                }
            }
            long started = System.nanoTime();
            String verdicts = appliance.post("/inspect?url=" + URLEncoder.encode("http://files.example/a.txt", StandardCharsets.UTF_8),
                    "a".repeat(60_000).getBytes(StandardCharsets.US_ASCII));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(verdicts.lines().filter(l -> l.startsWith("ips\t"))).as(verdicts).singleElement().asString()
                    .startsWith("ips\tdecided\t").contains("sid:9999001");
            assertThat(millis).as("a catastrophic pcre has a bounded cost").isLessThan(10_000);
        } finally {
            appliance.stop();
        }
    }

    record CliRun(int exitCode, String output) {
    }

    /** Runs the ./omamori command line jar as the launcher script does. */
    private static CliRun cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("omamori.cliJar")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new CliRun(p.exitValue(), output);
    }
}
