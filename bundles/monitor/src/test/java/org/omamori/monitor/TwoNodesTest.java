package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.omamori.events.ApplianceId;
import org.omamori.notify.LivenessPolicy;
import org.omamori.notify.Recipients;
import org.omamori.notify.SmtpSettings;
import org.omamori.scheduler.Jobs;
import org.omamori.store.CustomerId;
import org.omamori.store.QueuedMail;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TestPostgres;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * Two cloud nodes on one PostgreSQL database ({@link TestPostgres}), each with
 * its own pool, monitor and job scheduler, both grading and both running the jobs: every
 * stopped notice and every alert batch is mailed exactly once.
 */
class TwoNodesTest {

    static final int CUSTOMERS = 6;

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    final List<AutoCloseable> open = new ArrayList<>();
    TestPostgres database;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        database.close();
    }

    @Test
    void eachNoticeAndEachAlertBatchIsMailedOnceByTwoNodes() throws Exception {
        database = TestPostgres.create();
        StoreSettings settings = database.settings(4);
        // The back office, and appliances last heard from five minutes ago (its clock is behind).
        Store office = keep(Store.open(settings, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5))));
        ResellerId reseller = office.tenants().createReseller("商工会議所");
        List<ApplianceId> appliances = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            CustomerId customer = office.tenants().createCustomer(reseller, "顧客" + i);
            office.monitoring().recipients(customer, Recipients.of("c" + i + "@example.co.jp"));
            ApplianceId id = new ApplianceId(String.format("0b00000000%02x", i));
            office.tenants().registerAppliance(customer, id);
            office.ingest().heartbeat(id, Traffic.heartbeat(Instant.now().minusSeconds(300)));
            appliances.add(id);
        }
        MonitorSettings monitoring = MonitorSettings.standard().withMailWindow(Duration.ZERO)
                .withLiveness(new LivenessPolicy(Duration.ofSeconds(60), LocalTime.of(9, 0), ZoneId.of("Asia/Tokyo"), Duration.ofHours(6)))
                .withSmtp(SmtpSettings.of("127.0.0.1", SMTP.getSmtp().getPort(), "noreply@omamori.example"));
        List<Monitor> nodes = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            Store store = keep(Store.open(settings));
            Monitor node = new Monitor(store, monitoring, Clock.systemUTC());
            nodes.add(node);
            Jobs jobs = node.startJobs(Duration.ofMillis(500), Duration.ofMillis(200));
            open.add(jobs);
        }
        // Both nodes take batches with a threat of every appliance.
        for (int i = 0; i < CUSTOMERS; i++) {
            ApplianceId id = appliances.get(i);
            nodes.get(i % 2).ingest().store(id, List.of(Traffic.c2(id, Instant.now(), "192.168.1.10")));
            nodes.get((i + 1) % 2).ingest().store(id, List.of(Traffic.phishing(id, Instant.now(), "192.168.1.11")));
        }
        // Each customer: one stopped notice and one alert batch (the second alert may make a second batch).
        await().atMost(Duration.ofSeconds(60)).until(() -> office.monitoring().outbox(100).stream()
                .filter(m -> m.state().equals("SENT")).count() >= 2L * CUSTOMERS
                && office.monitoring().pendingAlertMail() == 0
                && office.monitoring().outbox(100).stream().allMatch(m -> m.state().equals("SENT")));
        Thread.sleep(2000); // two more rounds of every job: nothing new may come
        List<QueuedMail> mails = office.monitoring().outbox(100);
        long notices = mails.stream().filter(m -> m.mail().subject().contains("【停止検知】")).count();
        assertThat(notices).as("one stopped notice per appliance: " + subjects(mails)).isEqualTo(CUSTOMERS);
        assertThat(mails).allMatch(m -> m.state().equals("SENT"));
        assertThat(SMTP.getReceivedMessages()).as("each outbox entry sent once").hasSize(mails.size());
        long alertMails = mails.size() - notices;
        assertThat(alertMails).isBetween((long) CUSTOMERS, 2L * CUSTOMERS);
    }

    private static List<String> subjects(List<QueuedMail> mails) {
        return mails.stream().map(m -> m.mail().subject()).toList();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }
}
