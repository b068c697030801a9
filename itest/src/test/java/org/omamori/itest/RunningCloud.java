package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.uplink.CloudTls;

/** The cloud runtime as its own JVM (the java launcher itself, no wrapper script), in {@code home}. */
final class RunningCloud {

    static final Path LAUNCHER = Path.of(System.getProperty("omamori.cloudJar"));

    /**
     * Configures the API on 127.0.0.1:{@code port} in a fresh home, with the {@code editions/} folder
     * watched as `./omamori cloud` sets it up (docs/edition-sdk.md "Installing").
     */
    static void configure(Path home, int port) throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.createDirectories(home.resolve("editions"));
        Files.writeString(home.resolve("etc/org.omamori.cloud.api.cfg"), "host = 127.0.0.1\nport = " + port + "\n");
        Files.writeString(home.resolve("etc/org.apache.felix.fileinstall-editions.cfg"), "felix.fileinstall.dir = editions\n"
                + "felix.fileinstall.filter = .*\\\\.jar\nfelix.fileinstall.bundles.new.start = true\nfelix.fileinstall.poll = 1000\n");
    }

    final Path home;
    final int port;
    final Process process;

    private RunningCloud(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
    }

    static RunningCloud start(Path home, int port) throws IOException {
        Files.deleteIfExists(home.resolve("state/cloud.port"));
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-jar", LAUNCHER.toString()));
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("cloud.log").toFile())).start();
        assertThat(p.info().command()).as("the launched process is the JVM itself")
                .hasValueSatisfying(c -> assertThat(Path.of(c).getFileName().toString()).isEqualTo("java"));
        return new RunningCloud(home, port, p);
    }

    /** Waits until /health says the API and the store are ok. */
    void awaitInService() throws Exception {
        Path portFile = home.resolve("state/cloud.port");
        await("the cloud writes state/cloud.port (see cloud.log)").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> Files.exists(portFile) || !process.isAlive());
        assertThat(process.isAlive()).as(this::log).isTrue();
        assertThat(Integer.parseInt(Files.readString(portFile).trim())).isEqualTo(port);
        try (HttpClient http = CloudTls.client(Optional.of(home.resolve("tls/cloud.pem")), Duration.ofSeconds(5))) {
            HttpRequest health = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            try {
                await("the store is in service").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions()
                        .until(() -> http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; cloud.log ends:\n" + tail(log(), 6000), e);
            }
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    }

    /** SIGTERM: the launcher's shutdown hook stops the framework, the store closes the database. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : text.substring(text.length() - chars);
    }

    String log() {
        try {
            return Files.readString(home.resolve("cloud.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
