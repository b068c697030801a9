package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.Kind;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.Pem;
import org.omamori.events.Event;
import org.omamori.events.Result;
import org.omamori.simulator.WireProbes;
import org.omamori.uplink.RecordingCloud;
import org.omamori.uplink.TestCertificates;

/**
 * The appliance end to end: traffic through its web proxy and DNS filter, events in its spool,
 * shipped over TLS 1.3 to a cloud that speaks docs/api/uplink.yaml. Proves that no byte of a body
 * leaves as an event, and that a kill -9 under load loses no event.
 */
class ApplianceIntakesTest {

    static final String MARKER = "OMAMORI-BODY-MARKER-51c0";
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    @TempDir
    Path dir;

    RecordingCloud cloud;
    HttpServer origin;
    RunningAppliance appliance;
    final AtomicInteger originRequests = new AtomicInteger();

    @BeforeAll
    static void clamd() throws Exception {
        RunningAppliance.startClamd();
    }

    @BeforeEach
    void start() throws Exception {
        TestCertificates certificates = TestCertificates.make(Files.createDirectories(dir.resolve("cloud")), "cloud",
                "dns:localhost,ip:127.0.0.1");
        cloud = new RecordingCloud(certificates, "TLSv1.3");
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getByName(RunningAppliance.ORIGIN_ADDRESS), 0), 64);
        origin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        origin.createContext("/", x -> {
            originRequests.incrementAndGet();
            x.getRequestBody().readAllBytes();
            String path = x.getRequestURI().getPath();
            byte[] body = (path.equals("/eicar.com") ? MARKER + EICAR + MARKER : "<html>" + MARKER + "</html>")
                    .getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        });
        origin.start();
        appliance = new RunningAppliance(Files.createDirectories(dir.resolve("home")));
        appliance.configure("org.omamori.uplink", "cloudUrl=" + cloud.uri() + "\n.activationCode=" + cloud.activationCode
                + "\ntrustedCertificates=" + certificates.pem() + "\nheartbeatSeconds=2\nbackoffCapMillis=2000\n");
        // The origin is on loopback: make it a "home" server so the IPS rules about attacks on our servers apply.
        appliance.configure("org.omamori.engine.ips", "rules=rules\nhomeNet=[127.0.0.0/8]\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (appliance.process != null && appliance.process.isAlive()) {
            appliance.stop();
        }
        origin.stop(0);
        cloud.close();
    }

    String originUrl(String path) {
        return "http://" + RunningAppliance.ORIGIN_ADDRESS + ":" + origin.getAddress().getPort() + path;
    }

    @Test
    void everyIntakeReportsToTheCloudAndNoByteOfABodyLeavesTheAppliance() throws Exception {
        appliance.start();

        assertThat(proxy("GET " + originUrl("/page") + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
        assertThat(proxy("GET http://login-bank.phish.test/signin HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 403");
        String notice = proxy("GET " + originUrl("/eicar.com") + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(notice).startsWith("HTTP/1.1 200").contains("無害化").doesNotContain(MARKER);
        String upload = "<?php eval($_POST['c']); // " + MARKER;
        assertThat(proxy("POST " + originUrl("/upload.php") + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + upload.length()
                + "\r\n\r\n" + upload)).startsWith("HTTP/1.1 403");
        assertThat(tlsThroughConnect("beacon.c2.test")).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31);
        byte[] dnsAnswer = dns("login-bank.phish.test");
        assertThat(dnsAnswer[3] & 0x0f).as("NOERROR with the block address").isZero();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Event> stored = new ArrayList<>(cloud.stored.values());
            assertThat(stored).anySatisfy(e -> assertThat(e.ruleId()).isEqualTo("category:phishing"));
            assertThat(stored).anySatisfy(e -> assertThat(e.result()).isEqualTo(Result.NEUTRALISE));
            assertThat(stored).anySatisfy(e -> assertThat(e.ruleId()).isEqualTo("sid:9000009"));
            assertThat(stored).anySatisfy(e -> assertThat(e.host()).isEqualTo("beacon.c2.test"));
            assertThat(stored).anySatisfy(e -> assertThat(e.dnsName()).isEqualTo("login-bank.phish.test"));
            assertThat(cloud.heartbeats).isNotEmpty();
        });
        appliance.stop();

        for (byte[] body : List.copyOf(cloud.bodies)) {
            assertThat(new String(body, StandardCharsets.ISO_8859_1)).as("on the wire to the cloud").doesNotContain(MARKER)
                    .doesNotContain("EICAR-STANDARD");
        }
        try (Stream<Path> files = Files.walk(appliance.home.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(MARKER);
            }
        }
        assertThat(appliance.log()).as("the log").doesNotContain(MARKER);
    }

    @Test
    void aSignedDefinitionsPackageIsAppliedWithoutARestartAndABadOneIsRefusedAndReported() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("operator"));
        MakeDefinitions.keygen(keys.resolve("operator.key"), appliance.home.resolve("keys/operator-ed25519.pem"));
        appliance.configure("org.omamori.definitions", "dropScanSeconds=1\n");
        appliance.start();
        String query = "/inspect?url=" + java.net.URLEncoder.encode("http://fresh-phish.itest.test/", StandardCharsets.UTF_8);
        assertThat(appliance.admin(query).lines().skip(1).findFirst().orElseThrow()).contains("\tpass\t");

        Path lists = dir.resolve("lists");
        RunningAppliance.copyTree(RunningAppliance.SAMPLE_LISTS, lists);
        Files.writeString(lists.resolve("phishing/domains"), "fresh-phish.itest.test\n", java.nio.file.StandardOpenOption.APPEND);
        java.security.PrivateKey key = Pem.readPrivate(keys.resolve("operator.key"));
        Path incoming = appliance.home.resolve("definitions/incoming");
        // Signed by another key: refused, reported, nothing changes.
        java.security.KeyPair other = MakeDefinitions.keygen(keys.resolve("other.key"), keys.resolve("other.pem"));
        MakeDefinitions.write(incoming.resolve("urlfilter-2026.1.zip"), PackageWriter.make(Kind.URLFILTER,
                PackageVersion.parse("2026.1"), java.time.Instant.now(), lists, other.getPrivate()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cloud.stored.values())
                .anySatisfy(e -> assertThat(e.ruleId()).isEqualTo("definitions:refused")));
        assertThat(appliance.admin(query).lines().skip(1).findFirst().orElseThrow()).contains("\tpass\t");
        // Signed by the operator: in force without a restart.
        long t0 = System.nanoTime();
        MakeDefinitions.write(incoming.resolve("urlfilter-2026.2.zip"), PackageWriter.make(Kind.URLFILTER,
                PackageVersion.parse("2026.2"), java.time.Instant.now(), lists, key));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(appliance.admin(query).lines().skip(1).findFirst().orElseThrow()).contains("\tblock\t"));
        System.out.printf("definitions package dropped -> in force in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cloud.stored.values())
                .anySatisfy(e -> assertThat(e.ruleId()).isEqualTo("definitions:applied")));
        // The version in force and its age, on the scrape (docs/metrics.md).
        String metrics = appliance.admin("/metrics");
        assertThat(metrics).contains("omamori_definitions_info{kind=\"urlfilter\",version=\"2026.2\"} 1\n")
                .doesNotContain("version=\"2026.1\"");
        assertThat(RuntimeMetricsTest.value(metrics, "omamori_definitions_age_seconds{kind=\"urlfilter\"}")).isBetween(0.0, 60.0);
    }

    @Test
    void aKillNineUnderLoadLosesNoEventThatWasAnswered() throws Exception {
        // The cloud is away while the load runs: events pile up in the spool.
        for (int i = 0; i < 100_000; i++) {
            cloud.failures.add(RecordingCloud.Failure.UNAVAILABLE);
        }
        appliance.start();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger blocksSeen = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        if (proxy("GET http://login-bank.phish.test/load HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 403")) {
                            blocksSeen.incrementAndGet();
                        }
                    } catch (IOException killed) {
                        return;
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> blocksSeen.get() >= 500);
        appliance.kill();
        running.set(false);
        for (Thread c : clients) {
            c.join(10_000);
        }
        int answered = blocksSeen.get();

        cloud.failures.clear();
        appliance.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cloud.stored.values().stream()
                .filter(e -> e.url().equals("http://login-bank.phish.test/load")).count()).isGreaterThanOrEqualTo(answered));
        System.out.printf("kill -9 under load: %d blocks answered before the kill, %d events stored, %d ids received twice%n",
                answered, cloud.stored.values().stream().filter(e -> e.url().endsWith("/load")).count(), cloud.duplicates().size());
    }

    /** One request through the explicit proxy; the whole answer, read until the proxy closes or the body ends. */
    String proxy(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", appliance.proxyPort)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String start = new String(head, StandardCharsets.ISO_8859_1);
            if (!start.startsWith("HTTP/1.1 200") || request.startsWith("GET " + originUrl("/eicar.com"))) {
                return start + new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            byte[] rest = new byte[8192];
            int n = in.read(rest);
            return start + new String(rest, 0, Math.max(n, 0), StandardCharsets.UTF_8);
        }
    }

    /** A real ClientHello for {@code host} through CONNECT; returns what the proxy answers after the 200. */
    byte[] tlsThroughConnect(String host) throws Exception {
        ByteBuffer hello = WireProbes.clientHello(host);
        try (Socket s = new Socket("127.0.0.1", appliance.proxyPort)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String established = new String(in.readNBytes(39), StandardCharsets.US_ASCII);
            assertThat(established).startsWith("HTTP/1.1 200");
            s.getOutputStream().write(hello.array(), 0, hello.limit());
            return in.readAllBytes();
        }
    }

    /** An A query over UDP to the appliance's DNS filter, written by hand. */
    byte[] dns(String name) throws IOException {
        byte[] q = WireProbes.dnsQuery(0x4242, name);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), appliance.dnsPort));
            DatagramPacket answer = new DatagramPacket(new byte[512], 512);
            socket.receive(answer);
            return java.util.Arrays.copyOf(answer.getData(), answer.getLength());
        }
    }
}
