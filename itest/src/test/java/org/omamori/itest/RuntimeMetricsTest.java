package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.simulator.WireProbes;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.uplink.CloudTls;
import org.omamori.uplink.RecordingCloud;
import org.omamori.uplink.TestCertificates;

/**
 * The metrics and health endpoints of both exported runtimes (docs/metrics.md), scraped for real:
 * the series move with the traffic that passes, the appliance's need its admin token, and the
 * health endpoints name each check.
 */
class RuntimeMetricsTest {

    static final byte[] PAGE = "<html>metrics itest</html>".repeat(100).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void theAppliancesSeriesMoveWithItsTrafficAndItsHealthNamesEachCheck() throws Exception {
        RunningAppliance.startClamd();
        TestCertificates certificates = TestCertificates.make(Files.createDirectories(dir.resolve("cloud")), "cloud",
                "dns:localhost,ip:127.0.0.1");
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getByName(RunningAppliance.ORIGIN_ADDRESS), 0), 16);
        origin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        origin.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(200, PAGE.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(PAGE);
            }
        });
        origin.start();
        RunningAppliance appliance = new RunningAppliance(Files.createDirectories(dir.resolve("home")));
        try (RecordingCloud cloud = new RecordingCloud(certificates, "TLSv1.3")) {
            appliance.configure("org.omamori.uplink", "cloudUrl=" + cloud.uri() + "\n.activationCode=" + cloud.activationCode
                    + "\ntrustedCertificates=" + certificates.pem() + "\nheartbeatSeconds=2\nbackoffCapMillis=2000\n");
            appliance.start();
            String before = appliance.admin("/metrics");

            String page = "http://" + RunningAppliance.ORIGIN_ADDRESS + ":" + origin.getAddress().getPort() + "/page";
            assertThat(proxy(appliance, "GET " + page + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(proxy(appliance, "GET http://login-bank.phish.test/signin HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 403");
            dns(appliance, "login-bank.phish.test");

            String after = appliance.admin("/metrics");
            assertThat(rise(before, after, "omamori_proxy_bytes_total{direction=\"downstream\"}")).isGreaterThanOrEqualTo(PAGE.length);
            assertThat(rise(before, after, "omamori_proxy_connections_total")).isGreaterThanOrEqualTo(2);
            assertThat(rise(before, after,
                    "omamori_inspection_verdicts_total{action=\"block\",engine=\"urlfilter\",function=\"url-filtering\"}")).isGreaterThanOrEqualTo(1);
            assertThat(rise(before, after, "omamori_dns_queries_total")).isEqualTo(1);
            assertThat(rise(before, after, "omamori_dns_blocked_total")).isEqualTo(1);
            assertThat(after).contains("omamori_inspection_engine_duration_seconds_bucket{engine=\"av-clamav\"")
                    .contains("omamori_clamd_up 1.0").contains("jvm_memory_used_bytes");
            await("the events reach the cloud").atMost(Duration.ofSeconds(30))
                    .until(() -> value(appliance.admin("/metrics"), "omamori_uplink_events_sent_total") >= 2);

            await("the uplink is delivering").atMost(Duration.ofSeconds(30))
                    .until(() -> appliance.admin("/health").contains("uplink\tok\tno\t"));
            String health = appliance.admin("/health");
            assertThat(health.lines()).first().isEqualTo("check\tstate\tessential\treason");
            assertThat(health).contains("engines\tok\tyes\t\n").contains("clamd\tok\tyes\t\n").contains("spool\tok\tno\t\n");

            assertThat(adminStatus(appliance, "/metrics", "0".repeat(64))).isEqualTo(401);
            assertThat(adminStatus(appliance, "/health", null)).isEqualTo(401);
        } finally {
            appliance.stop();
            origin.stop(0);
        }
    }

    @Test
    void theCloudsIngestSeriesMoveOnItsOwnPortAndItsHealthNamesEachComponent() throws Exception {
        Path home = dir.resolve("cloud-home");
        int port = CloudCrashTest.freePort();
        RunningCloud.configure(home, port);
        Files.writeString(home.resolve("etc/org.omamori.cloud.metrics.cfg"), "host = 127.0.0.1\nport = 0\n");
        ApplianceId id = new ApplianceId("0e0000000077");
        String code;
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("商工会議所"), "株式会社メトリクス");
            code = store.tenants().registerAppliance(customer, id, "本社");
        }
        RunningCloud cloud = RunningCloud.start(home, port);
        try {
            cloud.awaitInService();
            Path metricsPort = home.resolve("state/metrics.port");
            await("state/metrics.port").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(metricsPort));
            URI scrape = URI.create("http://127.0.0.1:" + Files.readString(metricsPort).trim() + "/metrics");
            HttpClient plain = HttpClient.newHttpClient();
            String high = "omamori_cloud_alerts_total{grade=\"high\"}";
            String sendMailRuns = "omamori_cloud_job_runs_total{job=\"send-mail\",result=\"success\"}";
            await("the scheduler ran its first jobs").atMost(Duration.ofSeconds(60))
                    .until(() -> value(get(plain, scrape).body(), sendMailRuns) >= 1);
            String before = get(plain, scrape).body();

            try (CloudCrashTest.SimulatedAppliance appliance = CloudCrashTest.SimulatedAppliance.start(dir.resolve("appliance"), id, code,
                    URI.create("https://localhost:" + port + "/"), home.resolve("tls/cloud.pem"), new CloudCrashTest.AnswerCounter())) {
                appliance.spool.publish(List.of(appliance.threat(1), appliance.access(2), appliance.access(3), infection(appliance)));
                await("the batch is counted").atMost(Duration.ofSeconds(60)).until(() ->
                        value(get(plain, scrape).body(), "omamori_cloud_ingest_events_total{result=\"stored\"}") >= 4);
                await("a heartbeat (every 5 s) is recorded").atMost(Duration.ofSeconds(30))
                        .until(() -> rise(before, get(plain, scrape).body(), "omamori_cloud_heartbeats_total") >= 1);
            }
            await("a job ran again (send-mail, every 10 s)").atMost(Duration.ofSeconds(60))
                    .until(() -> rise(before, get(plain, scrape).body(), sendMailRuns) >= 1);
            HttpResponse<String> metrics = get(plain, scrape);
            String after = metrics.body();
            assertThat(rise(before, after, high)).as("the ★★★ infection opened one alert").isEqualTo(1);
            assertThat(rise(before, after, "omamori_cloud_alerts_total{grade=\"low\"}")).as("the ★☆☆ phishing block").isEqualTo(1);
            assertThat(value(after, "omamori_cloud_grading_duration_seconds_count")).isGreaterThanOrEqualTo(1);
            assertThat(after).contains("omamori_cloud_outbox_pending ").contains("omamori_cloud_outbox_oldest_pending_seconds ")
                    .contains("omamori_cloud_job_duration_seconds_count{job=\"liveness\"}");
            await("the appliance counts as online (readings are kept 10 s)").atMost(Duration.ofSeconds(30))
                    .until(() -> value(get(plain, scrape).body(), "omamori_cloud_appliances{state=\"online\"}") == 1);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(value(metrics.body(), "omamori_cloud_ingest_batches_total")).isGreaterThanOrEqualTo(1);
            assertThat(metrics.body()).contains("omamori_cloud_ingest_duration_seconds_count").contains("omamori_cloud_heartbeats_total");

            try (HttpClient https = CloudTls.client(Optional.of(home.resolve("tls/cloud.pem")), Duration.ofSeconds(10))) {
                HttpResponse<String> health = get(https, URI.create("https://localhost:" + port + "/health"));
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                assertThat(health.body()).contains("\"http\":\"ok\"").contains("\"store\":\"ok\"")
                        .contains("\"mail\":\"ok\"").contains("\"scheduler\":\"ok\"");
                assertThat(get(https, URI.create("https://localhost:" + port + "/metrics")).statusCode())
                        .as("the scrape is not on the API's port").isEqualTo(404);
            }
        } finally {
            cloud.stop();
        }
    }

    /** A C2 beacon the IPS blocked: ★★★ in the standard star table (rule c2-communication). */
    static Event infection(CloudCrashTest.SimulatedAppliance a) {
        return new Event(a.ids.next(), a.id, Instant.now(), Kind.THREAT, ZonePair.LAN_TO_WAN, a.client, 40_001, a.server, 443,
                Optional.empty(), "evil-c2.example", "https://evil-c2.example/", "", new SecurityFunction("ips"), "ips-hyperscan", "1.0.0",
                "sid:9000012", "C2 beacon", Result.BLOCK, Level.HIGH, 90, Evidence.INFECTION, "");
    }

    static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int adminStatus(RunningAppliance appliance, String path, String token) throws Exception {
        String port = Files.readString(appliance.home.resolve("state/admin.port")).trim();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** One request through the explicit proxy with Connection: close; the whole answer, so every byte has passed. */
    static String proxy(RunningAppliance appliance, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", appliance.proxyPort)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static void dns(RunningAppliance appliance, String name) throws Exception {
        byte[] q = WireProbes.dnsQuery(0x4243, name);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), appliance.dnsPort));
            socket.receive(new DatagramPacket(new byte[512], 512));
        }
    }

    static double rise(String before, String after, String sample) {
        return value(after, sample) - value(before, sample);
    }

    /** A sample's value in a scrape; 0 when it is not there. */
    static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
