package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.backoffice.edition.Editions;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.omamori.monitor.health.HealthSettings;
import org.omamori.monitor.metrics.CloudGauges;
import org.omamori.monitor.metrics.SchedulerHealth;
import org.omamori.notify.Recipients;
import org.omamori.notify.SmtpSettings;
import org.omamori.scheduler.Jobs;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.threeten.extra.MutableClock;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * The cloud's series and health checks that the monitor owns (docs/metrics.md), on a real H2 store,
 * a real SMTP server (GreenMail) and the real scheduler: they move with what happens.
 */
class MonitorMetricsTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final MutableClock clock = MutableClock.of(t0, ZoneOffset.UTC);
    final ApplianceId office = new ApplianceId("0b0000000001");
    final ApplianceId branch = new ApplianceId("0b0000000002");
    final ApplianceId spare = new ApplianceId("0b0000000003");
    final Meters meters = Meters.isolated();
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(StoreSettings.h2File(dir.resolve("omamori")), clock);
        CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("商工会議所"), "株式会社メトリクス");
        store.tenants().registerAppliance(customer, office);
        store.tenants().registerAppliance(customer, branch);
        store.tenants().registerAppliance(customer, spare);
        store.monitoring().recipients(customer, Recipients.of("soumu@example.co.jp"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    Monitor monitor(int smtpPort) {
        return new Monitor(store, MonitorSettings.standard().withSmtp(SmtpSettings.of("127.0.0.1", smtpPort, "noreply@omamori.example")),
                clock, new Editions(), meters);
    }

    double value(String sample) {
        return meters.scrape().lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1)))
                .findFirst().orElse(Double.NaN);
    }

    @Test
    void alertsAreCountedByGradeOnceTheirBatchCommittedAndGradingIsTimedOnItsOwn() {
        Monitor m = monitor(SMTP.getSmtp().getPort());
        assertThat(value("omamori_cloud_alerts_total{grade=\"high\"}")).isZero();

        m.ingest().store(office, List.of(Traffic.c2(office, t0, "192.168.1.10"), Traffic.browsing(office, t0, "192.168.1.11")));
        m.ingest().store(office, List.of(Traffic.c2(office, t0.plusSeconds(60), "192.168.1.10"))); // a repeat: no new alert

        assertThat(value("omamori_cloud_alerts_total{grade=\"high\"}")).isEqualTo(1);
        assertThat(value("omamori_cloud_alerts_total{grade=\"low\"}")).isZero();
        assertThat(value("omamori_cloud_grading_duration_seconds_count")).isEqualTo(2);
        assertThat(value("omamori_cloud_grading_duration_seconds_sum")).isPositive();
    }

    @Test
    void theOutboxGaugesAndTheMailCheckFollowAServerThatStopsTakingMail() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort(); // closed again: nothing listens there
        }
        Monitor m = monitor(dead);
        HealthCheck mail = m.mailHealth();
        try (CloudGauges gauges = new CloudGauges(meters, store.faults(), m.monitoring(), Duration.ofMinutes(10), clock)) {
            assertThat(value("omamori_cloud_outbox_pending")).isZero();
            assertThat(mail.name()).isEqualTo("mail");
            assertThat(mail.essential()).isFalse();
            assertThat(mail.check().healthy()).isTrue();

            m.ingest().store(office, List.of(Traffic.c2(office, t0, "192.168.1.10")));
            clock.add(Duration.ofMinutes(6));
            assertThat(m.flushAlertMail()).isEqualTo(1);
            clock.add(Duration.ofSeconds(30));
            assertThat(value("omamori_cloud_outbox_pending")).isEqualTo(1);
            assertThat(value("omamori_cloud_outbox_oldest_pending_seconds")).isEqualTo(30);

            assertThat(m.sendMail()).isZero();
            assertThat(mail.check().toString()).startsWith("degraded: the SMTP server did not take this node's latest mail at");
            assertThat(value("omamori_cloud_outbox_pending")).as("a reading is kept for a few seconds").isEqualTo(1);
            clock.add(CloudGauges.TTL);
            assertThat(value("omamori_cloud_outbox_pending")).as("still pending: retried later").isEqualTo(1);
        }
        assertThat(meters.scrape()).as("closed with the monitor").doesNotContain("omamori_cloud_outbox");
    }

    @Test
    void mailPendingLongerThanTheFaultThresholdDegradesTheMailCheckAndASendClearsIt() {
        Monitor m = monitor(SMTP.getSmtp().getPort());
        HealthCheck mail = m.mailHealth();
        m.ingest().store(office, List.of(Traffic.c2(office, t0, "192.168.1.10")));
        clock.add(Duration.ofMinutes(6));
        assertThat(m.flushAlertMail()).isEqualTo(1);
        clock.add(HealthSettings.standard(true).mailStuckAfter().plusMinutes(1));

        assertThat(mail.check().toString()).startsWith("degraded: 1 mails pending longer than 15 min");

        assertThat(m.sendMail()).isEqualTo(1);
        clock.add(CloudGauges.TTL);
        assertThat(mail.check().healthy()).isTrue();
    }

    @Test
    void appliancesAreCountedByWhatTheMonitorSeesOfThem() {
        store.ingest().heartbeat(office, Traffic.heartbeat(t0)); // received now, by the store's clock
        clock.add(Duration.ofMinutes(11));
        store.ingest().heartbeat(branch, Traffic.heartbeat(clock.instant()));
        try (CloudGauges gauges = new CloudGauges(meters, store.faults(), store.monitoring(), Duration.ofMinutes(10), clock)) {
            assertThat(value("omamori_cloud_appliances{state=\"online\"}")).isEqualTo(1);
            assertThat(value("omamori_cloud_appliances{state=\"stopped\"}")).isEqualTo(1);
            assertThat(value("omamori_cloud_appliances{state=\"never_seen\"}")).isEqualTo(1);
            assertThat(value("omamori_cloud_appliances{state=\"unmonitored\"}")).isZero();

            clock.add(Duration.ofMinutes(10));
            assertThat(value("omamori_cloud_appliances{state=\"stopped\"}")).isEqualTo(2);
        }
    }

    @Test
    void theSchedulerCheckSaysWhenItStopsAndWhichJobIsOverdue() {
        Monitor m = monitor(SMTP.getSmtp().getPort());
        Jobs jobs = m.startJobs(Duration.ofMinutes(1), Duration.ofMillis(200));
        HealthCheck running = m.schedulerHealth(jobs);
        try {
            assertThat(running.name()).isEqualTo("scheduler");
            assertThat(running.essential()).isFalse();
            assertThat(running.check().healthy()).as(running.check().toString()).isTrue();
        } finally {
            jobs.close();
        }
        assertThat(running.check().toString()).startsWith("degraded: the scheduler is not running on this node");

        // The jobs' rows stay planned; seen from ten minutes on, with no node running them, they are overdue.
        HealthCheck later = new SchedulerHealth(() -> true, store.faults(), HealthSettings.standard(true), clock);
        clock.add(Duration.ofMinutes(10));
        assertThat(later.check().toString()).startsWith("degraded: job ").contains("job send-mail: planned for ").contains("min late");
    }
}
