package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omamori.store.internal.schema.Tables.ALERTS;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Result;
import org.omamori.grading.Grade;
import org.omamori.notify.Fault;
import org.omamori.report.MonthlyFigures;
import org.threeten.extra.MutableClock;

/** {@link Reports} (and {@link Faults#during}) proved the same way on every database; each test a fresh one. */
abstract class ReportsContract {

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    static final Instant START = StatisticsContract.START; // 2026-06-01 00:00 JST
    static final YearMonth JUNE = YearMonth.of(2026, 6);

    final MutableClock clock = MutableClock.of(START, ZoneOffset.UTC);
    Store store;
    DSLContext db;

    @BeforeEach
    void open() throws Exception {
        StoreSettings settings = settings();
        store = Store.open(settings, clock);
        db = DSL.using(store.dataSource(), settings.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2,
                new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED));
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    static Instant jst(int month, int day, int hour, int minute) {
        return LocalDateTime.of(2026, month, day, hour, minute).atZone(JST).toInstant();
    }

    ResellerId reseller() {
        return store.tenants().createReseller("商工会議所 " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    CustomerId customer(ResellerId r, String name) {
        return store.tenants().createCustomer(r, name);
    }

    ApplianceId appliance(CustomerId c, String name) {
        ApplianceId a = StatisticsContract.newApplianceId();
        store.tenants().registerAppliance(c, a, name);
        return a;
    }

    void heartbeat(ApplianceId a, Instant at, String definitions) {
        clock.setInstant(at);
        store.ingest().heartbeat(a, new Heartbeat(at, START, "1.0.0", Map.of(), Map.of("ips", definitions), Map.of()));
    }

    void alert(CustomerId customer, ApplianceId appliance, Grade grade, Instant first, String displayId) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        UUID id = new UUID((first.toEpochMilli() << 16) | 0x8000L | r.nextInt(0x1000), (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
        db.insertInto(ALERTS).set(ALERTS.ID, id).set(ALERTS.CUSTOMER_ID, customer.value()).set(ALERTS.APPLIANCE_ID, appliance.value())
                .set(ALERTS.RULE, "rule").set(ALERTS.GRADE, grade.name()).set(ALERTS.ACCUMULATED, false).set(ALERTS.HOST, "192.168.1.10")
                .set(ALERTS.HOST_MAC, "").set(ALERTS.SECURITY_FUNCTION, "antivirus").set(ALERTS.ENGINE_RULE, "sid:1")
                .set(ALERTS.TARGET, "http://bad.example/x.exe").set(ALERTS.FACTS_EVENT, UUID.randomUUID()).set(ALERTS.OPENING_RESULT, "block")
                .set(ALERTS.DISPLAY_ID, displayId)
                .set(ALERTS.FIRST_TIME, first.atOffset(ZoneOffset.UTC)).set(ALERTS.LAST_TIME, first.plusSeconds(60).atOffset(ZoneOffset.UTC))
                .set(ALERTS.EVENT_COUNT, 1L).set(ALERTS.EVENT_IDS, "").set(ALERTS.STATE, "OPEN")
                .set(ALERTS.CREATED_AT, first.atOffset(ZoneOffset.UTC)).set(ALERTS.UPDATED_AT, first.atOffset(ZoneOffset.UTC))
                .execute();
    }

    @Test
    void figuresCountTheMonthsDetectionsAlertsHoursAndDefinitionsAndTheAverageNeedsFivePeers() {
        ResellerId r = reseller();
        CustomerId c = customer(r, "株式会社テスト商会");
        ApplianceId a = appliance(c, "本社 1F");
        store.ingest().store(a, List.of(
                StatisticsContract.threat(a, jst(6, 3, 10, 0), SecurityFunction.IPS, Result.BLOCK),
                StatisticsContract.threat(a, jst(6, 3, 11, 0), SecurityFunction.IPS, Result.BLOCK),
                StatisticsContract.threat(a, jst(6, 4, 11, 0), SecurityFunction.ANTIVIRUS, Result.NEUTRALISE),
                StatisticsContract.threat(a, jst(7, 1, 0, 0), SecurityFunction.IPS, Result.BLOCK))); // July: not June's
        alert(c, a, Grade.HIGH, jst(6, 4, 11, 0), "1780538400-1");
        alert(c, a, Grade.MEDIUM, jst(6, 5, 11, 0), "1780624800-2");
        alert(c, a, Grade.LOW, jst(6, 5, 12, 0), "1780628400-3");
        alert(c, a, Grade.HIGH, jst(5, 31, 23, 0), "1780236000-4"); // May
        heartbeat(a, jst(6, 1, 0, 5), "v1");
        heartbeat(a, jst(6, 1, 0, 50), "v1"); // the same hour
        heartbeat(a, jst(6, 1, 1, 5), "v2"); // an update
        heartbeat(a, jst(6, 2, 23, 59), "v3"); // another
        clock.setInstant(jst(7, 1, 3, 0));

        MonthlyFigures f = store.reports().figures(c, JUNE).orElseThrow();
        assertThat(f.company()).isEqualTo("株式会社テスト商会");
        assertThat(f.month()).isEqualTo(JUNE);
        assertThat(f.total()).isEqualTo(3);
        assertThat(f.functions()).extracting(MonthlyFigures.FunctionCount::function, MonthlyFigures.FunctionCount::own)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ips", 2L), org.assertj.core.groups.Tuple.tuple("antivirus", 1L));
        assertThat(f.participants()).isEqualTo(1);
        assertThat(f.averageShown()).isFalse();
        assertThat(f.functions()).allSatisfy(fc -> assertThat(fc.average()).isEmpty());
        assertThat(f.alerts()).extracting(MonthlyFigures.ImportantAlert::displayId).containsExactly("1780538400-1", "1780624800-2");
        assertThat(f.alerts().getFirst().stars()).isEqualTo("★★★");
        assertThat(f.alerts().getFirst().result()).contains("block");
        MonthlyFigures.ApplianceFigures af = f.appliances().getFirst();
        assertThat(af.name()).isEqualTo("本社 1F");
        assertThat(af.total()).isEqualTo(3);
        assertThat(af.hoursSeen()).isEqualTo(3);
        assertThat(af.hoursExpected()).isEqualTo(30 * 24);
        assertThat(af.definitionsUpdates()).isEqualTo(2);
        assertThat(af.definitionsSince()).contains(jst(6, 2, 23, 59));

        clock.setInstant(jst(6, 20, 0, 0)); // peers take part with an appliance registered before the month's end
        for (int i = 0; i < 4; i++) {
            CustomerId peer = customer(r, "peer " + i);
            ApplianceId pa = appliance(peer, "");
            store.ingest().store(pa, List.of(StatisticsContract.threat(pa, jst(6, 10, 10, i), SecurityFunction.IPS, Result.BLOCK)));
        }
        clock.setInstant(jst(7, 1, 4, 0)); // past the peers' minute of caching
        MonthlyFigures five = store.reports().figures(c, JUNE).orElseThrow();
        assertThat(five.participants()).isEqualTo(5);
        assertThat(five.averageShown()).isTrue();
        assertThat(five.functions()).filteredOn(fc -> fc.function().equals("ips")).singleElement()
                .satisfies(fc -> assertThat(fc.average()).hasValue(6.0 / 5));
        assertThat(store.reports().figures(new CustomerId(999_999), JUNE)).isEmpty();
    }

    @Test
    void savingIsOncePerCustomerAndMonthAndReadsAreScoped() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId c = customer(r1, "一社");
        CustomerId other = customer(r2, "二社");
        clock.setInstant(jst(7, 1, 3, 0));
        assertThat(store.reports().pending(JUNE, 0, 100)).containsExactly(c, other);
        assertThat(store.reports().pending(JUNE.minusMonths(1), 0, 100)).as("no customer before June").isEmpty();

        byte[] pdf = {'%', 'P', 'D', 'F', 1};
        assertThat(store.reports().save(c, JUNE, pdf)).isTrue();
        assertThat(store.reports().save(c, JUNE, new byte[] {9})).as("a rerun keeps the first").isFalse();
        assertThat(store.reports().get(TenantScope.operator(), c, JUNE)).hasValueSatisfying(b -> assertThat(b).isEqualTo(pdf));
        assertThat(store.reports().pending(JUNE, 0, 100)).containsExactly(other);
        assertThat(store.reports().pending(JUNE, other.value(), 100)).isEmpty();
        assertThat(store.reports().progress(JUNE)).isEqualTo(new Reports.Progress(2, 1));

        assertThat(store.reports().get(TenantScope.customer(c), c, JUNE)).isPresent();
        assertThat(store.reports().get(TenantScope.reseller(r1), c, JUNE)).isPresent();
        assertThat(store.reports().get(TenantScope.customer(other), c, JUNE)).as("another customer").isEmpty();
        assertThat(store.reports().get(TenantScope.reseller(r2), c, JUNE)).as("another reseller").isEmpty();
        assertThat(store.reports().get(TenantScope.customer(c), c, JUNE.minusMonths(1))).isEmpty();
        assertThat(store.reports().list(TenantScope.customer(c), c)).singleElement()
                .satisfies(s -> {
                    assertThat(s.month()).isEqualTo(JUNE);
                    assertThat(s.bytes()).isEqualTo(5);
                    assertThat(s.createdAt()).isEqualTo(jst(7, 1, 3, 0));
                });
        assertThat(store.reports().list(TenantScope.reseller(r2), c)).isEmpty();

        store.reports().setMail(c, true); // no recipients: saved, nothing mailed, no failure
        assertThat(store.reports().save(c, JUNE.plusMonths(1), pdf, to -> {
            throw new AssertionError("no recipients, no mail");
        })).isTrue();

        store.tenants().erase(c);
        assertThat(store.reports().list(TenantScope.operator(), c)).as("erased with the customer").isEmpty();
    }

    @Test
    void faultsDuringAPeriodAreThoseOpenInIt() {
        Faults faults = store.faults();
        var a = faults.observe(new Faults.Observation(Fault.Level.A, Fault.Component.DATABASE, "database", "down", Optional.empty(),
                Faults.Affected.everyone()), jst(6, 10, 0, 0)).fault();
        faults.resolveKey("database", jst(6, 10, 2, 0), "test", (f, to) -> null);
        faults.observe(new Faults.Observation(Fault.Level.B, Fault.Component.MAIL, "mail", "slow", Optional.empty(),
                Faults.Affected.nobody()), jst(7, 2, 0, 0));
        assertThat(faults.during(jst(6, 1, 0, 0), jst(7, 1, 0, 0))).extracting(Faults.Entry::id).containsExactly(a.id());
        assertThat(faults.during(jst(6, 10, 2, 0), jst(7, 1, 0, 0))).as("resolved as the period began").isEmpty();
        assertThat(faults.during(jst(7, 1, 0, 0), jst(8, 1, 0, 0))).extracting(Faults.Entry::key).containsExactly("mail");
    }
}
