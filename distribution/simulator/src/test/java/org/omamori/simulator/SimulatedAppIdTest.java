package org.omamori.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.events.EventTally;
import org.omamori.events.Kind;

/** The simulated appliances' application identifications: access-log events as an intake logs nDPI's findings. */
class SimulatedAppIdTest {

    @Test
    void aStepGivesOneIdentificationTheSinkFolds() {
        EventFactory factory = new EventFactory(new ApplianceId("00a0de5e0a01"));
        TrafficStep video = TrafficProfile.browsing().get(4);
        java.util.List<org.omamori.events.Event> e;
        try (Engines engines = Engines.standard()) {
            e = SimulatedAppId.events(factory, StepRunner.run(engines.pipeline(), factory, CustomerHost.numbered(3), video).request());
        }
        assertThat(e).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Kind.ACCESS);
            assertThat(x.function()).isEqualTo(SecurityFunction.APPLICATION_IDENTIFICATION);
            assertThat(x.ruleId()).isEqualTo("app:video:youtube");
            assertThat(x.ruleName()).isEqualTo("YouTube");
            assertThat(EventTally.applications().apply(x)).isNotNull();
        });
    }
}
