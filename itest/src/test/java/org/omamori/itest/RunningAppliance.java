package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The exported appliance runtime in a home folder, started as operators start it: its own JVM
 * with the options of {@code --jvm-options} (memory budget, class-data archive), the launcher jar,
 * the bndrun's bundles, the sample lists and the project's rules. The intakes
 * listen on free loopback ports so tests never collide with a running demo.
 */
final class RunningAppliance {

    static final Path LAUNCHER = Path.of(System.getProperty("omamori.applianceJar"));
    static final Path SAMPLE_LISTS = Path.of(System.getProperty("omamori.sampleLists"));
    static final Path PROJECT_RULES = Path.of(System.getProperty("omamori.projectRules"));

    /** Where tests' origins listen: a loopback address the proxy is told to allow (never 127.0.0.1, the appliance's own). */
    static final String ORIGIN_ADDRESS = "127.0.0.2";

    final Path home;
    final int proxyPort;
    final int dnsPort;
    Process process;
    /** When the appliance's JVM was launched, after {@code --jvm-options} answered (System.nanoTime). */
    long launchedNanos;
    /** Put before the java command, e.g. {@code ip netns exec NS} (which execs: the process is the JVM). */
    List<String> wrapper = List.of();

    RunningAppliance(Path home) throws IOException {
        this.home = home;
        this.proxyPort = freePort();
        this.dnsPort = freePort();
        copyTree(SAMPLE_LISTS, home.resolve("lists"));
        copyTree(PROJECT_RULES, home.resolve("rules"));
        Files.createDirectories(home.resolve("etc"));
        configure("org.omamori.appliance", "adminPort=0\n");
        configure("org.omamori.proxy", "listeners=explicit@127.0.0.1:" + proxyPort + "/lan\nallowedNetworks=" + ORIGIN_ADDRESS + "/32\n");
        configure("org.omamori.dns", "listen=lan=127.0.0.1:" + dnsPort + "\n");
        // The clamd startClamd() starts (scripts/clamd.sh reads the same variable); the home has no
        // run/clamd/clamd.sock, so the antivirus' default takes TCP, its fallback.
        String clamdPort = System.getenv("OMAMORI_CLAMD_PORT");
        if (clamdPort != null && !clamdPort.isBlank()) {
            configure("org.omamori.engine.av", "clamdPort=" + clamdPort.strip() + "\n");
        }
    }

    void configure(String pid, String content) throws IOException {
        Files.writeString(home.resolve("etc").resolve(pid + ".cfg"), content);
    }

    /** Starts the appliance and returns once the URL filter, the IPS and the antivirus are in force. */
    RunningAppliance start() throws Exception {
        launch();
        awaitEngines();
        return this;
    }

    void launch() throws Exception {
        Files.deleteIfExists(home.resolve("state/admin.port"));
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(jvmOptions());
        cmd.addAll(List.of("-jar", LAUNCHER.toString()));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("appliance.log").toFile()));
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        launchedNanos = System.nanoTime();
        process = builder.start();
    }

    /**
     * What the systemd unit puts before {@code -jar}: {@code java -jar LAUNCHER --jvm-options} in the
     * home (the memory budget's limits, the class-data archive), run at each start as the unit runs it.
     */
    private List<String> jvmOptions() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", LAUNCHER.toString(),
                "--jvm-options").directory(home.toFile()).redirectErrorStream(true).start();
        String line = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("--jvm-options: %s", line).isZero();
        return line.isEmpty() ? List.of() : List.of(line.split("\\s+"));
    }

    /** Starts the appliance and returns its start line (the launcher's report), whatever the components did. */
    String startForReport() throws Exception {
        launch();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = log().lines().filter(l -> l.startsWith("Omamori appliance started")).findFirst().orElse(null);
            if (line != null) {
                Thread.sleep(200); // the failure lines follow the start line
                return log().substring(log().indexOf(line));
            }
            assertThat(process.isAlive()).as("appliance running; log:%n%s", log()).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("no start line; log:\n" + log());
    }

    /** SIGTERM, and waits for the clean stop. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private void awaitEngines() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("appliance running; log:%n%s", log()).isTrue();
            if (Files.exists(home.resolve("state/admin.port"))) {
                try {
                    String engines = admin("/engines");
                    if (engines.lines().anyMatch(l -> l.startsWith("urlfilter\t")) && engines.lines().anyMatch(l -> l.startsWith("ips\t"))
                            && engines.lines().anyMatch(l -> l.startsWith("av-clamav\t")) && listening(proxyPort) && listening(dnsPort)) {
                        return;
                    }
                } catch (IOException notYet) {
                    // the endpoint is coming up
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the engines and intakes did not come up; log:\n" + log());
    }

    /** The web proxy and the DNS filter (TCP) start after the spool they report to. */
    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    String admin(String path) throws Exception {
        return send(path, HttpRequest.BodyPublishers.noBody(), "GET");
    }

    String post(String path, byte[] body) throws Exception {
        return send(path, HttpRequest.BodyPublishers.ofByteArray(body), "POST");
    }

    /** A request to the admin endpoint with the token from the state folder; must answer 200. */
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

    String log() throws IOException {
        Path log = home.resolve("appliance.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    String logQuietly() {
        try {
            return log();
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The project's clamd, through scripts/clamd.sh as the demo and CI start it (installed on first use). */
    static void startClamd() throws Exception {
        Process p = new ProcessBuilder("bash", System.getProperty("omamori.clamdScript"), "start").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("scripts/clamd.sh start: %s", output).isZero();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
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
