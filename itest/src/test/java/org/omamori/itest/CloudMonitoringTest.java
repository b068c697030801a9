package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.notify.Recipients;
import org.omamori.simulator.ApplianceSpec;
import org.omamori.simulator.Simulator;
import org.omamori.simulator.SimulatorSettings;
import org.omamori.simulator.TrafficProfile;
import org.omamori.store.CustomerId;
import org.omamori.store.QueuedMail;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The exported cloud runtime on its embedded H2 with the demo's timers, and simulated appliances
 * of two customers whose events come from the real engines (real clamd): the grading in the
 * ingest transaction, the mail jobs and the liveness check put a ★★★ mail for the customer with
 * the C2 beacon, a ★☆☆ mail for the other, and a stopped notice for the appliance that goes silent,
 * into the outbox within two minutes — what `./omamori demo` promises — and the node's send job
 * delivers them to a real SMTP server (GreenMail) from inside the framework. The second customer's
 * reseller is set to the example edition of docs/edition-sdk.md ({@code edition/KobeEdition}), built
 * into a bundle here and dropped into the running node's {@code editions/} folder: that customer's
 * mail comes in the edition's brand and from its sender, the first customer's in the node's own brand.
 */
class CloudMonitoringTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new com.icegreen.greenmail.util.ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()});

    @TempDir
    Path home;

    /** Characters from the three Japanese scripts and a full-width sign, none of them in ISO-8859-1. */
    static final String BRAND = "新潟商工会議所 みまもりサービス・テスト＃1";

    @Test
    void simulatedAppliancesGetAStarredMailEachAndTheSilentOneAStoppedNotice() throws Exception {
        RunningAppliance.startClamd();
        int port = CloudCrashTest.freePort();
        RunningCloud.configure(home, port);
        // Mail really goes out, from inside the framework (Jakarta Mail + Angus through SPI Fly), to a real SMTP server.
        // A brand name in Japanese, written as UTF-8 as an operator's editor writes it: it must reach the mail intact.
        Files.writeString(home.resolve("etc/org.omamori.monitor.cfg"), "mailWindowSeconds = 20\nsilenceSeconds = 30\ncheckSeconds = 5\n"
                + "smtpHost = 127.0.0.1\nsmtpPort = " + SMTP.getSmtp().getPort() + "\nsmtpStarttls = OFF\n"
                + "serviceName = " + BRAND + "\n", java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(home.resolve("etc/org.omamori.definitions.cfg"), "kinds = urlfilter, ips\n");
        // The support desk reads its mailbox over IMAP from inside the framework (docs/desk.md).
        SMTP.setUser("desk@omamori.example", "desk@omamori.example", "desk-secret");
        Files.writeString(home.resolve("etc/org.omamori.desk.cfg"), "imapHost = 127.0.0.1\nimapPort = " + SMTP.getImap().getPort()
                + "\nimapTls = false\nimapUser = desk@omamori.example\n.imapPassword = desk-secret\npollSeconds = 10\n");
        List<ApplianceSpec> specs = new ArrayList<>();
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            ResellerId reseller = store.tenants().createReseller("商工会議所");
            ResellerId kobe = store.tenants().createReseller("神戸商工会議所", Optional.of("kobe"));
            CustomerId a = store.tenants().createCustomer(reseller, "株式会社エー");
            store.monitoring().recipients(a, Recipients.of("soumu@a.example.jp"));
            CustomerId b = store.tenants().createCustomer(kobe, "有限会社ビー");
            store.monitoring().recipients(b, Recipients.of("info@b.example.jp"));
            specs.add(spec(store, a, "0d0000000a01", "株式会社エー", TrafficProfile.standard()));
            specs.add(spec(store, a, "0d0000000a02", "株式会社エー", TrafficProfile.browsingOnly()));
            specs.add(spec(store, b, "0d0000000b01", "有限会社ビー", TrafficProfile.withoutBeacon()));
            specs.add(spec(store, b, "0d0000000b02", "有限会社ビー", TrafficProfile.browsingOnly()));
        }
        RunningCloud cloud = RunningCloud.start(home, port);
        try {
            cloud.awaitInService();
            // Installing an edition into the running node: a bundle dropped into editions/ (written aside, then moved in).
            Path built = TestBundles.build("org.omamori.itest.edition.kobe", "1.0.0", "org.omamori.itest.edition", home.resolve("built/kobe.jar"));
            Files.move(built, home.resolve("editions/kobe.jar"));
            await("the node installs the kobe edition (see cloud.log)").atMost(Duration.ofSeconds(30))
                    .until(() -> cloud.log().contains("edition kobe 1.0.0 installed"));
            SimulatorSettings settings = SimulatorSettings.of(URI.create("https://localhost:" + port + "/"),
                    Optional.of(home.resolve("tls/cloud.pem")), home.resolve("simulator"), specs)
                    .withPace(Duration.ofMillis(500), Duration.ofSeconds(20)).withHeartbeatEvery(Duration.ofSeconds(5));
            try (Simulator simulator = Simulator.start(settings)) {
                Thread.sleep(8_000);
                simulator.appliance("0d0000000b02").silence();
                await("a ★★★ mail, a ★☆☆ mail and a stopped notice (see cloud.log)").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(2)).until(() -> {
                            List<QueuedMail> m = outbox();
                            return has(m, "★★★", "soumu@a.example.jp") && has(m, "★☆☆", "info@b.example.jp")
                                    && has(m, "【停止検知】", "info@b.example.jp");
                        });
                assertThat(simulator.eventsAcknowledged()).isPositive();
            }
            await("the mails reach the SMTP server").atMost(Duration.ofSeconds(60)).until(() -> Arrays.stream(SMTP.getReceivedMessages())
                    .anyMatch(m -> subject(m).contains("★★★")) && Arrays.stream(SMTP.getReceivedMessages())
                    .anyMatch(m -> subject(m).contains("【停止検知】")));
            List<QueuedMail> mails = outbox();
            assertThat(mails).filteredOn(m -> m.mail().subject().contains("【停止検知】")).hasSize(1)
                    .allSatisfy(m -> assertThat(m.mail().body()).contains("0d0000000b02"));
            assertThat(mails).filteredOn(m -> m.mail().to().addresses().contains("soumu@a.example.jp")).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.mail().subject() + m.mail().body()).contains(BRAND));
            assertThat(mails).filteredOn(m -> m.mail().to().addresses().contains("info@b.example.jp")).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(m -> assertThat(m.mail().subject()).contains("神戸サイバー見守りサービス").doesNotContain(BRAND))
                    .allSatisfy(m -> assertThat(m.mail().body()).startsWith("神戸商工会議所 神戸サイバー見守りサービスをご利用のお客様へ")
                            .contains("神戸 見守りサービス相談窓口（078-000-0000、平日 9:00〜17:00）"));
            assertThat(Arrays.stream(SMTP.getReceivedMessages()).map(CloudMonitoringTest::subject)).anyMatch(t -> t.contains(BRAND));
            assertThat(Arrays.stream(SMTP.getReceivedMessages()).filter(m -> subject(m).contains("神戸サイバー見守りサービス")))
                    .isNotEmpty().allSatisfy(m -> assertThat(m.getFrom()[0].toString()).contains("mimamori@kobe-cci.example"));
            assertThat(mails).noneMatch(m -> m.mail().subject().contains("★★★") && m.mail().to().addresses().contains("info@b.example.jp"));

            // The customer writes to the desk: the node's desk job reads the mailbox and opens a ticket for it.
            com.icegreen.greenmail.util.GreenMailUtil.sendTextEmail("desk@omamori.example", "soumu@a.example.jp", "アラートメールについて",
                    "★★★のメールが届きました。どうすればよいですか。", SMTP.getSmtp().getServerSetup());
            await("the desk reads the mail into a ticket (see cloud.log)").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        try (Store store = Store.open(StoreSettings.ofHome(home))) {
                            return store.tickets().list(org.omamori.store.TenantScope.operator(), true, 10).stream()
                                    .anyMatch(t -> t.ticket().subject().equals("アラートメールについて") && t.customer().isPresent());
                        }
                    });
            assertThat(cloud.log()).doesNotContain("desk-secret");
        } finally {
            cloud.stop();
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            return "";
        }
    }

    private List<QueuedMail> outbox() throws Exception {
        try (Store store = Store.open(StoreSettings.ofHome(home))) { // beside the node: H2 AUTO_SERVER
            return store.monitoring().outbox(100);
        }
    }

    private static boolean has(List<QueuedMail> mails, String mark, String to) {
        return mails.stream().anyMatch(m -> m.mail().subject().contains(mark) && m.mail().to().addresses().contains(to));
    }

    private static ApplianceSpec spec(Store store, CustomerId customer, String id, String customerName, TrafficProfile profile) {
        return ApplianceSpec.of(id, customerName, store.tenants().registerAppliance(customer, new ApplianceId(id)), profile);
    }
}
