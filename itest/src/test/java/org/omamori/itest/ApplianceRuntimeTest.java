package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported appliance runtime, started as operators start it: its own JVM, the launcher jar,
 * the bndrun's bundles, a home folder with the sample lists.
 */
class ApplianceRuntimeTest {

    static final Path LAUNCHER = Path.of(System.getProperty("omamori.applianceJar"));
    static final Path SAMPLE_LISTS = Path.of(System.getProperty("omamori.sampleLists"));
    static final Path PROJECT_RULES = Path.of(System.getProperty("omamori.projectRules"));

    @TempDir
    Path home;

    @org.junit.jupiter.api.BeforeAll
    static void clamd() throws Exception {
        Process p = new ProcessBuilder("bash", System.getProperty("omamori.clamdScript"), "start").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("scripts/clamd.sh start: %s", output).isZero();
    }

    @Test
    void theApplianceStartsInUnderThreeSecondsWithTheSampleListsAndRulesAndStopsCleanly() throws Exception {
        copyTree(SAMPLE_LISTS, home.resolve("lists"));
        copyTree(PROJECT_RULES, home.resolve("rules"));
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.omamori.appliance.cfg"), "adminPort=0\n");

        List<Long> startMillis = new ArrayList<>();
        for (int start = 0; start < 2; start++) { // a first start installs the bundles, a restart reuses the cache
            long t0 = System.nanoTime();
            Process appliance = start();
            try {
                awaitUrlFilter(appliance);
                startMillis.add((System.nanoTime() - t0) / 1_000_000);

                if (start == 0) {
                    CliRun engines = cli("engines", "--home", home.toString());
                    assertThat(engines.exitCode()).as(engines.output()).isZero();
                    assertThat(engines.output()).contains("engine").contains("urlfilter").contains("url-filtering")
                            .contains("org.omamori.engine.urlfilter").contains("org.omamori.engine.ips");
                }
                String verdicts = admin("/inspect?url=" + URLEncoder.encode("http://login-bank.phish.test/", StandardCharsets.UTF_8));
                assertThat(verdicts.lines().skip(1).findFirst().orElseThrow())
                        .startsWith("*\tmerged\tblock\tcategory:phishing\tフィッシング詐欺 / Phishing\thigh");
                String attack = admin("/inspect?url=" + URLEncoder.encode("http://192.168.1.20/?id=1 union select 2", StandardCharsets.UTF_8)
                        + "&client=203.0.113.7&server=192.168.1.20");
                assertThat(attack.lines().filter(l -> l.startsWith("ips\t"))).singleElement().asString()
                        .startsWith("ips\tdecided\tblock\tsid:9000001\t");
                String download = post("/inspect?url=" + URLEncoder.encode("http://files.example/eicar.com", StandardCharsets.UTF_8),
                        ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").getBytes(StandardCharsets.US_ASCII));
                assertThat(download.lines().filter(l -> l.startsWith("av-clamav\t"))).singleElement().asString()
                        .startsWith("av-clamav\tdecided\tneutralise\tclamav:Omamori.Test.EICAR-1.UNOFFICIAL\t");
            } finally {
                appliance.destroy();
                assertThat(appliance.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
            assertThat(Files.exists(home.resolve("state/admin.token"))).as("the token dies with the appliance").isFalse();
        }
        CliRun stopped = cli("engines", "--home", home.toString());
        assertThat(stopped.exitCode()).as("engines of a stopped appliance").isEqualTo(3);
        assertThat(stopped.output()).contains("is not running");
        System.out.printf("appliance start to URL, IPS and AV engines in force: first %d ms, restart %d ms%n", startMillis.get(0), startMillis.get(1));
        assertThat(startMillis.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(3000);
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

    private Process start() throws IOException {
        Files.deleteIfExists(home.resolve("state/admin.port"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-jar", LAUNCHER.toString()));
        return new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("appliance.log").toFile()).start();
    }

    private void awaitUrlFilter(Process appliance) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(appliance.isAlive()).as("appliance running; log:%n%s", log()).isTrue();
            if (Files.exists(home.resolve("state/admin.port"))) {
                try {
                    String engines = admin("/engines");
                    if (engines.lines().anyMatch(l -> l.startsWith("urlfilter\t")) && engines.lines().anyMatch(l -> l.startsWith("ips\t"))
                            && engines.lines().anyMatch(l -> l.startsWith("av-clamav\t"))) {
                        return;
                    }
                } catch (IOException notYet) {
                    // the endpoint is coming up
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the URL engine did not come up; log:\n" + log());
    }

    private String post(String path, byte[] body) throws Exception {
        return send(path, HttpRequest.BodyPublishers.ofByteArray(body), "POST");
    }

    private String admin(String path) throws Exception {
        return send(path, HttpRequest.BodyPublishers.noBody(), "GET");
    }

    /** A request to the appliance's admin endpoint with the token from its state folder; must answer 200. */
    private String send(String path, HttpRequest.BodyPublisher body, String method) throws Exception {
        String port = Files.readString(home.resolve("state/admin.port")).trim();
        String token = Files.readString(home.resolve("state/admin.token")).trim();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token)
                        .method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private String log() throws IOException {
        Path log = home.resolve("appliance.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
