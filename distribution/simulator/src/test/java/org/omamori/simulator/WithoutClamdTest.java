package org.omamori.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;

/** No clamd: the antivirus is left out (no "not scanned" noise), the EICAR step is skipped, the rest still works. */
class WithoutClamdTest {

    @TempDir
    Path dir;

    @Test
    void withoutClamdTheAntivirusIsLeftOutAndTheEicarStepSkipped() throws Exception {
        int nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        try (Engines engines = Engines.start(Engines.sampleLists(), Engines.projectRules(), new ClamdAddress("127.0.0.1", nobody))) {
            assertThat(engines.antivirus()).isFalse();
            EventFactory factory = new EventFactory(new ApplianceId("00a0de5c0001"));
            List<Event> events = TrafficProfile.standard().once().stream()
                    .flatMap(step -> StepRunner.run(engines.pipeline(), factory, CustomerHost.numbered(20), step).events().stream())
                    .toList();
            assertThat(events).extracting(Event::evidence).contains(Evidence.INFECTION, Evidence.PHISHING)
                    .doesNotContain(Evidence.UNSCANNED);
            assertThat(events).noneMatch(e -> e.engineId().equals("av-clamav"));

            // An unreachable cloud: the uplink retries in the background; the appliance still works.
            ApplianceSpec spec = ApplianceSpec.of("00a0de5c0002", "customer", "code", TrafficProfile.standard());
            try (VirtualAppliance appliance = VirtualAppliance.start(spec, dir.resolve("a"), engines.pipeline(),
                    URI.create("https://localhost:" + nobody + "/"), Optional.empty(), Duration.ofSeconds(60))) {
                assertThat(appliance.replay(TrafficProfile.eicarDownload())).isEmpty();
                assertThat(appliance.replay(TrafficProfile.phishingVisit())).singleElement()
                        .satisfies(e -> assertThat(e.evidence()).isEqualTo(Evidence.PHISHING));
                assertThat(appliance.eventsPending()).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
