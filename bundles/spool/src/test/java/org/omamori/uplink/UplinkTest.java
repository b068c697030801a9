package org.omamori.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.Event;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.spool.TestEvents;

class UplinkTest {

    static TestCertificates cloudCert;
    static TestCertificates otherCert;
    static TestCertificates wrongNameCert;

    @TempDir
    static Path certs;

    @TempDir
    Path dir;

    final TestEvents events = new TestEvents();
    RecordingCloud cloud;
    Spool spool;
    Uplink uplink;

    @BeforeAll
    static void certificates() throws Exception {
        cloudCert = TestCertificates.make(certs, "cloud", "dns:localhost,ip:127.0.0.1");
        otherCert = TestCertificates.make(certs, "other", "dns:localhost,ip:127.0.0.1");
        wrongNameCert = TestCertificates.make(certs, "wrong-name", "dns:cloud.example.jp");
    }

    @AfterEach
    void stop() {
        if (uplink != null) {
            uplink.close();
        }
        if (spool != null) {
            spool.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    UplinkSettings settings(Path trusted) {
        return UplinkSettings.of(cloud.uri(), TestEvents.APPLIANCE, cloud.activationCode, Optional.of(trusted),
                        dir.resolve("state/uplink/device.token"), "1.2.3")
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withRequestTimeout(Duration.ofSeconds(2))
                .withHeartbeatInterval(Duration.ofMillis(200));
    }

    void start(UplinkSettings settings, Map<String, String> definitions) throws Exception {
        spool = Spool.open(SpoolSettings.in(dir.resolve("state/spool")), events.factory());
        uplink = new Uplink(settings, spool,
                new CloudClient(CloudTls.client(settings.trustedCertificates(), settings.requestTimeout()), settings.cloud(),
                        settings.requestTimeout()),
                () -> definitions, Clock.systemUTC());
        uplink.start();
    }

    @Test
    void activationStoresTheTokenWithMode600NeverLogsItAndEventsArrive() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(err, captured), true));
        try {
            start(settings(cloudCert.pem()), Map.of());
            List<Event> sent = events.mixed(1200);
            spool.publish(sent);
            await().atMost(Duration.ofSeconds(20)).until(() -> cloud.stored.size() == sent.size() && spool.counters().pending() == 0);
        } finally {
            System.setErr(err);
        }
        Path token = dir.resolve("state/uplink/device.token");
        assertThat(Files.readString(token).trim()).isEqualTo(cloud.token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(cloud.activations.get()).isEqualTo(1);
        assertThat(cloud.duplicates()).isEmpty();
        String log = captured.toString();
        assertThat(log).contains("activated").doesNotContain(cloud.token).doesNotContain(cloud.activationCode);
    }

    @Test
    void aStoredTokenIsUsedWithoutActivating() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        DeviceToken.of(cloud.token).save(dir.resolve("state/uplink/device.token"));
        start(settings(cloudCert.pem()), Map.of());
        spool.publish(events.threats(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> cloud.stored.size() == 3);
        assertThat(cloud.activations.get()).isZero();
    }

    @Test
    void aCloudOfferingOnlyTls12IsRefusedAndGetsNothing() throws Exception {
        cloud = new RecordingCloud(cloudCert, "TLSv1.2");
        start(settings(cloudCert.pem()), Map.of());
        spool.publish(events.threats(3));
        Thread.sleep(1500);
        assertThat(cloud.requests.get()).isZero();
        assertThat(spool.counters().pending()).isEqualTo(3);
        assertThat(dir.resolve("state/uplink/device.token")).doesNotExist();
    }

    @Test
    void aCloudWithAnUntrustedCertificateIsRefusedAndGetsNothing() throws Exception {
        cloud = new RecordingCloud(otherCert);
        start(settings(cloudCert.pem()), Map.of());
        spool.publish(events.threats(3));
        Thread.sleep(1500);
        assertThat(cloud.requests.get()).isZero();
        assertThat(spool.counters().pending()).isEqualTo(3);
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() throws Exception {
        cloud = new RecordingCloud(wrongNameCert);
        start(settings(wrongNameCert.pem()), Map.of());
        spool.publish(events.threats(3));
        Thread.sleep(1500);
        assertThat(cloud.requests.get()).isZero();
    }

    @Test
    void unavailableSlowAndDroppedAnswersAreRetriedWithBackoffAndNothingIsLost() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        DeviceToken.of(cloud.token).save(dir.resolve("state/uplink/device.token"));
        cloud.failures.add(RecordingCloud.Failure.UNAVAILABLE);
        cloud.failures.add(RecordingCloud.Failure.UNAVAILABLE);
        cloud.failures.add(RecordingCloud.Failure.DROP);
        cloud.failures.add(RecordingCloud.Failure.SLOW);
        cloud.failures.add(RecordingCloud.Failure.UNAVAILABLE);
        start(settings(cloudCert.pem()), Map.of());
        List<Event> sent = events.mixed(50);
        spool.publish(sent);
        await().atMost(Duration.ofSeconds(30)).until(() -> cloud.stored.size() == 50 && spool.counters().pending() == 0);
        assertThat(cloud.eventRequests.get()).isGreaterThanOrEqualTo(6);
        assertThat(cloud.stored.keySet()).containsExactlyInAnyOrderElementsOf(sent.stream().map(e -> e.id().toString()).toList());
    }

    @Test
    void closingWhileARequestIsInFlightWarnsOfNothing() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        DeviceToken.of(cloud.token).save(dir.resolve("state/uplink/device.token"));
        cloud.slowFor = Duration.ofSeconds(5);
        cloud.failures.add(RecordingCloud.Failure.SLOW);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(err, captured), true));
        try {
            start(settings(cloudCert.pem()), Map.of());
            spool.publish(events.threats(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> cloud.eventRequests.get() == 1);
            Thread.sleep(100); // the request is waiting for the slow answer
            uplink.close();
            uplink = null;
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString()).doesNotContain("WARN");
        assertThat(spool.counters().pending()).as("nothing acknowledged, nothing lost").isEqualTo(3);
    }

    @Test
    void theCloudReceivesTheStoredBytesInTheOldWireFormat() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        DeviceToken.of(cloud.token).save(dir.resolve("state/uplink/device.token"));
        List<Event> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sent.add(events.access("https://例え.jp/検索?q=\"" + i + "\"&p=\\x", "ニュース", "é " + i));
        }
        start(settings(cloudCert.pem()), Map.of());
        spool.publish(sent);
        await().atMost(Duration.ofSeconds(10)).until(() -> cloud.stored.size() == sent.size() && spool.counters().pending() == 0);
        assertThat(cloud.bodies).singleElement().satisfies(body ->
                assertThat(body).as("byte for byte what encoding each event gave before").isEqualTo(StoredBodyTest.encodedAgain(sent)));
        assertThat(cloud.stored.values()).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aStoredEventGoesToTheCloudAsStoredNotEncodedAgain() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        DeviceToken.of(cloud.token).save(dir.resolve("state/uplink/device.token"));
        Event e = events.threat();
        // The same event as another encoder (or another version) could have stored it: a space, an escaped letter.
        String stored = "{ " + new String(org.omamori.events.EventCodec.toJson(e), java.nio.charset.StandardCharsets.UTF_8)
                .substring(1).replace("\"host\":\"evil.example\"", "\"host\":\"\\u0065vil.example\"");
        byte[] payload = stored.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(8 + payload.length);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(java.nio.ByteBuffer.allocate(4).putInt(payload.length).array());
        crc.update(payload);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        Files.createDirectories(dir.resolve("state/spool"));
        Files.write(dir.resolve("state/spool/threat-00000000000000000001.seg"), frame.array());

        start(settings(cloudCert.pem()), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> cloud.stored.size() == 1 && spool.counters().pending() == 0);
        assertThat(cloud.stored.get(e.id().toString())).isEqualTo(e);
        assertThat(new String(cloud.bodies.get(0), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"appliance\":\"" + TestEvents.APPLIANCE.value() + "\",\"events\":[" + stored + "]}");
    }

    @Test
    void backoffCeilingDoublesUpToTheCapWithFullJitter() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] ceilings = new long[6];
        for (int i = 0; i < ceilings.length; i++) {
            ceilings[i] = backoff.ceiling().toMillis();
            assertThat(backoff.next().toMillis()).isBetween(0L, ceilings[i]);
        }
        assertThat(ceilings).containsExactly(100, 200, 400, 800, 1000, 1000);
        backoff.reset();
        assertThat(backoff.ceiling()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aBatchTheCloudRefusesAsInvalidIsSetAsideAndRecorded() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        DeviceToken.of(cloud.token).save(dir.resolve("state/uplink/device.token"));
        cloud.failures.add(RecordingCloud.Failure.INVALID);
        start(settings(cloudCert.pem()), Map.of());
        List<Event> refused = events.threats(5);
        spool.publish(refused);
        await().atMost(Duration.ofSeconds(10)).until(() -> cloud.stored.values().stream()
                .anyMatch(e -> e.ruleId().equals(Spool.QUARANTINED)));
        Path file = dir.resolve("state/spool/quarantine/" + refused.get(0).id() + ".json");
        assertThat(file).exists();
        assertThat(Files.readString(file)).contains(refused.get(4).id().toString(), "HTTP 422");
        List<Event> later = events.threats(2);
        spool.publish(later);
        await().atMost(Duration.ofSeconds(10)).until(() -> cloud.stored.keySet().containsAll(later.stream().map(e -> e.id().toString()).toList()));
        assertThat(spool.counters().quarantined()).isEqualTo(5);
    }

    @Test
    void theHeartbeatCarriesVersionsDefinitionsAndCounters() throws Exception {
        cloud = new RecordingCloud(cloudCert);
        start(settings(cloudCert.pem()), Map.of("ips", "2026.11.23.1", "urlfilter", "ut1-20261120"));
        spool.publish(events.mixed(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> cloud.heartbeats.stream().anyMatch(h -> h.contains("\"sent\":20,")));
        String beat = cloud.heartbeats.stream().filter(h -> h.contains("\"sent\":20,")).findFirst().orElseThrow();
        assertThat(beat).contains("\"appliance\":\"00a0de123456\"", "\"firmwareVersion\":\"1.2.3\"", "\"java\":\"",
                "\"definitions\":{\"ips\":\"2026.11.23.1\",\"urlfilter\":\"ut1-20261120\"}", "\"spooled\":20", "\"dropped\":0",
                "\"pending\":0", "\"spoolBytes\":", "\"lastSuccess\":\"20");
    }

    /** Writes to two streams: the log stays visible while the test reads it. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
