package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.definitions.Kind;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.Pem;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.Result;
import org.omamori.notify.Recipients;
import org.omamori.store.CustomerId;
import org.omamori.store.QueuedMail;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * An alert under investigation (調査中) in the exported cloud runtime is resolved by the cloud's
 * own URL filter bundle once a signed definitions package naming its server is dropped into the
 * cloud's definitions folder: the follow-up report with stars goes to the outbox.
 */
class CloudInvestigationTest {

    @TempDir
    Path home;

    @TempDir
    Path work;

    @Test
    void newDefinitionsInTheCloudConfirmAnAlertUnderInvestigation() throws Exception {
        int port = CloudCrashTest.freePort();
        RunningCloud.configure(home, port);
        Files.writeString(home.resolve("etc/org.omamori.monitor.cfg"), "mailWindowSeconds = 0\ncheckSeconds = 2\ninvestigationSettleSeconds = 5\n");
        Files.writeString(home.resolve("etc/org.omamori.definitions.cfg"), "kinds = urlfilter, ips\ndropScanSeconds = 1\n");
        MakeDefinitions.keygen(work.resolve("operator.key"), home.resolve("keys/operator-ed25519.pem"));
        ApplianceId id = new ApplianceId("0e0000000001");
        String code;
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("商工会議所"), "株式会社シー");
            store.monitoring().recipients(customer, Recipients.of("soumu@c.example.jp"));
            code = store.tenants().registerAppliance(customer, id, "本社");
        }
        RunningCloud cloud = RunningCloud.start(home, port);
        cloud.awaitInService();
        try (CloudCrashTest.SimulatedAppliance appliance = startAppliance(cloud, id, code)) {
            // Suspicious traffic to a server no list names yet: graded 調査中 and mailed as such.
            appliance.spool.publish(List.of(suspicious(appliance, "stealth-c2.itest.test")));
            await("the ※調査中※ mail").atMost(Duration.ofSeconds(60)).until(() -> subjects().stream().anyMatch(s -> s.contains("調査中")));
            // The cloud's engines take the alert in hand with the definitions in force (after they settled).
            await("the alert is stamped with the cloud's definitions").atMost(Duration.ofSeconds(90)).until(this::stamped);

            Path lists = work.resolve("lists");
            RunningAppliance.copyTree(RunningAppliance.SAMPLE_LISTS, lists);
            Files.writeString(lists.resolve("c2/domains"), "stealth-c2.itest.test\n", StandardOpenOption.APPEND);
            MakeDefinitions.write(home.resolve("definitions/incoming/urlfilter-2026.5.zip"), PackageWriter.make(Kind.URLFILTER,
                    PackageVersion.parse("2026.5"), Instant.now(), lists, Pem.readPrivate(work.resolve("operator.key"))));

            try {
                await("the follow-up report: confirmed ★★★").atMost(Duration.ofSeconds(90))
                        .until(() -> subjects().stream().anyMatch(s -> s.contains("調査報告") && s.contains("★★★")));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; outbox " + subjects() + "; cloud.log ends:\n"
                        + RunningCloud.tail(cloud.log(), 4000), e);
            }
            List<QueuedMail> mails = outbox();
            assertThat(mails).filteredOn(m -> m.mail().subject().contains("調査報告")).singleElement()
                    .satisfies(m -> assertThat(m.mail().body()).contains("stealth-c2.itest.test"));
        } finally {
            cloud.stop();
        }
    }

    private CloudCrashTest.SimulatedAppliance startAppliance(RunningCloud cloud, ApplianceId id, String code) throws Exception {
        return CloudCrashTest.SimulatedAppliance.start(work.resolve("appliance"), id, code, URI.create("https://localhost:" + cloud.port + "/"),
                home.resolve("tls/cloud.pem"), new CloudCrashTest.AnswerCounter());
    }

    /** A finding the standard star table grades 調査中: evidence "suspicious". */
    private static Event suspicious(CloudCrashTest.SimulatedAppliance a, String server) throws Exception {
        return new Event(a.ids.next(), a.id, Instant.now(), org.omamori.events.Kind.THREAT, ZonePair.LAN_TO_WAN,
                a.client, 50_000, InetAddress.getByName("203.0.113.99"), 80, Optional.empty(), server,
                "http://" + server + "/beacon", "", SecurityFunction.IPS, "ips-hyperscan", "1.0.0", "sid:9100001",
                "beacon-like traffic", Result.PASS, Level.MEDIUM, 60, new Evidence("suspicious"), "");
    }

    private boolean stamped() throws Exception {
        StoreSettings settings = StoreSettings.ofHome(home);
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM alerts WHERE evaluated_with IS NOT NULL")) {
            return r.next() && r.getInt(1) > 0;
        }
    }

    private List<String> subjects() throws Exception {
        return outbox().stream().map(m -> m.mail().subject()).toList();
    }

    private List<QueuedMail> outbox() throws Exception {
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            return store.monitoring().outbox(50);
        }
    }
}
