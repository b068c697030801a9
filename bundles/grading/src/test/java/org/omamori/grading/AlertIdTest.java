package org.omamori.grading;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventId;
import org.omamori.events.EventIds;

class AlertIdTest {

    @Test
    void theSameEventIdFromTwoAppliancesOpensTwoAlerts() {
        EventId id = new EventIds().next();
        AlertId a = AlertId.of("c2-communication", new ApplianceId("00a0de000001"), id);
        AlertId b = AlertId.of("c2-communication", new ApplianceId("00a0de000002"), id);
        assertThat(a).isNotEqualTo(b);
        assertThat(AlertId.of("c2-communication", new ApplianceId("00a0de000001"), id)).as("made again the same").isEqualTo(a);
        assertThat(a.uuid().getMostSignificantBits() >>> 16).as("starts with the event's milliseconds").isEqualTo(id.epochMillis());
    }
}
