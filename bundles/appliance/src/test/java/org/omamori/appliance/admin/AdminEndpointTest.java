package org.omamori.appliance.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.appliance.deploy.DeployStatus;
import org.omamori.appliance.install.EngineInstallation;
import org.omamori.appliance.install.HostedBundle;
import org.omamori.appliance.install.InstallOutcome;
import org.omamori.appliance.install.Origin;
import org.omamori.appliance.install.RunningEngine;
import org.omamori.appliance.install.UninstallOutcome;
import org.omamori.appliance.trust.Signer;
import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.HealthReport;
import org.omamori.metrics.Meters;

class AdminEndpointTest {

    private static final long LIMIT = 4096;

    @TempDir
    Path work;
    Path state;
    AdminEndpoint endpoint;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> installed = new ArrayList<>();

    /** Installs what starts with "PK", refuses the rest; uninstalls only org.example.*. */
    final EngineInstallation installation = new EngineInstallation() {
        @Override
        public InstallOutcome install(Path jar, Origin origin) {
            try {
                String content = Files.readString(jar);
                installed.add(content);
                return content.startsWith("PK")
                        ? new InstallOutcome.Installed("org.example.av", "1.0.0", new Signer("CN=operator", "AA:BB"))
                        : new InstallOutcome.Refused("not a jar (zip) file: zip END header not found");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public UninstallOutcome uninstall(String symbolicName) {
            if (symbolicName.equals("org.omamori.inspection")) {
                return new UninstallOutcome.Forbidden(symbolicName, "bundle org.omamori.inspection is a platform bundle");
            }
            return symbolicName.equals("org.example.av") ? new UninstallOutcome.Uninstalled(symbolicName, "1.0.0")
                    : new UninstallOutcome.NotInstalled(symbolicName);
        }

        @Override
        public List<HostedBundle> installedByAppliance() {
            return List.of();
        }
    };

    @BeforeEach
    void start() throws Exception {
        state = work.resolve("state");
        List<RunningEngine> engines = List.of(
                new RunningEngine("urlfilter", "1.0.0", List.of("url-filtering"), "org.omamori.engine.urlfilter", "0.1.0.SNAPSHOT"),
                new RunningEngine("av", "2.3.0", List.of("antivirus", "ips"), "org.example.av", "2.3.0"));
        DeployStatus deploy = new DeployStatus(work.resolve("deploy"), List.of(
                new DeployStatus.FileStatus("av.jar", DeployStatus.State.INSTALLED, "org.example.av", "2.3.0", "installed"),
                new DeployStatus.FileStatus("evil.jar", DeployStatus.State.REFUSED, "", "", "the jar is not signed")));
        endpoint = AdminEndpoint.start(new AdminEndpoint.Settings(0, state, LIMIT), installation, () -> engines, () -> deploy);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void theTokenFileIsReadableByTheOwnerOnlyAndThePortIsWrittenNextToIt() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("admin.token")))).isEqualTo("rw-------");
        assertThat(token()).matches("[0-9a-f]{64}");
        assertThat(Files.readString(state.resolve("admin.port")).trim()).isEqualTo(String.valueOf(endpoint.port()));
    }

    @Test
    void aRequestWithoutTokenIsUnauthorized() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/engines")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"omamori-appliance\"");
    }

    @Test
    void aRequestWithAWrongTokenIsUnauthorizedEvenForUnknownPaths() throws Exception {
        String wrong = "0".repeat(64);
        assertThat(send(HttpRequest.newBuilder(uri("/engines")), wrong).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/nothing-here")), wrong).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/engines")), token() + "0").statusCode()).isEqualTo(401);
    }

    @Test
    void metricsAndHealthNeedTheTokenAndAnswer503UntilTheRuntimeIsObserved() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/metrics")), "0".repeat(64)).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/metrics")), token()).statusCode()).isEqualTo(503);
        assertThat(send(HttpRequest.newBuilder(uri("/health")), token()).statusCode()).isEqualTo(503);
    }

    @Test
    void getMetricsIsThePrometheusScrape() throws Exception {
        Meters meters = Meters.isolated();
        meters.counter("omamori.test.requests", "test requests").add(5);
        endpoint.observeWith(meters, () -> HealthReport.of(List.of()));

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/metrics")), token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("omamori_test_requests_total 5.0");
    }

    @Test
    void getHealthNamesEachCheckAndAnswers503WhenAnEssentialOneFails() throws Exception {
        boolean[] clamdUp = {true};
        HealthCheck clamd = new HealthCheck() {
            public String name() {
                return "clamd";
            }

            public boolean essential() {
                return true;
            }

            public Health check() {
                return clamdUp[0] ? Health.ok() : Health.degraded("clamd at /run/clamd.sock does not answer PING");
            }
        };
        endpoint.observeWith(Meters.isolated(), () -> HealthReport.of(List.of(clamd))
                .with("uplink", false, Health.degraded("off: no cloudUrl")));

        HttpResponse<String> ok = send(HttpRequest.newBuilder(uri("/health")), token());
        clamdUp[0] = false;
        HttpResponse<String> down = send(HttpRequest.newBuilder(uri("/health")), token());

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("check\tstate\tessential\treason\nuplink\tdegraded\tno\toff: no cloudUrl\nclamd\tok\tyes\t\n");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("clamd\tdegraded\tyes\tclamd at /run/clamd.sock does not answer PING\n");
    }

    @Test
    void getEnginesListsTheRunningEnginesAsTabSeparatedValues() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/engines")), token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/tab-separated-values; charset=utf-8");
        assertThat(response.body()).isEqualTo("""
                engine\tversion\tfunctions\tbundle\tbundle-version
                av\t2.3.0\tantivirus,ips\torg.example.av\t2.3.0
                urlfilter\t1.0.0\turl-filtering\torg.omamori.engine.urlfilter\t0.1.0.SNAPSHOT
                """);
    }

    @Test
    void putEnginesInstallsTheUploadedJar() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/engines"))
                .PUT(HttpRequest.BodyPublishers.ofString("PK\u0003\u0004 a jar")), token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("installed and started org.example.av 1.0.0").endsWith("\n").hasLineCount(1);
        assertThat(installed).containsExactly("PK\u0003\u0004 a jar");
    }

    @Test
    void aRefusedUploadIsForbiddenWithTheReason() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/engines"))
                .PUT(HttpRequest.BodyPublishers.ofString("<html>")), token());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("refused: not a jar");
    }

    @Test
    void anOversizeUploadIsRefusedWithoutReachingTheInstaller() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/engines"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) LIMIT + 1])), token());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("over the limit of 4096 bytes");
        assertThat(installed).isEmpty();
    }

    @Test
    void anOversizeUploadWithoutContentLengthIsCutOff() throws Exception {
        // A streamed body has no Content-Length: the limit is enforced while reading.
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/engines"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[(int) LIMIT * 2]))), token());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(installed).isEmpty();
    }

    @Test
    void anEmptyUploadIsABadRequest() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/engines")).PUT(HttpRequest.BodyPublishers.noBody()), token());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("empty body");
    }

    @Test
    void deleteAnswersUninstalledNotInstalledOrForbidden() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/engines/org.example.av")).DELETE(), token()).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/engines/org.example.gone")).DELETE(), token()).statusCode()).isEqualTo(404);
        HttpResponse<String> platform = send(HttpRequest.newBuilder(uri("/engines/org.omamori.inspection")).DELETE(), token());
        assertThat(platform.statusCode()).isEqualTo(403);
        assertThat(platform.body()).contains("platform bundle");
        assertThat(send(HttpRequest.newBuilder(uri("/engines/..%2F..")).DELETE(), token()).statusCode()).isEqualTo(400);
    }

    @Test
    void getDeployShowsEachFileWithItsStateAndReason() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/deploy")), token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("""
                file\tstate\tbundle\tversion\tdetail
                av.jar\tinstalled\torg.example.av\t2.3.0\tinstalled
                evil.jar\trefused\t\t\tthe jar is not signed
                """);
    }

    @Test
    void unknownPathsAndMethodsSayWhatExists() throws Exception {
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/bundles")), token());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("GET /engines");

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri("/deploy")).DELETE(), token());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void closingRemovesTheTokenFile() {
        endpoint.close();

        assertThat(state.resolve("admin.token")).doesNotExist();
    }

    private String token() throws Exception {
        return Files.readString(state.resolve("admin.token")).trim();
    }

    @Test
    void inspectRunsAUrlThroughThePipelineAndRefusesWhatIsNotAnHttpUrl() throws Exception {
        HttpResponse<String> before = send(HttpRequest.newBuilder(uri("/inspect?url=http%3A%2F%2Fx.test%2F")), token());
        assertThat(before.statusCode()).isEqualTo(503);

        var phishing = new org.omamori.api.engine.Finding("category:phishing", "フィッシング詐欺 / Phishing",
                org.omamori.api.engine.Level.HIGH, 100);
        var urlfilter = new org.omamori.api.engine.EngineDescriptor("urlfilter", "1.0",
                java.util.Set.of(org.omamori.api.engine.SecurityFunction.URL_FILTERING));
        List<String> asked = new ArrayList<>();
        endpoint.inspectWith(new org.omamori.api.pipeline.Pipeline() {
            public org.omamori.api.pipeline.PipelineResult inspect(org.omamori.api.engine.InspectionRequest request) {
                asked.add(request.method() + " " + request.url() + " host=" + request.host());
                var verdict = org.omamori.api.engine.Verdict.block(phishing);
                return new org.omamori.api.pipeline.PipelineResult(verdict, List.of(new org.omamori.api.pipeline.EngineResult(
                        urlfilter, org.omamori.api.pipeline.EngineResult.Outcome.DECIDED, verdict, "", java.time.Duration.ZERO)));
            }

            public org.omamori.api.pipeline.StreamingInspection open(org.omamori.api.engine.InspectionRequest request) {
                throw new UnsupportedOperationException();
            }

            public List<org.omamori.api.engine.EngineDescriptor> engines() {
                return List.of(urlfilter);
            }
        });

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/inspect?url=http%3A%2F%2Flogin.phish.test%2Fa%3Fb%3D1")), token());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(asked).containsExactly("GET http://login.phish.test/a?b=1 host=login.phish.test");
        assertThat(response.body().split("\n")).containsExactly(
                "engine\toutcome\taction\trule\tname\tlevel\tnote",
                "*\tmerged\tblock\tcategory:phishing\tフィッシング詐欺 / Phishing\thigh\t",
                "urlfilter\tdecided\tblock\tcategory:phishing\tフィッシング詐欺 / Phishing\thigh\t");
        assertThat(send(HttpRequest.newBuilder(uri("/inspect?url=file%3A%2F%2F%2Fetc%2Fpasswd")), token()).statusCode()).isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(uri("/inspect")), token()).statusCode()).isEqualTo(400);
    }

    @Test
    void inspectAcceptsOnlyIpLiteralsForClientAndServerSoNoRequestCanTriggerALookup() {
        assertThat(AdminEndpoint.ipLiteral("192.168.1.10").getHostAddress()).isEqualTo("192.168.1.10");
        assertThat(AdminEndpoint.ipLiteral("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        for (String bad : List.of("999.1.1.1", "example.jp", "1.2.3", "localhost", "::g")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AdminEndpoint.ipLiteral(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address literal");
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + endpoint.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
