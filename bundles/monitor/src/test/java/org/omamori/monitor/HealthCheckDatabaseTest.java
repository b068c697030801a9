package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.monitor.health.HealthCheck;
import org.omamori.monitor.health.HealthSettings;
import org.omamori.notify.Fault;
import org.omamori.store.Faults;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * A database that does not answer: the outage cannot be written to it, so the node keeps it and
 * records it (already resolved) once the database answers again; A when it lasted, Z when short.
 */
class HealthCheckDatabaseTest {

    @TempDir
    Path dir;

    /** The store's faults, with a database that stops answering the probe while {@code down}. */
    static final class Flaky implements Faults {
        final Faults real;
        volatile boolean down;

        Flaky(Faults real) {
            this.real = real;
        }

        @Override
        public void ping(Duration timeout) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            real.ping(timeout);
        }

        @Override public Recorded observe(Observation o, Instant now) { return real.observe(o, now); }
        @Override public Optional<Entry> resolveKey(String key, Instant now, String by, Composer c) { return real.resolveKey(key, now, by, c); }
        @Override public Optional<Entry> resolve(long id, String by, Composer c) { return real.resolve(id, by, c); }
        @Override public int confirm(long id, String by, Composer c) { return real.confirm(id, by, c); }
        @Override public Optional<Entry> fault(long id) { return real.fault(id); }
        @Override public List<Entry> open() { return real.open(); }
        @Override public List<Entry> recent(Instant since, int limit) { return real.recent(since, limit); }
        @Override public List<Entry> during(Instant from, Instant to) { return real.during(from, to); }
        @Override public OutboxReading outbox(Instant stuckBefore, Instant givenUpSince) { return real.outbox(stuckBefore, givenUpSince); }
        @Override public List<JobReading> jobs() { return real.jobs(); }
        @Override public boolean eventsMadeSince(Instant since) { return real.eventsMadeSince(since); }
        @Override public List<HeartbeatReading> heartbeatsSince(Instant since) { return real.heartbeatsSince(since); }
    }

    @Test
    void anOutageIsRecordedWhenTheDatabaseAnswersAgain() {
        Instant t0 = HealthCheckCases.T0;
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("omamori")))) {
            Flaky faults = new Flaky(store.faults());
            HealthCheck health = new HealthCheck(faults, HealthSettings.standard(false), HealthCheckCases.COMPOSER, "node-1");
            faults.down = true;
            assertThat(health.run(t0).databaseReachable()).isFalse();
            assertThat(health.run(t0.plus(Duration.ofMinutes(1))).databaseReachable()).isFalse();
            faults.down = false;
            HealthCheck.Report back = health.run(t0.plus(Duration.ofMinutes(2)));
            assertThat(back.observed()).singleElement().satisfies(o -> assertThat(o.level()).isEqualTo(Fault.Level.Z));
            assertThat(back.resolved()).singleElement().satisfies(e -> {
                assertThat(e.detectedAt()).isEqualTo(t0);
                assertThat(e.resolvedAt()).contains(t0.plus(Duration.ofMinutes(2)));
            });

            faults.down = true;
            health.run(t0.plus(Duration.ofMinutes(10)));
            faults.down = false;
            HealthCheck.Report later = health.run(t0.plus(Duration.ofMinutes(40)));
            assertThat(later.observed()).singleElement().satisfies(o -> assertThat(o.level()).isEqualTo(Fault.Level.A));
            Faults.Entry a = later.resolved().getFirst();
            assertThat(a.open()).isFalse();
            assertThat(store.faults().open()).isEmpty();
            // Confirmed after it ended: notice and recovery go together (no customer here, so nothing to mail).
            assertThat(store.faults().confirm(a.id(), "operator-1", HealthCheckCases.COMPOSER)).isZero();
        }
    }
}
