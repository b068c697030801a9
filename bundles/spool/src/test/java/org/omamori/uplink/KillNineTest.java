package org.omamori.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.EventId;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.spool.SpoolWriterMain;
import org.omamori.spool.TestEvents;

/**
 * A child JVM publishes to a spool as fast as it can and is killed with SIGKILL under load;
 * a new spool on the same folder, with an uplink, must deliver every event whose publish()
 * had returned, exactly once.
 */
class KillNineTest {

    @TempDir
    Path dir;

    @Test
    void everyEventPublishedBeforeAKillIsDeliveredExactlyOnce() throws Exception {
        Path spoolDir = dir.resolve("state/spool");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                SpoolWriterMain.class.getName(), spoolDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> reported = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    reported.add(line);
                }
            } catch (java.io.IOException e) {
                // the child is gone
            }
        });
        reader.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> reported.size() >= 20 || !child.isAlive());
        assertThat(child.isAlive()).as("the writer runs until killed").isTrue();
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);

        // A last line cut by the kill is not a whole id: only whole ids were surely printed after publish returned.
        List<String> whole = reported.stream().filter(l -> l.length() == 36).toList();
        EventId last = EventId.parse(whole.get(whole.size() - 1));
        long published = whole.size() * 1000L;

        TestCertificates certificate = TestCertificates.make(dir.resolve("certs"), "cloud", "dns:localhost,ip:127.0.0.1");
        long started = System.nanoTime();
        try (RecordingCloud cloud = new RecordingCloud(certificate);
                Spool spool = Spool.open(SpoolSettings.in(spoolDir), new TestEvents().factory())) {
            long recovered = spool.counters().pending();
            long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            UplinkSettings settings = UplinkSettings.of(cloud.uri(), TestEvents.APPLIANCE, cloud.activationCode,
                    Optional.of(certificate.pem()), dir.resolve("state/uplink/device.token"), "test")
                    .withBatch(1000, 4L << 20).withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
            long sendStart = System.nanoTime();
            try (Uplink uplink = new Uplink(settings, spool,
                    new CloudClient(CloudTls.client(settings.trustedCertificates(), settings.requestTimeout()), settings.cloud(),
                            settings.requestTimeout()), Map::of, Clock.systemUTC())) {
                uplink.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> spool.counters().pending() == 0);
            }
            long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sendStart);
            System.out.printf("kill -9: %d events reported published, %d recovered in %d ms, delivered in %d ms%n",
                    published, recovered, recoveryMillis, sendMillis);

            assertThat(cloud.duplicates()).as("no event delivered twice").isEmpty();
            long deliveredUpToLast = cloud.stored.keySet().stream().map(EventId::parse).filter(id -> id.compareTo(last) <= 0).count();
            assertThat(deliveredUpToLast).as("every event published before the kill").isEqualTo(published);
            assertThat(cloud.stored).containsKey(last.toString());
        }
    }
}
