package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.grading.Suppression;
import org.omamori.notify.Recipients;
import org.omamori.notify.SmtpSettings;
import org.omamori.store.AlertQuery;
import org.omamori.store.CustomerId;
import org.omamori.store.EventQuery;
import org.omamori.store.QueuedMail;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;
import org.threeten.extra.MutableClock;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.internet.MimeMessage;

/**
 * The monitoring end to end on a real H2 store and a real SMTP server (GreenMail): events in,
 * alerts graded in the ingest transaction, batches into the outbox, stopped notices, mail out.
 */
class MonitorTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z"); // 10:00 JST

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    final ApplianceId office = new ApplianceId("0a0000000001");
    final ApplianceId branch = new ApplianceId("0a0000000002");
    Store store;
    CustomerId customer;

    @BeforeEach
    void open() {
        store = Store.open(StoreSettings.h2File(dir.resolve("omamori")), clock);
        ResellerId reseller = store.tenants().createReseller("商工会議所");
        customer = store.tenants().createCustomer(reseller, "株式会社テスト");
        store.tenants().registerAppliance(customer, office);
        store.tenants().registerAppliance(customer, branch);
        store.monitoring().recipients(customer, Recipients.of("soumu@example.co.jp", "it@example.co.jp"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    Monitor monitor() {
        return new Monitor(store, MonitorSettings.standard().withSmtp(
                SmtpSettings.of("127.0.0.1", SMTP.getSmtp().getPort(), "noreply@omamori.example")), clock);
    }

    @Test
    void alertsOfABatchWindowGoOutAsOneMailWithTheHighestStars() throws Exception {
        Monitor m = monitor();
        m.ingest().store(office, List.of(Traffic.browsing(office, T0, "192.168.1.10"),
                Traffic.c2(office, T0.plusSeconds(1), "192.168.1.10")));
        clock.add(Duration.ofSeconds(60));
        m.ingest().store(branch, List.of(Traffic.phishing(branch, T0.plusSeconds(60), "192.168.2.20")));
        assertThat(m.monitoring().pendingAlertMail()).isEqualTo(2);

        clock.add(Duration.ofMinutes(3));
        assertThat(m.flushAlertMail()).as("the first alert waited less than 5 minutes").isZero();
        clock.add(Duration.ofMinutes(2));
        assertThat(m.flushAlertMail()).isEqualTo(1);
        assertThat(m.flushAlertMail()).as("nothing left to batch").isZero();
        assertThat(m.monitoring().pendingAlertMail()).isZero();

        List<QueuedMail> outbox = m.monitoring().outbox(10);
        assertThat(outbox).hasSize(1);
        QueuedMail mail = outbox.getFirst();
        assertThat(mail.mail().subject()).contains("★★★");
        assertThat(mail.mail().body()).contains("192.168.1.10", "192.168.2.20", "evil-c2.example");
        assertThat(mail.mail().to().addresses()).containsExactly("soumu@example.co.jp", "it@example.co.jp");

        assertThat(m.sendMail()).isEqualTo(1);
        MimeMessage[] got = SMTP.getReceivedMessages();
        assertThat(got).hasSize(2); // one copy per recipient
        assertThat(got[0].getSubject()).contains("★★★").contains("お助け隊");
        assertThat(m.monitoring().outbox(10).getFirst().state()).isEqualTo("SENT");
    }

    @Test
    void queuedAlertsGoneBeforeTheirBatchLeaveTheQueueWithoutMail() throws Exception {
        Monitor m = monitor();
        m.ingest().store(office, List.of(Traffic.c2(office, T0, "192.168.1.10")));
        assertThat(m.monitoring().pendingAlertMail()).isEqualTo(1);
        try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM alerts"); // as retention removes them
        }
        clock.add(Duration.ofMinutes(6));
        assertThat(m.flushAlertMail()).isZero();
        assertThat(m.monitoring().pendingAlertMail()).as("nothing left waiting for a batch").isZero();
    }

    @Test
    void aRepeatIsFoldedIntoItsAlertAndASuppressedFindingIsNeverMailed() {
        Monitor m = monitor();
        m.ingest().store(office, List.of(Traffic.c2(office, T0, "192.168.1.10")));
        m.ingest().store(office, List.of(Traffic.c2(office, T0.plusSeconds(600), "192.168.1.10")));
        assertThat(m.monitoring().pendingAlertMail()).as("the repeat mails nothing").isEqualTo(1);

        store.monitoring().suppress(customer, new Suppression("ignored", "phishing-blocked", Optional.empty(),
                "研修用の模擬フィッシング", "admin", T0, T0.plus(Duration.ofDays(7))));
        m.ingest().store(branch, List.of(Traffic.phishing(branch, T0.plusSeconds(700), "192.168.2.20")));
        assertThat(m.monitoring().pendingAlertMail()).as("suppressed: stored, not mailed").isEqualTo(1);
        assertThat(m.monitoring().suppressions(org.omamori.store.TenantScope.customer(customer), customer)).hasSize(1);
    }

    @Test
    void twoNodesGradeOneCustomerAsOneNodeWould() {
        Monitor a = monitor();
        Monitor b = monitor();
        // The same finding, alternating nodes: each node sees that the other graded in between.
        for (int i = 0; i < 6; i++) {
            Event e = Traffic.c2(office, T0.plusSeconds(60L * i), "192.168.1.10");
            (i % 2 == 0 ? a : b).ingest().store(office, List.of(e));
        }
        assertThat(a.monitoring().pendingAlertMail()).as("one alert, repeats folded across nodes").isEqualTo(1);
        assertThat(a.grading().rebuilds() + b.grading().rebuilds()).as("a node rebuilds after the other graded").isGreaterThanOrEqualTo(5);
        // Replaying a batch stores and grades nothing twice.
        Event again = Traffic.c2(office, T0.plusSeconds(3600), "192.168.1.10");
        a.ingest().store(office, List.of(again));
        long rebuilt = a.grading().rebuilds();
        a.ingest().store(office, List.of(again));
        assertThat(a.grading().rebuilds()).isEqualTo(rebuilt);
    }

    @Test
    void historyKeepsNinetyDaysOfEventsAndAlerts() {
        Monitor m = monitor();
        Instant old = T0.minus(Duration.ofDays(91));
        m.ingest().store(office, List.of(Traffic.c2(office, old, "192.168.1.10"), Traffic.browsing(office, old, "192.168.1.10")));
        m.ingest().store(office, List.of(Traffic.c2(office, T0.minus(Duration.ofDays(89)), "192.168.1.11")));
        TenantScope scope = TenantScope.customer(customer);
        EventQuery all = EventQuery.period(T0.minus(Duration.ofDays(400)), T0.plusSeconds(1));
        assertThat(store.events().count(scope, all)).isEqualTo(3);
        assertThat(store.statistics().alerts(scope, AlertQuery.period(T0.minus(Duration.ofDays(400)), T0.plusSeconds(1))).alerts()).hasSize(2);

        var removed = m.keepHistory();
        assertThat(removed.rows()).as("91-day-old event, access log and alert").isEqualTo(3);
        assertThat(store.events().count(scope, all)).isEqualTo(1);
        assertThat(store.statistics().alerts(scope, AlertQuery.period(T0.minus(Duration.ofDays(400)), T0.plusSeconds(1))).alerts()).hasSize(1);
    }

    @Test
    void anApplianceInMaintenanceGetsNoStoppedNoticeAndIsWatchedAgainAfter() {
        Monitor m = monitor();
        store.ingest().heartbeat(office, Traffic.heartbeat(T0));
        store.ingest().heartbeat(branch, Traffic.heartbeat(T0));
        store.monitoring().monitor(office, false); // a planned shutdown
        assertThat(store.monitoring().inMaintenance()).as("office in maintenance, branch watched").containsExactly(office);
        clock.add(Duration.ofMinutes(30));
        store.ingest().heartbeat(branch, Traffic.heartbeat(clock.instant()));
        assertThat(m.checkLiveness()).as("silent 30 minutes, in maintenance").isZero();
        clock.add(Duration.ofDays(1));
        store.ingest().heartbeat(branch, Traffic.heartbeat(clock.instant()));
        assertThat(m.checkLiveness()).as("nor the daily reminder").isZero();
        assertThat(store.monitoring().inMaintenance()).as("a check does not undo maintenance").containsExactly(office);
        // Back under watch while still silent: noticed at the next check.
        store.monitoring().monitor(office, true);
        assertThat(m.checkLiveness()).isEqualTo(1);
        assertThat(m.monitoring().outbox(10)).singleElement().satisfies(q -> assertThat(q.mail().body()).contains(office.value()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.monitoring().monitor(new ApplianceId("0a00000000ff"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
    }

    @Test
    void aSilentApplianceGetsAStoppedNoticeAndARecoveryMail() {
        Monitor m = monitor();
        store.ingest().heartbeat(office, Traffic.heartbeat(T0));
        store.ingest().heartbeat(branch, Traffic.heartbeat(T0));
        clock.add(Duration.ofMinutes(9));
        store.ingest().heartbeat(branch, Traffic.heartbeat(clock.instant()));
        assertThat(m.checkLiveness()).isZero();
        clock.add(Duration.ofMinutes(2)); // office silent 11 minutes
        assertThat(m.checkLiveness()).isEqualTo(1);
        assertThat(m.checkLiveness()).as("noticed once").isZero();
        assertThat(m.monitoring().outbox(10).getFirst().mail().body()).contains(office.value());

        clock.add(Duration.ofMinutes(5));
        store.ingest().heartbeat(office, Traffic.heartbeat(clock.instant()));
        store.ingest().heartbeat(branch, Traffic.heartbeat(clock.instant()));
        assertThat(m.checkLiveness()).as("recovered").isEqualTo(1);
        assertThat(m.monitoring().outbox(10)).hasSize(2);
    }
}
