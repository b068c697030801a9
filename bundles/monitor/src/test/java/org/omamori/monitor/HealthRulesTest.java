package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.monitor.health.HealthRules;
import org.omamori.monitor.health.HealthSettings;
import org.omamori.notify.Fault;
import org.omamori.store.Faults;

/** The classification alone, without a store. */
class HealthRulesTest {

    static final Instant NOW = Instant.parse("2026-11-20T01:00:00Z");
    final HealthSettings s = HealthSettings.standard(true);

    @Test
    void aShortDatabaseOutageOnOneNodeIsZAndALongOneA() {
        assertThat(HealthRules.database(NOW.minusSeconds(90), NOW, "node-1", "SQLTransientConnectionException", s).level())
                .isEqualTo(Fault.Level.Z);
        Faults.Observation a = HealthRules.database(NOW.minus(Duration.ofMinutes(20)), NOW, "node-1", "PSQLException", s);
        assertThat(a.level()).isEqualTo(Fault.Level.A);
        assertThat(a.affected().all()).isTrue();
    }

    @Test
    void aMailingJobFailingTwiceIsZThreeTimesAAndADeadNodeIsZ() {
        Faults.JobReading twice = new Faults.JobReading("send-mail", NOW.plusSeconds(10), false, Optional.empty(),
                Optional.of(NOW.minusSeconds(60)), Optional.of(NOW.minusSeconds(20)), 2, Optional.empty());
        assertThat(HealthRules.jobs(List.of(twice), NOW, s, "health", NOW.minus(Duration.ofHours(1)))).singleElement()
                .satisfies(o -> assertThat(o.level()).isEqualTo(Fault.Level.Z));
        Faults.JobReading thrice = new Faults.JobReading("send-mail", NOW.plusSeconds(10), false, Optional.empty(),
                Optional.of(NOW.minusSeconds(60)), Optional.of(NOW.minusSeconds(20)), 3, Optional.empty());
        assertThat(HealthRules.jobs(List.of(thrice), NOW, s, "health", NOW.minus(Duration.ofHours(1)))).singleElement()
                .satisfies(o -> assertThat(o.level()).isEqualTo(Fault.Level.A));
        Faults.JobReading orphaned = new Faults.JobReading("history", NOW.minusSeconds(200), true, Optional.of("node-2"),
                Optional.empty(), Optional.empty(), 0, Optional.of(NOW.minus(Duration.ofMinutes(5))));
        assertThat(HealthRules.jobs(List.of(orphaned), NOW, s, "health", NOW.minus(Duration.ofHours(1)))).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("scheduler:node:node-2");
            assertThat(o.level()).isEqualTo(Fault.Level.Z);
        });
    }

    @Test
    void aJobPlannedBeforeTheCheckStartedIsLateOnlyFromTheStart() {
        Faults.JobReading planned = new Faults.JobReading("alert-mail", NOW.minus(Duration.ofHours(8)), false, Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty());
        assertThat(HealthRules.jobs(List.of(planned), NOW, s, "health", NOW.minusSeconds(60))).as("just started").isEmpty();
        assertThat(HealthRules.jobs(List.of(planned), NOW, s, "health", NOW.minus(Duration.ofMinutes(6)))).singleElement()
                .satisfies(o -> assertThat(o.level()).isEqualTo(Fault.Level.A));
    }

    @Test
    void anIdleFleetIsNoIngestFault() {
        assertThat(HealthRules.ingest(false, List.of(), s).observations()).isEmpty();
        var idle = new Faults.HeartbeatReading(new org.omamori.events.ApplianceId("0a0000000001"), new org.omamori.store.CustomerId(1),
                NOW, NOW.minusSeconds(3600), java.util.Map.of("pending", 0L, "dropped", 0L));
        assertThat(HealthRules.ingest(false, List.of(idle), s).observations()).as("nothing to send, nothing sent").isEmpty();
    }

    @Test
    void stuckMailIsAAndARefusedAddressZ() {
        assertThat(HealthRules.mail(new Faults.OutboxReading(0, Optional.empty(), 0, 0), s)).isEmpty();
        assertThat(HealthRules.mail(new Faults.OutboxReading(0, Optional.empty(), 1, 2), s))
                .extracting(Faults.Observation::level).containsExactly(Fault.Level.A, Fault.Level.Z);
    }
}
