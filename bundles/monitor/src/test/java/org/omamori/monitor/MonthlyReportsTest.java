package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.backoffice.edition.Editions;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.events.ApplianceId;
import org.omamori.notify.Brand;
import org.omamori.notify.Fault;
import org.omamori.notify.MailBrands;
import org.omamori.notify.Recipients;
import org.omamori.report.ReportPdf;
import org.omamori.report.ServiceAvailability;
import org.omamori.store.CustomerId;
import org.omamori.store.Faults;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;
import org.threeten.extra.MutableClock;

/** {@link MonthlyReports} on H2: every customer once, a rerun makes nothing, mail only when chosen; the service's availability. */
class MonthlyReportsTest {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    static final Instant JUNE_1 = LocalDateTime.of(2026, 6, 1, 0, 0).atZone(JST).toInstant();
    static final YearMonth JUNE = YearMonth.of(2026, 6);
    static ReportPdf pdf;

    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.of(JUNE_1, ZoneOffset.UTC);
    final Editions editions = new Editions();
    Store store;

    @BeforeAll
    static void font() throws Exception {
        Path script = Path.of("../../scripts/fonts.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(script.toString(), "install").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("scripts/fonts.sh install: " + out).isZero();
        pdf = new ReportPdf(Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow()));
    }

    @BeforeEach
    void open() {
        store = Store.open(StoreSettings.h2File(dir.resolve("omamori")), clock);
        editions.install(new NiigataEdition(), "1.0.0");
    }

    @AfterEach
    void close() {
        store.close();
    }

    MonthlyReports reports() {
        return new MonthlyReports(store.reports(), store.faults(), pdf, editions::of,
                new MailBrands(id -> editions.installed(id).map(Editions.Installed::edition), Brand.standard()), 2, clock);
    }

    @Test
    void everyCustomerGetsOneReportAndARerunMakesNone() throws Exception {
        ResellerId niigata = store.tenants().createReseller("新潟商工会議所", Optional.of("niigata"));
        CustomerId first = null;
        for (int i = 0; i < 7; i++) {
            CustomerId c = store.tenants().createCustomer(niigata, "株式会社 " + i);
            store.tenants().registerAppliance(c, new ApplianceId(String.format("0a1b2c3d4e%02d", i)));
            first = first == null ? c : first;
        }
        store.monitoring().recipients(first, Recipients.of("keiri@example.jp"));
        store.reports().setMail(first, true);
        clock.add(Duration.ofDays(30).plusHours(3)); // 1 July 03:00 JST

        MonthlyReports.Run run = reports().run(JUNE);
        assertThat(run.made()).isEqualTo(7);
        assertThat(run.skipped()).isZero();
        assertThat(run.failed()).isZero();
        MonthlyReports.Run again = reports().run(JUNE);
        assertThat(again.made()).isZero();
        assertThat(again.skipped()).isEqualTo(7);
        assertThat(store.reports().list(TenantScope.operator(), first)).hasSize(1);

        byte[] bytes = store.reports().get(TenantScope.customer(first), first, JUNE).orElseThrow();
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("月次セキュリティレポート", "2026年6月", "株式会社 0 御中", new NiigataEdition().brand().service().ja(),
                    "参加企業 7 社の平均");
        }
        var mails = store.monitoring().outbox(20);
        assertThat(mails).as("only the customer that chose mail, once").singleElement().satisfies(m -> {
            assertThat(m.mail().to().addresses()).containsExactly("keiri@example.jp");
            assertThat(m.mail().subject()).contains("2026年6月の月次レポート");
            assertThat(m.mail().body()).contains("/reports");
        });
    }

    @Test
    void availabilityCountsAFaultsWithoutPlannedWindows() {
        Faults faults = store.faults();
        Instant down = JUNE_1.plus(Duration.ofDays(10));
        faults.observe(new Faults.Observation(Fault.Level.A, Fault.Component.DATABASE, "database", "down", Optional.empty(),
                Faults.Affected.everyone()), down);
        faults.resolveKey("database", down.plus(Duration.ofHours(9)), "test", (f, to) -> null);
        faults.observe(new Faults.Observation(Fault.Level.B, Fault.Component.MAIL, "mail", "slow", Optional.empty(),
                Faults.Affected.nobody()), down);
        clock.add(Duration.ofDays(31));

        ServiceAvailability missed = reports().serviceAvailability(JUNE, List.of());
        assertThat(missed.down()).as("the A fault only").isEqualTo(Duration.ofHours(9));
        assertThat(missed.percent()).isCloseTo(100.0 * (720 - 9) / 720, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(missed.met()).isFalse();
        ServiceAvailability met = reports().serviceAvailability(JUNE,
                List.of(new ServiceAvailability.Window(down, down.plus(Duration.ofHours(4)))));
        assertThat(met.down()).isEqualTo(Duration.ofHours(5));
        assertThat(met.met()).as("5 h of 716: 99.3 %").isTrue();
    }

    @Test
    void plannedWindowsAreTheMaintenanceAnnouncedToEveryCustomerNotEmergencyWork() {
        Instant t = JUNE_1.plus(Duration.ofDays(3));
        org.omamori.accounts.AccountId op = new org.omamori.accounts.AccountId(1);
        var all = new org.omamori.store.Announcement.Audience.All();
        var planned = new org.omamori.store.Announcement(1, org.omamori.store.Announcement.Kind.MAINTENANCE, all, "定期", "本文",
                Optional.of(t), Optional.of(t.plus(Duration.ofHours(3))), JUNE_1, op, false, Optional.empty());
        var emergency = new org.omamori.store.Announcement(2, org.omamori.store.Announcement.Kind.MAINTENANCE, all, "緊急", "本文",
                Optional.of(t), Optional.of(t.plus(Duration.ofHours(1))), JUNE_1, op, true, Optional.empty());
        var one = new org.omamori.store.Announcement(3, org.omamori.store.Announcement.Kind.MAINTENANCE,
                new org.omamori.store.Announcement.Audience.OfCustomer(new CustomerId(9)), "個別", "本文", Optional.of(t),
                Optional.of(t.plus(Duration.ofHours(1))), JUNE_1, op, false, Optional.empty());
        var failure = new org.omamori.store.Announcement(4, org.omamori.store.Announcement.Kind.FAILURE, all, "障害", "本文",
                Optional.of(t), Optional.of(t.plus(Duration.ofHours(1))), JUNE_1, op, false, Optional.empty());
        assertThat(MonthlyReports.plannedMaintenance(java.util.List.of(planned, emergency, one, failure)))
                .containsExactly(new org.omamori.report.ServiceAvailability.Window(t, t.plus(Duration.ofHours(3))));
    }
}
