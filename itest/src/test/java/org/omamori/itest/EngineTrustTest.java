package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;

/**
 * Engine bundles enter a running appliance only signed by a key its operator trusts: through
 * the deploy folder and through the admin endpoint, in a real Felix with the real appliance
 * bundle. Refused bundles leave the engines in force untouched.
 */
class EngineTrustTest {

    @TempDir
    static Path tmp;
    static Path home;
    static TestFramework fw;
    static Pipeline pipeline;
    static TestBundles.SigningKey operator;
    static TestBundles.SigningKey stranger;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        home = tmp.resolve("home");
        Files.createDirectories(home.resolve("trust"));
        Files.createDirectories(home.resolve("deploy"));
        operator = TestBundles.SigningKey.create(tmp.resolve("keys"), "operator", "Ed25519");
        stranger = TestBundles.SigningKey.create(tmp.resolve("keys"), "stranger", "Ed25519");
        Files.copy(operator.certificatePem(), home.resolve("trust/operator.pem"));

        fw = TestFramework.start(tmp.resolve("felix"), Map.of("omamori.home", home.toString()));
        fw.configure("org.omamori.appliance", Map.of("adminPort", 0));
        fw.installAndStart(TestFramework.BUNDLES.resolve("org.omamori.appliance.jar"));
        pipeline = fw.service(Pipeline.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(home.resolve("state/admin.port")));
    }

    @AfterAll
    static void stop() throws Exception {
        fw.close();
    }

    static Path exampleBundle(String version) throws Exception {
        return TestBundles.build("org.omamori.example.engine", version, "org.omamori.itest.example",
                tmp.resolve("built/example-" + version + ".jar"));
    }

    static HttpResponse<String> admin(HttpRequest.Builder request) throws Exception {
        String token = Files.readString(home.resolve("state/admin.token")).trim();
        return HTTP.send(request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI adminUri(String path) throws Exception {
        return URI.create("http://127.0.0.1:" + Files.readString(home.resolve("state/admin.port")).trim() + path);
    }

    static HttpResponse<String> upload(Path jar) throws Exception {
        return admin(HttpRequest.newBuilder(adminUri("/engines")).PUT(HttpRequest.BodyPublishers.ofFile(jar)));
    }

    static boolean exampleInForce(String version) throws Exception {
        return admin(HttpRequest.newBuilder(adminUri("/engines"))).body().lines()
                .anyMatch(line -> line.startsWith("example\t1.0.0\t") && line.endsWith("\torg.omamori.example.engine\t" + version));
    }

    static PipelineResult badBot() {
        return pipeline.inspect(InspectionRequest.http("GET", "http://shop.example.jp/").header("User-Agent", "BadBot/2.1").build());
    }

    @Test
    void aSignedEngineFromTheDeployFolderIsInstalledAndInspectsStreamedBodies() throws Exception {
        Path signed = operator.sign(exampleBundle("1.0.0"), tmp.resolve("example-signed.jar"));
        Files.copy(signed, home.resolve("deploy/example.jar.part"));
        Files.move(home.resolve("deploy/example.jar.part"), home.resolve("deploy/example.jar"));

        await().atMost(Duration.ofSeconds(30)).until(() -> exampleInForce("1.0.0"));
        assertThat(badBot().verdict().action()).isEqualTo(Action.BLOCK);
        assertThat(badBot().verdict().finding().orElseThrow().ruleId()).isEqualTo("example:attack-tool");

        // The marker arrives split across two chunks; the engine keeps only its match state.
        try (StreamingInspection download = pipeline.open(InspectionRequest.http("GET", "http://files.example.jp/a.bin").build())) {
            assertThat(download.body(Direction.RESPONSE, ascii("....OMAMORI-EXAM")).verdict().action()).isEqualTo(Action.PASS);
            PipelineResult after = download.body(Direction.RESPONSE, ascii("PLE-MALWARE...."));
            assertThat(after.verdict().action()).isEqualTo(Action.NEUTRALISE);
            assertThat(after.verdict().finding().orElseThrow().ruleId()).isEqualTo("example:marker");
        }
    }

    @Test
    void replacingAJarInTheDeployFolderUpdatesTheEngineAndDeletingItUninstallsIt() throws Exception {
        String bsn = "org.omamori.example.deployed";
        Path folder = home.resolve("deploy");
        Path v1 = operator.sign(TestBundles.build(bsn, "1.0.0", "org.omamori.itest.example", tmp.resolve("built/deployed-1.jar")),
                tmp.resolve("deployed-1-signed.jar"));
        Path v2 = operator.sign(TestBundles.build(bsn, "1.1.0", "org.omamori.itest.example", tmp.resolve("built/deployed-2.jar")),
                tmp.resolve("deployed-2-signed.jar"));

        Files.copy(v1, folder.resolve("deployed.jar.part"));
        Files.move(folder.resolve("deployed.jar.part"), folder.resolve("deployed.jar"));
        await().atMost(Duration.ofSeconds(30)).until(() -> bundleVersion(bsn).equals("1.0.0"));

        Files.copy(v2, folder.resolve("deployed.jar.part"));
        Files.move(folder.resolve("deployed.jar.part"), folder.resolve("deployed.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(30)).until(() -> bundleVersion(bsn).equals("1.1.0"));

        Files.delete(folder.resolve("deployed.jar"));
        await().atMost(Duration.ofSeconds(30)).until(() -> bundleVersion(bsn).isEmpty());
        assertThat(fw.bundle(bsn)).as("uninstalled, not just stopped").isNull();
    }

    /** The version of the bundle that runs an engine, as the admin endpoint lists it; empty when none. */
    static String bundleVersion(String symbolicName) throws Exception {
        return admin(HttpRequest.newBuilder(adminUri("/engines"))).body().lines()
                .map(line -> line.split("\t", -1))
                .filter(cells -> cells.length == 5 && cells[3].equals(symbolicName))
                .map(cells -> cells[4]).findFirst().orElse("");
    }

    @Test
    void unsignedTamperedAndUntrustedBundlesAreRefusedAndTheEnginesInForceStayUntouched() throws Exception {
        HttpResponse<String> first = upload(operator.sign(exampleBundle("1.0.0"), tmp.resolve("v1.jar")));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> exampleInForce("1.0.0"));

        Path v2 = exampleBundle("2.0.0");
        HttpResponse<String> unsigned = upload(v2);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("refused").contains("not signed");

        HttpResponse<String> untrusted = upload(stranger.sign(v2, tmp.resolve("v2-stranger.jar")));
        assertThat(untrusted.statusCode()).isEqualTo(403);
        assertThat(untrusted.body()).contains("not trusted").contains("CN=stranger");

        Path tampered = tamper(operator.sign(v2, tmp.resolve("v2-signed.jar")), tmp.resolve("v2-tampered.jar"));
        HttpResponse<String> broken = upload(tampered);
        assertThat(broken.statusCode()).isEqualTo(403);
        assertThat(broken.body()).contains("refused").containsIgnoringCase("ExampleEngine");

        assertThat(exampleInForce("1.0.0")).as("the engine in force is untouched").isTrue();
        assertThat(badBot().verdict().action()).isEqualTo(Action.BLOCK);

        HttpResponse<String> upgrade = upload(operator.sign(v2, tmp.resolve("v2-good.jar")));
        assertThat(upgrade.statusCode()).as(upgrade.body()).isEqualTo(200);
        assertThat(upgrade.body()).contains("updated").contains("2.0.0");
        await().atMost(Duration.ofSeconds(20)).until(() -> exampleInForce("2.0.0"));
    }

    @Test
    void anEngineThatThrowsIsRecordedAsAnEngineErrorAndTheRequestStillGetsAVerdict() throws Exception {
        Path faulty = TestBundles.build("org.omamori.faulty.engine", "0.0.1", "org.omamori.itest.faulty",
                tmp.resolve("built/faulty.jar"));
        HttpResponse<String> installed = upload(operator.sign(faulty, tmp.resolve("faulty-signed.jar")));
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.engines().stream().anyMatch(d -> d.id().equals("faulty")));

        PipelineResult result = pipeline.inspect(InspectionRequest.http("GET", "http://www.example.jp/").build());

        EngineResult faultyResult = result.results().stream().filter(r -> r.engine().id().equals("faulty")).findFirst().orElseThrow();
        assertThat(faultyResult.outcome()).isEqualTo(EngineResult.Outcome.ENGINE_ERROR);
        assertThat(faultyResult.error()).contains("this engine always fails");
        assertThat(result.verdict().action()).as("fail-open by default").isEqualTo(Action.PASS);

        HttpResponse<String> removed = admin(HttpRequest.newBuilder(adminUri("/engines/org.omamori.faulty.engine")).DELETE());
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.engines().stream().noneMatch(d -> d.id().equals("faulty")));
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Copies a signed jar, changing one byte of the engine's class file after signing. */
    private static Path tamper(Path signed, Path out) throws Exception {
        try (ZipFile zip = new ZipFile(signed.toFile()); OutputStream os = Files.newOutputStream(out);
             ZipOutputStream zos = new ZipOutputStream(os)) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (entry.getName().endsWith("ExampleEngine.class")) {
                    bytes[bytes.length - 1] ^= 1;
                }
                zos.putNextEntry(new ZipEntry(entry.getName()));
                zos.write(bytes);
                zos.closeEntry();
            }
        }
        return out;
    }
}
