package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.uplink.CloudTls;

/**
 * `./omamori dist --edition niigata` as a reseller runs it: three tar.gz archives whose checksums
 * hold; each is unpacked with the system's tar into a clean folder and started with nothing but
 * the JDK (`java -jar …`, `java -cp … PortalMain`): the appliance shows the edition's brand on its
 * block page, the cloud answers /health, the portal serves its sign-in page on the cloud's database.
 */
class DistributionTest {

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started.reversed()) {
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    Process start(Path dir, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile()).start();
        started.add(p);
        return p;
    }

    static List<String> jar(String jar) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-jar", jar));
        return cmd;
    }

    @Test
    void theNiigataArchivesUnpackAndEachStartsWithOnlyAJdk() throws Exception {
        Path dist = tmp.resolve("dist");
        Path key = tmp.resolve("operator/operator-ed25519.pem");
        Files.createDirectories(key.getParent());
        MakeDefinitions.keygen(tmp.resolve("operator/operator-ed25519.key"), key);
        String printed = run(tmp, java(), "-Domamori.root=" + System.getProperty("omamori.root"), "-jar", System.getProperty("omamori.cliJar"),
                "dist", "--edition", "niigata", "--out", dist.toString(), "--operator-key", key.toString());
        assertThat(printed.lines().filter(l -> l.endsWith(".tar.gz"))).hasSize(3);
        run(dist, "sha256sum", "-c", "--quiet", "SHA256SUMS");

        Path appliance = unpack(dist, "appliance");
        Path cloud = unpack(dist, "cloud");
        Path portal = unpack(dist, "portal");
        assertThat(Files.readString(appliance.resolve("keys/operator-ed25519.pem"))).isEqualTo(Files.readString(key));
        assertThat(appliance.resolve("../../operator-ed25519.key").normalize()).doesNotExist();
        try (var files = Files.walk(tmp.resolve("unpacked"))) {
            assertThat(files.map(Path::toString)).as("no private key in any archive").noneMatch(n -> n.endsWith(".key"));
        }

        // The appliance: only its ports moved off the defaults, so the test collides with nothing.
        int proxy = CloudCrashTest.freePort();
        int dns = CloudCrashTest.freePort();
        Files.writeString(appliance.resolve("etc/org.omamori.appliance.cfg"), "adminPort=0\n");
        Files.writeString(appliance.resolve("etc/org.omamori.proxy.cfg"), "listeners=explicit@127.0.0.1:" + proxy + "/lan\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(appliance.resolve("etc/org.omamori.dns.cfg"), "listen=lan=127.0.0.1:" + dns + "\n");
        start(appliance, jar("omamori-appliance.jar"));
        await("the appliance's proxy shows the block page in the edition's brand (see run.log)").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    String page = proxy(proxy, "GET http://login-bank.phish.test/ HTTP/1.1\r\nHost: login-bank.phish.test\r\nConnection: close\r\n\r\n");
                    return page.startsWith("HTTP/1.1 403") && page.contains("商工会議所サイバーセキュリティお助け隊サービス")
                            && page.contains("025-000-0000") && page.contains("#004ea2");
                });

        // The cloud, with its port chosen here; then the portal on the cloud's database.
        int port = CloudCrashTest.freePort();
        Files.writeString(cloud.resolve("etc/org.omamori.cloud.api.cfg"), "host = 127.0.0.1\nport = " + port + "\n");
        start(cloud, jar("omamori-cloud.jar"));
        await("the cloud writes state/cloud.port (see run.log)").atMost(Duration.ofSeconds(90))
                .until(() -> Files.exists(cloud.resolve("state/cloud.port")));
        try (HttpClient https = CloudTls.client(Optional.of(cloud.resolve("tls/cloud.pem")), Duration.ofSeconds(5))) {
            await("/health says ok").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                try {
                    HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }
        assertThat(Files.readString(cloud.resolve("run.log"))).contains("edition niigata").doesNotContain("FAILED COMPONENT");
        int web = CloudCrashTest.freePort();
        start(portal, List.of(java(), "-cp", "omamori-portal.jar" + java.io.File.pathSeparator + "lib/*", "org.omamori.portal.PortalMain",
                "--home", cloud.toString(), "--port", Integer.toString(web)));
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            await("the portal serves its pages (see run.log)").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }
    }

    /** Unpacks one archive with the system's tar into a clean folder and checks its own checksums and README. */
    private Path unpack(Path dist, String part) throws Exception {
        Path archive;
        try (var s = Files.list(dist)) {
            archive = s.filter(p -> p.getFileName().toString().startsWith("omamori-" + part + "-niigata-")).findFirst().orElseThrow();
        }
        Path into = Files.createDirectories(tmp.resolve("unpacked").resolve(part));
        run(into, "tar", "xzf", archive.toString());
        Path root;
        try (var s = Files.list(into)) {
            root = s.findFirst().orElseThrow();
        }
        run(root, "sha256sum", "-c", "--quiet", "SHA256SUMS");
        assertThat(Files.readString(root.resolve("README.ja.md"))).contains("新潟商工会議所", "sha256sum -c SHA256SUMS", "java ");
        assertThat(Files.readString(root.resolve("VERSION")).strip()).isNotBlank();
        return root;
    }

    private static String proxy(int port, String request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException notYet) {
            return "";
        }
    }
}
