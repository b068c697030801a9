package org.omamori.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.engine.av.clamd.ClamdDaemon;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.uplink.RecordingCloud;
import org.omamori.uplink.TestCertificates;

/**
 * Virtual appliances against the recording HTTPS cloud of bundles/spool (TLS 1.3, activation,
 * device token, events, heartbeats): events made by the real engines arrive once each;
 * silence stops heartbeats and shipping, coming back resumes them with the stored token.
 */
class VirtualApplianceToCloudTest {

    static Engines engines;

    @TempDir
    Path dir;

    @BeforeAll
    static void engines() {
        ClamdDaemon.SHARED.start();
        engines = Engines.start(Engines.sampleLists(), Engines.projectRules(), ClamdDaemon.SHARED.address());
    }

    @AfterAll
    static void close() {
        engines.close();
    }

    @Test
    void aVirtualApplianceActivatesShipsItsEventsBeatsAndFallsSilent() throws Exception {
        TestCertificates cert = TestCertificates.make(dir.resolve("certs"), "cloud", "dns:localhost,ip:127.0.0.1");
        try (RecordingCloud cloud = new RecordingCloud(cert)) {
            ApplianceSpec spec = ApplianceSpec.of("00a0de5e0001", "株式会社テスト", cloud.activationCode, TrafficProfile.standard());
            try (VirtualAppliance appliance = VirtualAppliance.start(spec, dir.resolve("appliance"), engines.pipeline(), cloud.uri(),
                    Optional.of(cert.pem()), Duration.ofMillis(300))) {
                List<Event> made = new ArrayList<>();
                for (TrafficStep step : spec.profile().once()) {
                    made.addAll(appliance.replay(step));
                }
                assertThat(made).extracting(Event::evidence).contains(Evidence.INFECTION, Evidence.MALWARE, Evidence.PHISHING);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(cloud.stored.keySet()).containsAll(made.stream().map(e -> e.id().toString()).toList());
                    assertThat(appliance.eventsAcknowledged()).isGreaterThanOrEqualTo(made.size());
                });
                assertThat(cloud.duplicates()).isEmpty();
                assertThat(cloud.stored.values()).filteredOn(e -> e.kind() == Kind.THREAT)
                        .allSatisfy(e -> assertThat(e.appliance()).isEqualTo(spec.id()));
                assertThat(appliance.eventsMade()).isEqualTo(made.size());
                assertThat(Files.exists(dir.resolve("appliance/state/uplink/device.token"))).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> beats(cloud, spec) >= 2);

                appliance.silence();
                assertThat(appliance.silent()).isTrue();
                int afterSilence = beats(cloud, spec);
                Thread.sleep(1500); // five heartbeat periods
                assertThat(beats(cloud, spec)).as("no heartbeat while silent").isEqualTo(afterSilence);
                assertThat(appliance.replay(TrafficProfile.c2Beacon())).as("an unplugged appliance inspects nothing").isEmpty();

                appliance.comeBack();
                await().atMost(Duration.ofSeconds(10)).until(() -> beats(cloud, spec) > afterSilence);
                List<Event> later = appliance.replay(TrafficProfile.phishingVisit());
                await().atMost(Duration.ofSeconds(30)).until(() -> cloud.stored.containsKey(later.get(0).id().toString()));
                assertThat(cloud.activations.get()).as("the stored device token is used after coming back").isEqualTo(1);
            }
        }
    }

    private static int beats(RecordingCloud cloud, ApplianceSpec spec) {
        synchronized (cloud.heartbeats) {
            return (int) cloud.heartbeats.stream().filter(h -> h.contains("\"appliance\":\"" + spec.id().value() + "\"")).count();
        }
    }
}
