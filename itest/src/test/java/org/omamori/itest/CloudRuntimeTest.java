package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.uplink.CloudTls;

/**
 * The exported cloud runtime (distribution/cloud) starts from its jar in a fresh home, makes its
 * self-signed certificate, and answers GET /health over TLS 1.3 with the component states.
 */
class CloudRuntimeTest {

    static final Path LAUNCHER = Path.of(System.getProperty("omamori.cloudJar"));

    @TempDir
    Path home;

    @Test
    void theCloudRuntimeStartsAndAnswersHealthOverTls13() throws Exception {
        assertThat(LAUNCHER).as("build distribution/cloud first").isRegularFile();
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.omamori.cloud.api.cfg"), "host = 127.0.0.1\nport = 0\n");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-jar", LAUNCHER.toString()));
        Process cloud = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("cloud.log").toFile()).start();
        try {
            Path portFile = home.resolve("state/cloud.port");
            await("the cloud writes state/cloud.port (see cloud.log)").atMost(Duration.ofSeconds(90))
                    .until(() -> Files.exists(portFile) || !cloud.isAlive());
            assertThat(cloud.isAlive()).as(() -> log()).isTrue();
            int port = Integer.parseInt(Files.readString(portFile).trim());
            assertThat(home.resolve("tls/cloud.pem")).isRegularFile();

            // The appliances' client: TLS 1.3 only, the cloud's PEM trusted, the host name checked.
            try (HttpClient http = CloudTls.client(Optional.of(home.resolve("tls/cloud.pem")), Duration.ofSeconds(10))) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health"))
                        .timeout(Duration.ofSeconds(10)).build();
                // The store comes up after the API (H2 in the home, migrated at start): then everything is ok.
                await("the store is in service (see cloud.log)").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                HttpResponse<String> health = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"http\":\"ok\"").contains("\"store\":\"ok\"");
                assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            }
        } finally {
            cloud.destroy();
            cloud.waitFor();
        }
    }

    private String log() {
        try {
            return Files.readString(home.resolve("cloud.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
