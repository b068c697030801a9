package org.omamori.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.av.clamd.ClamdDaemon;
import org.omamori.events.Event;
import org.omamori.uplink.RecordingCloud;
import org.omamori.uplink.TestCertificates;

/** A handful of virtual appliances of two customers, paced, against the recording HTTPS cloud. */
class SimulatorTest {

    @TempDir
    Path dir;

    @Test
    void appliancesOfTwoCustomersSendATrickleOfRealEventsAndOneGoesSilent() throws Exception {
        ClamdDaemon.SHARED.start();
        TestCertificates cert = TestCertificates.make(dir.resolve("certs"), "cloud", "dns:localhost,ip:127.0.0.1");
        try (RecordingCloud cloud = new RecordingCloud(cert)) {
            String code = cloud.activationCode; // the recording cloud takes one code for all
            SimulatorSettings settings = SimulatorSettings.of(cloud.uri(), Optional.of(cert.pem()), dir.resolve("sim"), List.of(
                            ApplianceSpec.of("00a0de00a001", "customer-a", code, TrafficProfile.standard()),
                            ApplianceSpec.of("00a0de00a002", "customer-a", code, TrafficProfile.browsingOnly()),
                            ApplianceSpec.of("00a0de00b001", "customer-b", code, TrafficProfile.withoutBeacon()),
                            ApplianceSpec.of("00a0de00b002", "customer-b", code, TrafficProfile.withoutBeacon())))
                    .withPace(Duration.ofMillis(50), Duration.ofMillis(500))
                    .withHeartbeatEvery(Duration.ofMillis(300))
                    .withEngines(Engines.sampleLists(), Engines.projectRules(), ClamdDaemon.SHARED.address());
            try (Simulator sim = Simulator.start(settings)) {
                assertThat(sim.engines().antivirus()).isTrue();
                assertThat(sim.appliances()).hasSize(4);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(ruleIds(cloud, "00a0de00a001")).contains("category:c2", "sid:9000012", "category:phishing");
                    assertThat(ruleIds(cloud, "00a0de00a001")).anyMatch(r -> r.startsWith("clamav:"));
                    assertThat(ruleIds(cloud, "00a0de00b001")).contains("category:phishing").noneMatch(r -> r.equals("category:c2"));
                    assertThat(ruleIds(cloud, "00a0de00a002")).contains("category:news").noneMatch(r -> r.startsWith("category:ph"));
                    assertThat(ruleIds(cloud, "00a0de00b002")).isNotEmpty();
                });
                assertThat(sim.eventsMade()).isGreaterThan(0);
                await().atMost(Duration.ofSeconds(30)).until(() -> sim.eventsAcknowledged() >= 20);

                VirtualAppliance quiet = sim.appliance("00a0de00b002");
                quiet.silence();
                int beats = beats(cloud, "00a0de00b002");
                int others = beats(cloud, "00a0de00b001");
                long made = quiet.eventsMade();
                Thread.sleep(1500);
                assertThat(beats(cloud, "00a0de00b002")).as("silent: no heartbeat").isEqualTo(beats);
                assertThat(quiet.eventsMade()).as("silent: no traffic").isEqualTo(made);
                assertThat(beats(cloud, "00a0de00b001")).as("the others beat on").isGreaterThan(others);
                assertThat(cloud.duplicates()).isEmpty();
                assertThatThrownBy(() -> sim.appliance("00a0de00ffff")).isInstanceOf(NoSuchElementException.class);
            }
        }
    }

    private static List<String> ruleIds(RecordingCloud cloud, String appliance) {
        return cloud.stored.values().stream().filter(e -> e.appliance().value().equals(appliance)).map(Event::ruleId).distinct().toList();
    }

    private static int beats(RecordingCloud cloud, String appliance) {
        synchronized (cloud.heartbeats) {
            return (int) cloud.heartbeats.stream().filter(h -> h.contains("\"appliance\":\"" + appliance + "\"")).count();
        }
    }
}
