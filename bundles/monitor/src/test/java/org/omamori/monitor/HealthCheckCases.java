package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;
import org.omamori.monitor.health.HealthCheck;
import org.omamori.monitor.health.HealthSettings;
import org.omamori.notify.Brand;
import org.omamori.notify.Fault;
import org.omamori.notify.FaultMail;
import org.omamori.notify.Mail;
import org.omamori.notify.OutboxEntry;
import org.omamori.notify.Recipients;
import org.omamori.notify.SmtpSettings;
import org.omamori.store.CustomerId;
import org.omamori.store.Faults;
import org.omamori.store.Heartbeat;
import org.omamori.store.QueuedMail;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.threeten.extra.MutableClock;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * The health check on a real store and a real SMTP server (GreenMail, started late to end an
 * outage): what is classified A, B and Z, that nothing is mailed before an operator confirms, that
 * a confirmation mails each affected customer once, and that the recovery mail follows.
 * Run on H2 ({@link HealthCheckH2Test}) and PostgreSQL ({@link HealthCheckPostgresTest}).
 */
abstract class HealthCheckCases {

    static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z"); // 10:00 JST
    static final Faults.Composer COMPOSER = (fault, to) -> FaultMail.compose(Brand.standard(), to.to(), fault);

    final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    final ApplianceId office = new ApplianceId("0a0000000001");
    final ApplianceId shop = new ApplianceId("0a0000000002");
    final ApplianceId lab = new ApplianceId("0a0000000003");
    Store store;
    Faults faults;
    CustomerId first;
    CustomerId second;
    CustomerId silent;
    final List<GreenMail> servers = new ArrayList<>();

    abstract Store openStore(MutableClock clock) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore(clock);
        faults = store.faults();
        ResellerId reseller = store.tenants().createReseller("商工会議所");
        first = store.tenants().createCustomer(reseller, "株式会社いち");
        second = store.tenants().createCustomer(reseller, "株式会社に");
        silent = store.tenants().createCustomer(reseller, "宛先なし商店");
        store.tenants().registerAppliance(first, office);
        store.tenants().registerAppliance(second, shop);
        store.tenants().registerAppliance(silent, lab);
        store.monitoring().recipients(first, Recipients.of("soumu@ichi.example.co.jp", "it@ichi.example.co.jp"));
        store.monitoring().recipients(second, Recipients.of("admin@ni.example.co.jp"));
    }

    @AfterEach
    void close() {
        servers.forEach(GreenMail::stop);
        if (store != null) {
            store.close();
        }
    }

    HealthCheck health(boolean smtp) {
        return new HealthCheck(faults, HealthSettings.standard(smtp), COMPOSER, "node-1");
    }

    List<QueuedMail> faultMails() {
        return store.monitoring().outbox(1000).stream().filter(m -> m.key().startsWith("fault")).toList();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Heartbeat heartbeat(long pending, long dropped, long quarantined, Instant started) {
        return new Heartbeat(clock.instant(), started, "1.0.0", Map.of(), Map.of(),
                Map.of("spooled", 100L, "sent", 90L, "pending", pending, "dropped", dropped, "quarantined", quarantined, "spoolBytes", 4096L));
    }

    @Test
    void aMailOutageIsLevelAMailedToEveryCustomerOnlyOnceConfirmedThenTheRecovery() throws Exception {
        int port = freePort(); // nobody listens: the SMTP server is down
        Monitor m = new Monitor(store, MonitorSettings.standard().withSmtp(
                SmtpSettings.of("127.0.0.1", port, "noreply@omamori.example").withTimeout(Duration.ofSeconds(3))), clock);
        HealthCheck health = m.health();
        m.ingest().store(office, List.of(Traffic.c2(office, T0, "192.168.1.10")));
        clock.add(Duration.ofMinutes(5));
        assertThat(m.flushAlertMail()).isEqualTo(1);
        assertThat(m.sendMail()).as("the server is down").isZero();
        assertThat(health.run(clock.instant()).observed()).as("a mail retried for minutes is no fault yet").isEmpty();

        clock.add(Duration.ofMinutes(16));
        HealthCheck.Report report = health.run(clock.instant());
        assertThat(report.databaseReachable()).isTrue();
        assertThat(report.observed()).singleElement().satisfies(o -> {
            assertThat(o.level()).isEqualTo(Fault.Level.A);
            assertThat(o.component()).isEqualTo(Fault.Component.MAIL);
            assertThat(o.affected().all()).isTrue();
        });
        clock.add(Duration.ofMinutes(1));
        health.run(clock.instant());
        assertThat(faults.open()).as("one open fault, refreshed").singleElement()
                .satisfies(f -> assertThat(f.lastSeenAt()).isEqualTo(clock.instant()));
        Faults.Entry fault = faults.open().getFirst();
        assertThat(faultMails()).as("not mailed before an operator confirmed it").isEmpty();

        assertThat(faults.confirm(fault.id(), "operator-1", COMPOSER)).as("the two customers with recipients").isEqualTo(2);
        assertThat(faults.confirm(fault.id(), "operator-2", COMPOSER)).as("confirmed twice, mailed once").isZero();
        assertThat(faultMails()).extracting(QueuedMail::key).containsExactlyInAnyOrder(
                "fault:" + fault.id() + ":" + first.value(), "fault:" + fault.id() + ":" + second.value());
        assertThat(faults.fault(fault.id()).orElseThrow().confirmedBy()).contains("operator-1");

        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        servers.add(server);
        server.start();
        clock.add(Duration.ofMinutes(5)); // past the retry pause
        assertThat(m.sendMail()).as("the alert and the two notices").isEqualTo(3);
        assertThat(health.run(clock.instant()).resolved()).as("mail flows again").singleElement()
                .satisfies(e -> assertThat(e.id()).isEqualTo(fault.id()));
        assertThat(health.run(clock.instant()).resolved()).isEmpty();
        assertThat(faults.open()).isEmpty();
        assertThat(m.sendMail()).as("the two recovery mails").isEqualTo(2);

        MimeMessage[] got = server.getReceivedMessages();
        List<String> subjects = Arrays.stream(got).map(x -> {
            try {
                return x.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        // One copy per recipient mailbox: 2 + 1 addresses.
        assertThat(subjects.stream().filter(s -> s.startsWith("【障害のお知らせ】"))).hasSize(3)
                .allSatisfy(s -> assertThat(s).contains("アラートメール送信の遅延", "障害レベルA"));
        assertThat(subjects.stream().filter(s -> s.startsWith("【復旧のお知らせ】"))).hasSize(3);
        assertThat(subjects.stream().filter(s -> s.contains("重要アラート"))).hasSize(2);
        assertThat(faults.recent(T0, 10)).singleElement().satisfies(e -> {
            assertThat(e.resolvedBy()).contains("health-check");
            assertThat(e.notifiedAt()).isPresent();
        });
    }

    @Test
    void aZFaultIsLoggedAndRecordedButNeverMailed() {
        HealthCheck health = health(true);
        // A single address refused for good: the server works, so it is Z.
        var outbox = store.outbox();
        outbox.enqueue("test:refused", new Mail(Recipients.of("nobody@ichi.example.co.jp"), "件名", "本文"), clock.instant());
        OutboxEntry e = outbox.due(clock.instant(), 10).getFirst();
        outbox.markFailed(e.id(), clock.instant(), "550 no such user", null);
        HealthCheck.Report r = health.run(clock.instant());
        assertThat(r.observed()).singleElement().satisfies(o -> {
            assertThat(o.level()).isEqualTo(Fault.Level.Z);
            assertThat(o.summary()).doesNotContain("nobody@");
        });
        Faults.Entry z = faults.open().getFirst();
        assertThat(faults.confirm(z.id(), "operator-1", COMPOSER)).isZero();
        clock.add(Duration.ofHours(2));
        assertThat(health.run(clock.instant()).resolved()).hasSize(1);
        // Also a Z fault observed by hand, confirmed then resolved: no mail either.
        var scheduler = faults.observe(new Faults.Observation(Fault.Level.Z, Fault.Component.SCHEDULER, "scheduler:history",
                "job history: 1 failures in a row", Optional.empty(), Faults.Affected.nobody()), clock.instant()).fault();
        assertThat(faults.confirm(scheduler.id(), "operator-1", COMPOSER)).isZero();
        assertThat(faults.resolve(scheduler.id(), "operator-1", COMPOSER)).isPresent();
        assertThat(faultMails()).isEmpty();
    }

    @Test
    void twoConfirmationsAtOnceMailOnce() throws Exception {
        Faults.Entry f = faults.observe(new Faults.Observation(Fault.Level.A, Fault.Component.INGEST, "ingest", "test",
                Optional.empty(), Faults.Affected.everyone()), clock.instant()).fault();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> confirms = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String who = "operator-" + i;
                confirms.add(() -> faults.confirm(f.id(), who, COMPOSER));
            }
            int mails = 0;
            for (Future<Integer> x : pool.invokeAll(confirms)) {
                mails += x.get();
            }
            assertThat(mails).isEqualTo(2);
        } finally {
            pool.shutdown();
        }
        assertThat(faultMails()).hasSize(2);
    }

    @Test
    void nodesObservingOneFaultAtOnceKeepOneOpenFault() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Faults.Recorded>> observe = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                observe.add(() -> faults.observe(new Faults.Observation(Fault.Level.A, Fault.Component.MAIL, "mail", "stuck",
                        Optional.empty(), Faults.Affected.everyone()), clock.instant()));
            }
            int opened = 0;
            for (Future<Faults.Recorded> x : pool.invokeAll(observe)) {
                opened += x.get().opened() ? 1 : 0;
            }
            assertThat(opened).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(faults.open()).hasSize(1);
    }

    @Test
    void anApplianceWhoseSpoolDroppedEventsIsLevelBForItsCustomerOnly() {
        HealthCheck health = health(false);
        Instant started = T0.minus(Duration.ofHours(1));
        store.ingest().heartbeat(office, heartbeat(20, 120, 0, started));
        store.ingest().heartbeat(shop, heartbeat(0, 0, 3, started));
        m().ingest().store(shop, List.of(Traffic.browsing(shop, clock.instant(), "192.168.2.20")));
        HealthCheck.Report r = health.run(clock.instant());
        assertThat(r.observed()).extracting(Faults.Observation::key, Faults.Observation::level)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("spool:" + office.value(), Fault.Level.B),
                        org.assertj.core.groups.Tuple.tuple("quarantine:" + shop.value(), Fault.Level.Z));
        Faults.Entry b = faults.open().getFirst();
        assertThat(b.level()).isEqualTo(Fault.Level.B);
        assertThat(b.affected()).isEqualTo(Faults.Affected.of(first));
        assertThat(faults.confirm(b.id(), "operator-1", COMPOSER)).isEqualTo(1);
        assertThat(faultMails()).singleElement().satisfies(q -> {
            assertThat(q.mail().to().addresses()).containsExactly("soumu@ichi.example.co.jp", "it@ichi.example.co.jp");
            assertThat(q.mail().subject()).contains("UTM 装置の障害", "障害レベルB");
            assertThat(q.mail().body()).contains(office.value());
        });

        clock.add(Duration.ofMinutes(3)); // restarted: counters since the start are clear again
        store.ingest().heartbeat(office, heartbeat(0, 0, 0, clock.instant()));
        store.ingest().heartbeat(shop, heartbeat(0, 0, 0, clock.instant()));
        assertThat(health.run(clock.instant()).resolved()).hasSize(2);
        assertThat(faultMails()).hasSize(2).anySatisfy(q -> {
            assertThat(q.key()).isEqualTo("fault-recovered:" + b.id() + ":" + first.value());
            assertThat(q.mail().subject()).startsWith("【復旧のお知らせ】");
        });
    }

    @Test
    void noEventGettingInWhileAppliancesHaveEventsPendingIsLevelAAndAppliancesAreLeftAlone() {
        HealthCheck health = health(false);
        store.ingest().heartbeat(office, heartbeat(25_000, 0, 0, T0));
        store.ingest().heartbeat(shop, heartbeat(40, 0, 0, T0));
        HealthCheck.Report r = health.run(clock.instant());
        assertThat(r.observed()).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("ingest");
            assertThat(o.level()).isEqualTo(Fault.Level.A);
        });
        m().ingest().store(office, List.of(Traffic.browsing(office, clock.instant(), "192.168.1.10")));
        clock.add(Duration.ofMinutes(1));
        store.ingest().heartbeat(office, heartbeat(24_000, 0, 0, T0));
        r = health.run(clock.instant());
        assertThat(r.resolved()).extracting(Faults.Entry::key).containsExactly("ingest");
        assertThat(r.observed()).as("now that events get in, the backlog is the appliance's own")
                .extracting(Faults.Observation::key).containsExactly("spool:" + office.value());
    }

    @Test
    void anOverdueMailingJobIsLevelAAndAFailingHousekeepingJobZ() throws Exception {
        HealthCheck health = health(false);
        Instant now = clock.instant();
        job("alert-mail", now.minus(Duration.ofMinutes(12)), 0);
        job("liveness", now.plusSeconds(30), 0);
        job("history", now.plus(Duration.ofHours(5)), 1);
        job(HealthCheck.JOB, now.minus(Duration.ofMinutes(30)), 0);
        assertThat(health.run(now.minus(Duration.ofMinutes(10)))).as("the check's first run: a plan older than it is not late yet")
                .satisfies(first -> assertThat(first.observed()).extracting(Faults.Observation::key).containsExactly("scheduler:history"));
        HealthCheck.Report r = health.run(now);
        assertThat(r.observed()).extracting(Faults.Observation::key, Faults.Observation::level).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("scheduler:alert-mail", Fault.Level.A),
                org.assertj.core.groups.Tuple.tuple("scheduler:history", Fault.Level.Z));
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE scheduled_tasks SET execution_time = ? WHERE task_name = 'alert-mail'")) {
            s.setTimestamp(1, Timestamp.from(now.plusSeconds(30)));
            s.executeUpdate();
        }
        assertThat(health.run(now).resolved()).extracting(Faults.Entry::key).containsExactly("scheduler:alert-mail");
    }

    void job(String name, Instant next, int failures) throws Exception {
        try (Connection c = store.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, consecutive_failures, version)"
                        + " VALUES (?, 'recurring', ?, FALSE, ?, 1)")) {
            s.setString(1, name);
            s.setTimestamp(2, Timestamp.from(next));
            s.setInt(3, failures);
            s.executeUpdate();
        }
    }

    Monitor m() {
        return new Monitor(store, MonitorSettings.standard(), clock);
    }
}
