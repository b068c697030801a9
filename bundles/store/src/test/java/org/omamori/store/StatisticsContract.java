package org.omamori.store;

import org.omamori.grading.Grading;
import org.omamori.grading.GradingContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.ID_TIME_OUTLIERS;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.AlertId;
import org.omamori.grading.Facts;
import org.omamori.grading.InternalHost;
import org.omamori.grading.Grade;
import org.threeten.extra.MutableClock;

/**
 * {@link Statistics} proved the same way on every database: subclasses give the database. Each test
 * has a fresh database, since the peers' average counts every customer in it, and a clock of its
 * own, so appliances are registered before the periods looked at.
 */
abstract class StatisticsContract {

    /** A fresh database for one test. */
    abstract StoreSettings settings() throws Exception;

    /** Cleans up after a test (drops a PostgreSQL database). */
    void dispose() throws Exception {
    }

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    static final SecurityFunction IPS = SecurityFunction.IPS;
    static final SecurityFunction AV = SecurityFunction.ANTIVIRUS;
    static final SecurityFunction URL = SecurityFunction.URL_FILTERING;

    /** 2026-06-01 00:00 JST: when the tests' tenants are registered. */
    static final Instant START = LocalDateTime.of(2026, 6, 1, 0, 0).atZone(JST).toInstant();

    final MutableClock clock = MutableClock.of(START, ZoneOffset.UTC);
    StoreSettings settings;
    Store store;
    DSLContext db;

    @BeforeEach
    void open() throws Exception {
        settings = settings();
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

    // ---- fixtures ----

    static Instant jst(int month, int day, int hour, int minute) {
        return LocalDateTime.of(2026, month, day, hour, minute).atZone(JST).toInstant();
    }

    static ApplianceId newApplianceId() {
        return new ApplianceId(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4));
    }

    ResellerId reseller() {
        return store.tenants().createReseller("商工会議所 " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    CustomerId customer(ResellerId r) {
        return store.tenants().createCustomer(r, "株式会社 " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    ApplianceId appliance(CustomerId c, String name) {
        ApplianceId a = newApplianceId();
        store.tenants().registerAppliance(c, a, name);
        return a;
    }

    static Event event(ApplianceId appliance, Instant time, Kind kind, SecurityFunction function, Result result) {
        EventIds ids = new EventIds(Clock.fixed(time, ZoneOffset.UTC));
        try {
            return new Event(ids.next(), appliance, time.truncatedTo(ChronoUnit.MICROS), kind, ZonePair.LAN_TO_WAN,
                    InetAddress.getByName("192.168.1.10"), 51515, InetAddress.getByName("203.0.113.5"), 80,
                    Optional.of(MacAddress.parse("00:1a:2b:3c:4d:5e")), "example.jp", "http://example.jp/", "",
                    function, "engine", "1.0.0", "sid:1", "rule", result, Level.HIGH, 90, Evidence.EXPLOIT_ATTEMPT, "");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A threat at {@code time} whose id the appliance made at {@code idTime} (a clock that stepped, or the slack's edge). */
    static Event threatWithIdAt(ApplianceId appliance, Instant time, Instant idTime) {
        Event e = threat(appliance, time, IPS, Result.BLOCK);
        return new Event(new EventIds(Clock.fixed(idTime, ZoneOffset.UTC)).next(), e.appliance(), e.time(), e.kind(), e.zones(),
                e.source(), e.sourcePort(), e.destination(), e.destinationPort(), e.mac(), e.host(), e.url(), e.dnsName(),
                e.function(), e.engineId(), e.engineVersion(), e.ruleId(), e.ruleName(), e.result(), e.level(), e.confidence(),
                e.evidence(), e.note());
    }

    static Event threat(ApplianceId appliance, Instant time, SecurityFunction function, Result result) {
        return event(appliance, time, Kind.THREAT, function, result);
    }

    void store(ApplianceId appliance, Event... events) {
        store.ingest().store(appliance, List.of(events));
    }

    /** An alert row, as the grading would write it, raised at {@code first}; the facts event is {@code facts}. */
    AlertId alert(CustomerId customer, ApplianceId appliance, Grade grade, SecurityFunction function, Instant first,
                  Instant last, String suppressedBy, UUID facts) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long millis = first.toEpochMilli();
        UUID id = new UUID((millis << 16) | 0x8000L | r.nextInt(0x1000), (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
        UUID factsEvent = facts == null ? UUID.randomUUID() : facts;
        db.insertInto(ALERTS)
                .set(ALERTS.ID, id)
                .set(ALERTS.CUSTOMER_ID, customer.value())
                .set(ALERTS.APPLIANCE_ID, appliance.value())
                .set(ALERTS.RULE, "rule-" + grade.name().toLowerCase())
                .set(ALERTS.GRADE, grade.name())
                .set(ALERTS.ACCUMULATED, false)
                .set(ALERTS.HOST, "192.168.1.10")
                .set(ALERTS.HOST_MAC, "")
                .set(ALERTS.SECURITY_FUNCTION, function.id())
                .set(ALERTS.ENGINE_RULE, "sid:1")
                .set(ALERTS.TARGET, "http://example.jp/")
                .set(ALERTS.FACTS_EVENT, factsEvent)
                // as grading keeps it (V17): the opening event's result, when the event is stored
                .set(ALERTS.OPENING_RESULT, facts == null ? null
                        : db.select(EVENTS.RESULT).from(EVENTS).where(EVENTS.ID.eq(facts)).limit(1).fetchOne(EVENTS.RESULT))
                .set(ALERTS.FIRST_TIME, first.atOffset(ZoneOffset.UTC))
                .set(ALERTS.LAST_TIME, last.atOffset(ZoneOffset.UTC))
                .set(ALERTS.EVENT_COUNT, 1L)
                .set(ALERTS.EVENT_IDS, factsEvent.toString())
                .set(ALERTS.SUPPRESSED_BY, suppressedBy)
                .set(ALERTS.STATE, "OPEN")
                .set(ALERTS.CREATED_AT, first.atOffset(ZoneOffset.UTC))
                .set(ALERTS.UPDATED_AT, last.atOffset(ZoneOffset.UTC))
                .execute();
        return new AlertId(id);
    }

    AlertId alert(CustomerId customer, ApplianceId appliance, Grade grade, SecurityFunction function, Instant first) {
        return alert(customer, appliance, grade, function, first, first.plusSeconds(60), null, null);
    }

    void heartbeat(ApplianceId a, String firmware) {
        store.ingest().heartbeat(a, new Heartbeat(clock.instant(), START, firmware, Map.of(), Map.of("ips", "2026.06.01"), Map.of()));
    }

    // ---- status ----

    @Test
    void statusCountsThreatsAlertsAppliancesAndJapaneseDays() {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        ApplianceId a1 = appliance(c, "本社 1F");
        ApplianceId a2 = appliance(c, "倉庫");
        ApplianceId a3 = appliance(c, "");
        Instant from = jst(6, 9, 0, 0);
        Instant to = jst(6, 11, 0, 0);
        Instant lastMicroOf9th = jst(6, 10, 0, 0).minus(1, ChronoUnit.MICROS);
        Event blocked = threat(a1, lastMicroOf9th, IPS, Result.BLOCK);
        store(a1, blocked,
                threat(a1, jst(6, 10, 0, 0), AV, Result.NEUTRALISE),
                threat(a1, jst(6, 10, 12, 0), IPS, Result.PASS),
                event(a1, jst(6, 10, 12, 1), Kind.ACCESS, URL, Result.PASS),
                threat(a1, from.minus(1, ChronoUnit.MICROS), IPS, Result.BLOCK),
                threat(a1, to, IPS, Result.BLOCK));
        store(a2, threat(a2, jst(6, 10, 23, 59), IPS, Result.BLOCK));

        alert(c, a1, Grade.HIGH, IPS, lastMicroOf9th, jst(6, 10, 5, 0), null, blocked.id().uuid());
        alert(c, a1, Grade.LOW, AV, jst(6, 10, 0, 0));
        alert(c, a2, Grade.MEDIUM, IPS, jst(6, 10, 1, 0), jst(6, 10, 2, 0), "suppression-1", null);
        alert(c, a2, Grade.NONE, IPS, jst(6, 10, 1, 0));
        alert(c, a2, Grade.HIGH, IPS, from.minusSeconds(1), jst(6, 9, 1, 0), null, null);
        alert(c, a2, Grade.HIGH, IPS, to);

        clock.setInstant(to.plusSeconds(3600));
        heartbeat(a2, "1.0.0");
        clock.setInstant(to.plusSeconds(3600 + 11 * 60));
        heartbeat(a1, "1.0.1");

        SecurityStatus s = store.statistics().status(TenantScope.customer(c), c, from, to).orElseThrow();
        assertThat(s.customer()).isEqualTo(c);
        assertThat(s.threats()).containsExactlyInAnyOrder(
                new SecurityStatus.ThreatCount(IPS, Result.BLOCK, 2),
                new SecurityStatus.ThreatCount(AV, Result.NEUTRALISE, 1),
                new SecurityStatus.ThreatCount(IPS, Result.PASS, 1));
        assertThat(s.threats().getFirst().count()).as("most first").isEqualTo(2);
        assertThat(s.threatTotal()).isEqualTo(4);
        assertThat(s.alerts()).isEqualTo(Map.of(Grade.HIGH, 1L, Grade.LOW, 1L));
        assertThat(s.suppressedAlerts()).isEqualTo(1);
        assertThat(s.appliances()).isEqualTo(new SecurityStatus.Appliances(1, 1, 1));
        assertThat(s.days()).containsExactly(
                new SecurityStatus.Day(LocalDate.of(2026, 6, 9), 1, 1),
                new SecurityStatus.Day(LocalDate.of(2026, 6, 10), 3, 1));
        assertThat(s.problemFound()).isTrue();
        // The database counts days as UTC + 9 h: true while Japan keeps one offset.
        assertThat(JST.getRules().getTransitions()).allMatch(t -> t.getInstant().isBefore(Instant.parse("1952-01-01T00:00:00Z")));
        assertThat(JST.getRules().getTransitionRules()).isEmpty();
        assertThat(JST.getRules().getOffset(Instant.now()).getTotalSeconds()).isEqualTo(9 * 3600);

        // A period cut at a UTC midnight touches two Japanese days; an empty customer has no problem.
        CustomerId quiet = customer(r);
        SecurityStatus none = store.statistics().status(TenantScope.customer(quiet), quiet,
                Instant.parse("2026-06-09T00:00:00Z"), Instant.parse("2026-06-10T00:00:00Z")).orElseThrow();
        assertThat(none.days()).extracting(SecurityStatus.Day::day).containsExactly(LocalDate.of(2026, 6, 9), LocalDate.of(2026, 6, 10));
        assertThat(none.days()).allSatisfy(d -> assertThat(d.threats() + d.alerts()).isZero());
        assertThat(none.problemFound()).isFalse();
        assertThat(none.appliances().total()).isZero();

        assertThatThrownBy(() -> store.statistics().status(TenantScope.operator(), c, to, from))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.statistics().status(TenantScope.operator(), c, from, from.plus(Duration.ofDays(401))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- alert list ----

    record Made(AlertId id, ApplianceId appliance, SecurityFunction function, Grade grade, Instant first) {
    }

    @Test
    void alertListFiltersAndPagesWithoutDuplicatesOrGaps() {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        ApplianceId a1 = appliance(c, "本社");
        ApplianceId a2 = appliance(c, "支店");
        Instant base = jst(6, 10, 0, 0);
        Event facts = threat(a1, base, IPS, Result.PASS);
        store(a1, facts);
        List<SecurityFunction> functions = List.of(IPS, AV, URL);
        List<Grade> grades = List.of(Grade.HIGH, Grade.MEDIUM, Grade.LOW, Grade.UNDER_INVESTIGATION);
        List<Made> made = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            ApplianceId a = i % 2 == 0 ? a1 : a2;
            SecurityFunction f = functions.get(i % 3);
            Grade g = grades.get(i % 4);
            Instant first = base.plus(Duration.ofMinutes(10L * (i / 3))); // three alerts share each time: ties by id
            AlertId id = alert(c, a, g, f, first, first.plusSeconds(30), i == 5 ? "s-1" : null, i == 0 ? facts.id().uuid() : null);
            made.add(new Made(id, a, f, g, first));
        }
        alert(c, a1, Grade.HIGH, IPS, base.minusSeconds(1)); // before the period
        Comparator<Made> newestFirst = Comparator.comparing(Made::first).thenComparing(m -> m.id().uuid()).reversed();
        Instant from = base;
        Instant to = jst(6, 11, 0, 0);

        AlertQuery all = AlertQuery.period(from, to).limit(7);
        List<AlertRow> read = readAll(TenantScope.customer(c), all);
        assertThat(read).extracting(AlertRow::id)
                .containsExactlyElementsOf(made.stream().sorted(newestFirst).map(Made::id).toList());

        AlertRow first = read.stream().filter(a -> a.id().equals(made.getFirst().id())).findFirst().orElseThrow();
        assertThat(first.result()).contains(Result.PASS);
        assertThat(first.applianceName()).isEqualTo("本社");
        assertThat(first.customer()).isEqualTo(c);
        assertThat(first.state()).isEqualTo("OPEN");
        assertThat(first.count()).isEqualTo(1);
        assertThat(first.last()).isEqualTo(first.first().plusSeconds(30));
        assertThat(read.stream().filter(AlertRow::suppressed)).extracting(AlertRow::id).containsExactly(made.get(5).id());
        assertThat(read.stream().filter(a -> !a.id().equals(made.getFirst().id()))).allSatisfy(a -> assertThat(a.result()).isEmpty());

        checkFilter(c, all.function(AV), newestFirst, made, m -> m.function().equals(AV));
        checkFilter(c, all.appliance(a2), newestFirst, made, m -> m.appliance().equals(a2));
        checkFilter(c, all.grade(Grade.UNDER_INVESTIGATION), newestFirst, made, m -> m.grade() == Grade.UNDER_INVESTIGATION);
        checkFilter(c, all.function(IPS).appliance(a1).grade(Grade.HIGH), newestFirst, made,
                m -> m.function().equals(IPS) && m.appliance().equals(a1) && m.grade() == Grade.HIGH);
        Instant cut = base.plus(Duration.ofMinutes(50));
        AlertQuery later = new AlertQuery(cut, to, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 4,
                Optional.empty());
        checkFilter(c, later, newestFirst, made, m -> !m.first().isBefore(cut));

        AlertPage one = store.statistics().alerts(TenantScope.customer(c), AlertQuery.period(from, to).limit(AlertQuery.MAX_LIMIT));
        assertThat(one.alerts()).hasSize(37);
        assertThat(one.next()).isEmpty();
        assertThatThrownBy(() -> all.limit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> all.limit(AlertQuery.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlertQuery.period(to, from)).isInstanceOf(IllegalArgumentException.class);
    }

    private void checkFilter(CustomerId c, AlertQuery q, Comparator<Made> order, List<Made> made, Predicate<Made> keep) {
        List<AlertId> expected = made.stream().filter(keep).sorted(order).map(Made::id).toList();
        assertThat(expected).isNotEmpty();
        assertThat(readAll(TenantScope.customer(c), q)).extracting(AlertRow::id).containsExactlyElementsOf(expected);
    }

    /** Every page of the query, checking there are no duplicates. */
    List<AlertRow> readAll(TenantScope scope, AlertQuery q) {
        List<AlertRow> all = new ArrayList<>();
        Set<AlertId> seen = new HashSet<>();
        AlertQuery next = q;
        for (int pages = 0; pages < 1000; pages++) {
            AlertPage page = store.statistics().alerts(scope, next);
            assertThat(page.alerts().size()).isLessThanOrEqualTo(q.limit());
            for (AlertRow a : page.alerts()) {
                assertThat(seen.add(a.id())).as("no duplicate: " + a.id()).isTrue();
                all.add(a);
            }
            if (page.next().isEmpty()) {
                return all;
            }
            assertThat(page.alerts()).hasSize(q.limit());
            next = q.after(page.next().get());
        }
        throw new AssertionError("paging did not end");
    }

    // ---- comparisons ----

    @Test
    void averageOfPeersOnlyOverFiveParticipants() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        Instant from = jst(6, 1, 0, 0);
        Instant to = jst(7, 1, 0, 0);
        clock.setInstant(from.minusSeconds(3600));
        List<CustomerId> customers = new ArrayList<>();
        List<ApplianceId> appliances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CustomerId c = customer(i % 2 == 0 ? r1 : r2);
            customers.add(c);
            appliances.add(appliance(c, "a" + i));
        }
        customer(r1); // no appliance: does not take part
        // customer i: i+1 IPS detections, customer 0 also 3 antivirus; one access event and one outside the period
        for (int i = 0; i < 4; i++) {
            ApplianceId a = appliances.get(i);
            List<Event> events = new ArrayList<>();
            for (int k = 0; k <= i; k++) {
                events.add(threat(a, jst(6, 10 + k, 9, 0), IPS, Result.BLOCK));
            }
            events.add(event(a, jst(6, 10, 9, 30), Kind.ACCESS, URL, Result.PASS));
            events.add(threat(a, to.plusSeconds(1), IPS, Result.BLOCK));
            store.ingest().store(a, events);
        }
        ApplianceId a0 = appliances.getFirst();
        store(a0, threat(a0, jst(6, 20, 9, 0), AV, Result.NEUTRALISE), threat(a0, jst(6, 20, 9, 1), AV, Result.NEUTRALISE),
                threat(a0, jst(6, 20, 9, 2), AV, Result.NEUTRALISE));
        CustomerId c0 = customers.getFirst();

        FunctionComparison four = store.statistics().compareWithPeers(TenantScope.customer(c0), c0, from, to).orElseThrow();
        assertThat(four.participants()).isEqualTo(4);
        assertThat(four.averageAvailable()).isFalse();
        assertThat(four.functions()).containsExactly(
                new FunctionComparison.FunctionCount(AV, 3, java.util.OptionalDouble.empty()),
                new FunctionComparison.FunctionCount(IPS, 1, java.util.OptionalDouble.empty()));

        // A customer whose appliance came after the period does not take part in it.
        clock.setInstant(to.plusSeconds(60));
        CustomerId late = customer(r2);
        appliance(late, "late");
        assertThat(store.statistics().compareWithPeers(TenantScope.customer(c0), c0, from, to).orElseThrow().participants())
                .isEqualTo(4);

        clock.setInstant(from.plusSeconds(60));
        CustomerId fifth = customer(r2);
        ApplianceId a5 = appliance(fifth, "fifth");
        store(a5, threat(a5, jst(6, 15, 0, 0), URL, Result.BLOCK));
        FunctionComparison five = store.statistics().compareWithPeers(TenantScope.customer(c0), c0, from, to).orElseThrow();
        assertThat(five.participants()).isEqualTo(5);
        assertThat(five.averageAvailable()).isTrue();
        assertThat(five.functions()).extracting(f -> f.function().id()).containsExactly("antivirus", "ips", "url-filtering");
        assertThat(five.functions().get(0).own()).isEqualTo(3);
        assertThat(five.functions().get(0).average().getAsDouble()).isCloseTo(3 / 5.0, within(1e-9));
        assertThat(five.functions().get(1).own()).isEqualTo(1);
        assertThat(five.functions().get(1).average().getAsDouble()).isCloseTo((1 + 2 + 3 + 4) / 5.0, within(1e-9));
        assertThat(five.functions().get(2).own()).isZero();
        assertThat(five.functions().get(2).average().getAsDouble()).isCloseTo(1 / 5.0, within(1e-9));
        assertThat(five.customer()).isEqualTo(c0);
        for (CustomerId other : customers.subList(1, 4)) {
            assertThat(five.toString()).doesNotContain("customer " + other.value() + ",", "customer " + other.value() + "]");
        }
    }

    @Test
    void ownAppliancesAgainstEachOther() {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        ApplianceId a1 = appliance(c, "本社");
        ApplianceId a2 = appliance(c, "支店");
        ApplianceId quiet = appliance(c, "倉庫");
        Instant from = jst(6, 1, 0, 0);
        Instant to = jst(6, 8, 0, 0);
        store(a1, threat(a1, jst(6, 2, 0, 0), IPS, Result.BLOCK), threat(a1, jst(6, 3, 0, 0), IPS, Result.BLOCK),
                threat(a1, jst(6, 3, 0, 0), AV, Result.NEUTRALISE), event(a1, jst(6, 3, 1, 0), Kind.ACCESS, URL, Result.PASS),
                threat(a1, to, AV, Result.BLOCK));
        store(a2, threat(a2, jst(6, 4, 0, 0), URL, Result.BLOCK));
        List<ApplianceDetections> list = store.statistics().compareAppliances(TenantScope.customer(c), c, from, to);
        List<ApplianceId> ids = new ArrayList<>(List.of(a1, a2, quiet));
        ids.sort(Comparator.comparing(ApplianceId::value));
        assertThat(list).extracting(ApplianceDetections::appliance).containsExactlyElementsOf(ids);
        Map<ApplianceId, ApplianceDetections> by = new java.util.HashMap<>();
        list.forEach(d -> by.put(d.appliance(), d));
        assertThat(by.get(a1).byFunction()).containsExactly(Map.entry(AV, 1L), Map.entry(IPS, 2L));
        assertThat(by.get(a1).total()).isEqualTo(3);
        assertThat(by.get(a1).name()).isEqualTo("本社");
        assertThat(by.get(a2).byFunction()).containsExactly(Map.entry(URL, 1L));
        assertThat(by.get(quiet).byFunction()).isEmpty();
    }

    @Test
    void fleetStatusGivesLivenessLastContactVersionsAndName() {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        ApplianceId a = appliance(c, "本社 1F");
        heartbeat(a, "2.3.4");
        Instant contact = clock.instant();
        ApplianceStatus s = store.fleet().status(TenantScope.customer(c), contact.plusSeconds(60)).getFirst();
        assertThat(s.liveness()).isEqualTo(ApplianceStatus.Liveness.ONLINE);
        assertThat(s.lastContact()).contains(contact);
        assertThat(s.firmwareVersion()).contains("2.3.4");
        assertThat(s.definitions()).containsEntry("ips", "2026.06.01");
        assertThat(s.name()).isEqualTo("本社 1F");
        assertThat(store.fleet().status(TenantScope.customer(c), contact.plus(Duration.ofMinutes(11))).getFirst().liveness())
                .isEqualTo(ApplianceStatus.Liveness.STOPPED);
    }

    // ---- tenancy ----

    @Test
    void noStatisticsReturnAnotherTenantsRows() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId a = customer(r1);
        CustomerId b = customer(r1);
        CustomerId x = customer(r2);
        Map<CustomerId, ApplianceId> appliance = new java.util.LinkedHashMap<>();
        Map<CustomerId, ResellerId> resellerOf = Map.of(a, r1, b, r1, x, r2);
        Instant from = jst(6, 1, 0, 0);
        Instant to = jst(6, 2, 0, 0);
        int n = 1;
        for (CustomerId c : List.of(a, b, x)) {
            ApplianceId ap = appliance(c, "ap" + n);
            appliance.put(c, ap);
            List<Event> events = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                events.add(threat(ap, jst(6, 1, 1, k), IPS, Result.BLOCK));
            }
            store.ingest().store(ap, events);
            for (int k = 0; k < n; k++) {
                alert(c, ap, Grade.LOW, IPS, jst(6, 1, 2, k));
            }
            heartbeat(ap, "1.0.0");
            n++;
        }
        Map<CustomerId, Integer> count = Map.of(a, 1, b, 2, x, 3);
        Statistics stats = store.statistics();
        AlertQuery period = AlertQuery.period(from, to).limit(2);
        List<TenantScope> scopes = List.of(TenantScope.operator(), TenantScope.reseller(r1), TenantScope.reseller(r2),
                TenantScope.customer(a), TenantScope.customer(b), TenantScope.customer(x));
        for (TenantScope scope : scopes) {
            Set<CustomerId> visible = new HashSet<>();
            for (CustomerId c : List.of(a, b, x)) {
                boolean sees = switch (scope) {
                    case TenantScope.Operator o -> true;
                    case TenantScope.Reseller rs -> rs.id().equals(resellerOf.get(c));
                    case TenantScope.Customer cs -> cs.id().equals(c);
                };
                String as = scope + " asking for " + c;
                Optional<SecurityStatus> status = stats.status(scope, c, from, to);
                Optional<FunctionComparison> peers = stats.compareWithPeers(scope, c, from, to);
                List<ApplianceDetections> own = stats.compareAppliances(scope, c, from, to);
                List<AlertRow> alerts = readAll(scope, period.customer(c));
                if (sees) {
                    visible.add(c);
                    assertThat(status).as(as).isPresent();
                    assertThat(status.get().customer()).as(as).isEqualTo(c);
                    assertThat(status.get().threatTotal()).as(as).isEqualTo((long) count.get(c));
                    assertThat(status.get().alerts()).as(as).isEqualTo(Map.of(Grade.LOW, (long) count.get(c)));
                    assertThat(status.get().appliances().total()).as(as).isEqualTo(1);
                    assertThat(peers).as(as).isPresent();
                    assertThat(peers.get().customer()).as(as).isEqualTo(c);
                    assertThat(peers.get().participants()).as(as).isEqualTo(3);
                    assertThat(peers.get().functions()).as(as)
                            .containsExactly(new FunctionComparison.FunctionCount(IPS, count.get(c), java.util.OptionalDouble.empty()));
                    assertThat(own).as(as).extracting(ApplianceDetections::appliance).containsExactly(appliance.get(c));
                    assertThat(own.getFirst().total()).as(as).isEqualTo((long) count.get(c));
                    assertThat(alerts).as(as).hasSize(count.get(c)).allSatisfy(al -> {
                        assertThat(al.customer()).isEqualTo(c);
                        assertThat(al.appliance()).isEqualTo(appliance.get(c));
                    });
                } else {
                    assertThat(status).as(as).isEmpty();
                    assertThat(peers).as(as).isEmpty();
                    assertThat(own).as(as).isEmpty();
                    assertThat(alerts).as(as).isEmpty();
                }
                assertThat(readAll(scope, period.appliance(appliance.get(c)))).as(as).hasSize(sees ? count.get(c) : 0);
            }
            List<AlertRow> everything = readAll(scope, period);
            assertThat(everything).as(scope.toString()).extracting(AlertRow::customer).allMatch(visible::contains);
            assertThat(everything).as(scope.toString()).hasSize(visible.stream().mapToInt(count::get).sum());
        }
    }

    // ---- partition pruning by the period's id range ----

    /**
     * Dated reads add the id range a period implies (PostgreSQL then reads only its partitions): rows
     * at the period's edges whose ids are at the edges of the slack are all found, rows just outside
     * the period are not, and rows whose id is far from their time (an appliance clock that stepped)
     * are found too, on the way without the range.
     */
    @Test
    void datedReadsFindEveryRowOfThePeriodWhateverItsIdAtTheEdges() {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        ApplianceId a = appliance(c, "本社");
        CustomerId skewed = customer(r);
        ApplianceId s = appliance(skewed, "支店");
        Instant from = jst(6, 10, 0, 0);
        Instant to = jst(6, 20, 0, 0);
        Duration eventSlack = Duration.ofDays(1);
        Duration alertSlack = Duration.ofDays(2);
        Instant last = to.minusNanos(1000); // the last microsecond in the period
        clock.setInstant(from.minusSeconds(3600));
        IngestStore graded = store.ingest(new OpeningGrading(false));
        // In the period: at from with an id a whole slack earlier, at the last microsecond with an id a slack later
        // (the last millisecond within it), and ids exactly at the time.
        graded.store(a, List.of(threatWithIdAt(a, from, from.minus(eventSlack)),
                threatWithIdAt(a, last, last.plus(eventSlack)),
                threatWithIdAt(a, from.plusSeconds(1), from.plusSeconds(1)),
                threatWithIdAt(a, last.minusSeconds(1), last.minusSeconds(1))));
        // Outside: just before from (id at from), at to (id just before to).
        store(a, threatWithIdAt(a, from.minusNanos(1000), from), threatWithIdAt(a, to, to.minusMillis(1)));
        // Alerts raised at the edges with ids a whole alert slack off.
        alertWithIdAt(c, a, from, from.minus(alertSlack));
        alertWithIdAt(c, a, last, last.plus(alertSlack));
        alertWithIdAt(c, a, from.minusNanos(1000), from); // not in the period
        // Another customer's appliance whose clock stepped: ids 5 days ahead of / behind the events' times.
        Instant mid = jst(6, 15, 12, 0);
        graded.store(s, List.of(threatWithIdAt(s, mid, mid.plus(Duration.ofDays(5))),
                threatWithIdAt(s, mid.plusSeconds(1), mid.minus(Duration.ofDays(5)))));

        // Customer c's rows are all within the slack (read by the range); the stepped clock's are noted (read without).
        assertThat(db.fetchCount(ID_TIME_OUTLIERS, ID_TIME_OUTLIERS.CUSTOMER_ID.eq(c.value()))).isZero();
        assertThat(db.fetchCount(ID_TIME_OUTLIERS, ID_TIME_OUTLIERS.CUSTOMER_ID.eq(skewed.value()))).isEqualTo(1);
        Statistics stats = store.statistics();
        for (TenantScope scope : List.of(TenantScope.customer(c), TenantScope.reseller(r), TenantScope.operator())) {
            SecurityStatus st = stats.status(scope, c, from, to).orElseThrow();
            assertThat(st.threats()).as(scope.toString()).extracting(SecurityStatus.ThreatCount::count).containsExactly(4L);
            assertThat(st.days().stream().mapToLong(SecurityStatus.Day::threats).sum()).isEqualTo(4);
            assertThat(st.days().getFirst().threats()).isEqualTo(2);
            assertThat(st.days().getLast().threats()).isEqualTo(2);
            assertThat(st.days().stream().mapToLong(SecurityStatus.Day::alerts).sum()).isEqualTo(4 + 2); // graded + written
            assertThat(stats.compareAppliances(scope, c, from, to).getFirst().byFunction()).isEqualTo(Map.of(IPS, 4L));
            assertThat(stats.compareWithPeers(scope, c, from, to).orElseThrow().functions())
                    .containsExactly(new FunctionComparison.FunctionCount(IPS, 4, java.util.OptionalDouble.empty()));
            assertThat(readAll(scope, AlertQuery.period(from, to).customer(c))).hasSize(6)
                    .extracting(AlertRow::first).allMatch(t -> !t.isBefore(from) && t.isBefore(to));
        }
        SecurityStatus other = stats.status(TenantScope.customer(skewed), skewed, from, to).orElseThrow();
        assertThat(other.threats()).extracting(SecurityStatus.ThreatCount::count).containsExactly(2L);
        assertThat(stats.compareAppliances(TenantScope.customer(skewed), skewed, from, to).getFirst().byFunction())
                .isEqualTo(Map.of(IPS, 2L));
        assertThat(readAll(TenantScope.reseller(r), AlertQuery.period(from, to).customer(skewed))).hasSize(2);
        assertThat(readAll(TenantScope.reseller(r), AlertQuery.period(from, to))).hasSize(6 + 2);
        // A period of days without a noted row reads by the id range and still finds nothing wrongly: the day before.
        assertThat(stats.status(TenantScope.customer(skewed), skewed, from.minus(Duration.ofDays(1)), from).orElseThrow().threats())
                .isEmpty();
        // The overview: open alerts raised since now - 90 days, the first of them exactly at the edge, id a slack earlier.
        Instant now = from.plus(Statistics.OPEN_WITHIN);
        clock.setInstant(now);
        List<CustomerOverview> overview = stats.customerOverview(TenantScope.reseller(r), now);
        assertThat(overview).filteredOn(o -> o.customer().equals(c)).singleElement()
                .satisfies(o -> assertThat(o.openHigh()).isEqualTo(4 + 2));
        assertThat(overview).filteredOn(o -> o.customer().equals(skewed)).singleElement()
                .satisfies(o -> assertThat(o.openHigh()).isEqualTo(2));
    }

    /** An open HIGH alert raised at {@code first} whose id carries {@code idTime}'s milliseconds. */
    void alertWithIdAt(CustomerId customer, ApplianceId appliance, Instant first, Instant idTime) {
        AlertId written = alert(customer, appliance, Grade.HIGH, IPS, first, first.plusSeconds(1), null, null);
        UUID id = written.uuid();
        UUID moved = new UUID((idTime.toEpochMilli() << 16) | (id.getMostSignificantBits() & 0xffffL), id.getLeastSignificantBits());
        db.update(ALERTS).set(ALERTS.ID, moved).where(ALERTS.ID.eq(id)).execute();
    }

    // ---- alert display ids ----

    /** Opens one alert per threat (rule R), or, with {@code fold}, one alert per batch holding all its threats. */
    record OpeningGrading(boolean fold) implements Grading {
        @Override
        public void grade(GradingContext context, List<Event> threats) {
            if (fold) {
                Event first = threats.getFirst();
                context.save(new AlertChange(AlertChange.Type.OPENED, new Alert(AlertId.of("R", first.appliance(), first.id()), "R",
                        Grade.HIGH, false, InternalHost.of(first), Facts.of(first), first.time(), threats.getLast().time(),
                        threats.size(), threats.stream().map(Event::id).toList(), Optional.empty())));
                return;
            }
            for (Event e : threats) {
                context.save(new AlertChange(AlertChange.Type.OPENED, opened(e)));
            }
        }

        static Alert opened(Event e) {
            return new Alert(AlertId.of("R", e.appliance(), e.id()), "R", Grade.HIGH, false, InternalHost.of(e), Facts.of(e),
                    e.time(), e.time(), 1, List.of(e.id()), Optional.empty());
        }
    }

    List<AlertRow> allAlerts(TenantScope scope) {
        return readAll(scope, AlertQuery.period(START.minus(Duration.ofDays(30)), START.plus(Duration.ofDays(30))).limit(AlertQuery.MAX_LIMIT));
    }

    @Test
    void displayIdsAreGivenOnceAndUniquePerCustomerUnderConcurrentIngest() throws Exception {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        ApplianceId a1 = appliance(c, "本社");
        ApplianceId a2 = appliance(c, "支店");
        IngestStore ingest = store.ingest(new OpeningGrading(false));
        Instant received = START.plusSeconds(3600);
        clock.setInstant(received);
        int batches = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (ApplianceId a : List.of(a1, a2)) {
                runs.add(pool.submit(() -> {
                    go.await();
                    for (int b = 0; b < batches; b++) {
                        List<Event> events = new ArrayList<>();
                        for (int k = 0; k < 3; k++) {
                            events.add(threat(a, START.plusSeconds(b * 10L + k), IPS, Result.BLOCK));
                        }
                        ingest.store(a, events);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (var run : runs) {
                run.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AlertRow> alerts = allAlerts(TenantScope.customer(c));
        assertThat(alerts).hasSize(2 * batches * 3);
        assertThat(alerts).as("the opening event's result, kept on the alert (V17)").allMatch(a -> a.result().equals(Optional.of(Result.BLOCK)));
        assertThat(alerts).extracting(AlertRow::displayId).doesNotHaveDuplicates()
                .allMatch(id -> Statistics.DISPLAY_ID.matcher(id).matches())
                .allMatch(id -> id.startsWith(received.getEpochSecond() + "-"));
        assertThat(alerts.stream().map(a -> Long.parseLong(a.displayId().substring(11))).sorted().toList())
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 2L * batches * 3).boxed().toList());

        // A node whose clock is behind continues the sequence; a second later, a new prefix from 1.
        clock.setInstant(received.minusSeconds(5));
        Event late = threat(a1, START.plusSeconds(5000), IPS, Result.BLOCK);
        ingest.store(a1, List.of(late));
        String lateId = store.statistics().alertByDisplayId(TenantScope.customer(c), received.getEpochSecond() + "-" + (2 * batches * 3 + 1))
                .orElseThrow().displayId();
        clock.setInstant(received.plusSeconds(1));
        Event next = threat(a2, START.plusSeconds(5001), IPS, Result.BLOCK);
        ingest.store(a2, List.of(next));
        assertThat(store.statistics().alertByDisplayId(TenantScope.customer(c), (received.getEpochSecond() + 1) + "-1")).isPresent();

        // Grading the same alert again (an upsert of an existing row) keeps its display id and gives none.
        IngestStore again = store.ingest((context, threats) -> context.save(new AlertChange(AlertChange.Type.OPENED, OpeningGrading.opened(late))));
        again.store(a1, List.of(threat(a1, START.plusSeconds(6000), IPS, Result.BLOCK)));
        List<AlertRow> after = allAlerts(TenantScope.customer(c));
        assertThat(after).hasSize(2 * batches * 3 + 2);
        assertThat(after.stream().filter(a -> a.id().equals(AlertId.of("R", a1, late.id()))).findFirst().orElseThrow().displayId())
                .isEqualTo(lateId);
        assertThat(db.fetchValue("SELECT count(*) FROM alert_display_ids WHERE customer_id = " + c.value(), Long.class))
                .isEqualTo(2L * batches * 3 + 2);
        ingest.store(a2, List.of(threat(a2, START.plusSeconds(7000), IPS, Result.BLOCK)));
        assertThat(store.statistics().alertByDisplayId(TenantScope.customer(c), (received.getEpochSecond() + 1) + "-2")).isPresent();
    }

    @Test
    void alertByDisplayIdIsScopedAndRefusesOtherText() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId c = customer(r1);
        CustomerId d = customer(r2);
        ApplianceId ac = appliance(c, "本社");
        ApplianceId ad = appliance(d, "本店");
        IngestStore ingest = store.ingest(new OpeningGrading(false));
        clock.setInstant(START.plusSeconds(60));
        ingest.store(ac, List.of(threat(ac, START.plusSeconds(1), IPS, Result.BLOCK), threat(ac, START.plusSeconds(2), AV, Result.BLOCK)));
        ingest.store(ad, List.of(threat(ad, START.plusSeconds(3), IPS, Result.BLOCK)));
        String one = START.plusSeconds(60).getEpochSecond() + "-1";
        String two = START.plusSeconds(60).getEpochSecond() + "-2";
        Statistics stats = store.statistics();
        AlertRow mine = stats.alertByDisplayId(TenantScope.customer(c), one).orElseThrow();
        assertThat(mine.customer()).isEqualTo(c);
        assertThat(mine.displayId()).isEqualTo(one);
        assertThat(mine.result()).contains(Result.BLOCK);
        assertThat(mine.applianceName()).isEqualTo("本社");
        assertThat(stats.alertByDisplayId(TenantScope.reseller(r1), two)).map(AlertRow::customer).contains(c);
        assertThat(stats.alertByDisplayId(TenantScope.operator(), two)).map(AlertRow::customer).contains(c);
        // "-2" is c's only: every scope that may not see c gets nothing, as for an id nobody has.
        assertThat(stats.alertByDisplayId(TenantScope.customer(d), two)).isEmpty();
        assertThat(stats.alertByDisplayId(TenantScope.reseller(r2), two)).isEmpty();
        assertThat(stats.alertByDisplayId(TenantScope.customer(c), "9999999999-1")).isEmpty();
        // "-1" is both customers': each sees its own; the operator must name the customer.
        assertThat(stats.alertByDisplayId(TenantScope.customer(d), one)).map(AlertRow::customer).contains(d);
        assertThat(stats.alertByDisplayId(TenantScope.operator(), one)).isEmpty();
        assertThat(stats.alertByDisplayId(TenantScope.operator(), d, one)).map(AlertRow::customer).contains(d);
        assertThat(stats.alertByDisplayId(TenantScope.customer(c), d, one)).isEmpty();
        assertThat(stats.alertByDisplayId(TenantScope.reseller(r1), d, one)).isEmpty();
        for (String bad : new String[] {"", "1-1", "123456789-1", "12345678901-1", "1234567890-", "1234567890-1234567890",
                "1234567890-1 ", " 1234567890-1", "1234567890_1", "１２３４５６７８９０-1", "1234567890-1' OR '1'='1", "%", "1234567890-%"}) {
            assertThatThrownBy(() -> stats.alertByDisplayId(TenantScope.operator(), bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> stats.alertByDisplayId(TenantScope.operator(), null)).isInstanceOf(IllegalArgumentException.class);
        // By its id (the alert mail's link): the same alert, within the same scopes.
        assertThat(stats.alert(TenantScope.customer(c), mine.id())).map(AlertRow::displayId).contains(one);
        assertThat(stats.alert(TenantScope.reseller(r1), mine.id())).isPresent();
        assertThat(stats.alert(TenantScope.operator(), mine.id())).isPresent();
        assertThat(stats.alert(TenantScope.customer(d), mine.id())).isEmpty();
        assertThat(stats.alert(TenantScope.reseller(r2), mine.id())).isEmpty();
    }

    @Test
    void alertEventsAreTheAlertsOwnNewestFirstAndScoped() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId c = customer(r1);
        CustomerId x = customer(r2);
        ApplianceId a = appliance(c, "本社");
        ApplianceId ax = appliance(x, "他社");
        IngestStore ingest = store.ingest(new OpeningGrading(true));
        List<Event> events = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            events.add(threat(a, START.plusSeconds(10 + k), IPS, Result.BLOCK));
        }
        Event unrelated = threat(a, START.plusSeconds(100), IPS, Result.PASS);
        ingest.store(a, events);
        store(a, unrelated);
        // Another customer's appliance posts the same ids: its events are never this alert's.
        ingest.store(ax, events.stream().map(e -> new Event(e.id(), ax, e.time(), e.kind(), e.zones(), e.source(), e.sourcePort(),
                e.destination(), e.destinationPort(), e.mac(), e.host(), e.url(), e.dnsName(), e.function(), e.engineId(),
                e.engineVersion(), e.ruleId(), e.ruleName(), Result.PASS, e.level(), e.confidence(), e.evidence(), e.note())).toList());
        AlertId id = AlertId.of("R", a, events.getFirst().id());
        Statistics stats = store.statistics();
        List<StoredEvent> all = stats.alertEvents(TenantScope.customer(c), id, Statistics.MAX_ALERT_EVENTS);
        assertThat(all).extracting(s -> s.event().id()).containsExactlyElementsOf(events.reversed().stream().map(Event::id).toList());
        assertThat(all).allSatisfy(s -> {
            assertThat(s.customer()).isEqualTo(c);
            assertThat(s.event().result()).isEqualTo(Result.BLOCK);
        });
        assertThat(stats.alertEvents(TenantScope.customer(c), id, 2)).extracting(s -> s.event().id())
                .containsExactly(events.get(4).id(), events.get(3).id());
        assertThat(stats.alertEvents(TenantScope.reseller(r1), id, 10)).hasSize(5);
        assertThat(stats.alertEvents(TenantScope.operator(), id, 10)).hasSize(5);
        assertThat(stats.alertEvents(TenantScope.customer(x), id, 10)).isEmpty();
        assertThat(stats.alertEvents(TenantScope.reseller(r2), id, 10)).isEmpty();
        assertThat(stats.alertEvents(TenantScope.customer(c), new AlertId(UUID.randomUUID()), 10)).isEmpty();
        assertThatThrownBy(() -> stats.alertEvents(TenantScope.customer(c), id, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stats.alertEvents(TenantScope.customer(c), id, Statistics.MAX_ALERT_EVENTS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void migrationsBackfillDisplayIdsOutliersAndThreatDays() {
        // A schema of its own, migrated to V10, filled, then migrated on (V11 backfills display ids, V14.1 id/time outliers, V16 threat days, V17 opening results).
        String[] locations = Store.locations(settings.postgres()).toArray(String[]::new);
        String schema = settings.postgres() ? "backfill" : "BACKFILL"; // as each database folds the unquoted name
        org.flywaydb.core.Flyway.configure(Store.class.getClassLoader()).dataSource(store.dataSource()).locations(locations)
                .schemas(schema).defaultSchema(schema).createSchemas(true).target("10").load().migrate();
        db.execute("INSERT INTO backfill.resellers (id, name, created_at) VALUES (1, 'r', TIMESTAMP WITH TIME ZONE '2026-06-01 00:00:00+00')");
        db.execute("INSERT INTO backfill.customers (id, reseller_id, name, created_at) VALUES (1, 1, 'a', TIMESTAMP WITH TIME ZONE '2026-06-01 00:00:00+00')");
        db.execute("INSERT INTO backfill.customers (id, reseller_id, name, created_at) VALUES (2, 1, 'b', TIMESTAMP WITH TIME ZONE '2026-06-01 00:00:00+00')");
        db.execute("INSERT INTO backfill.customers (id, reseller_id, name, created_at) VALUES (3, 1, 'c', TIMESTAMP WITH TIME ZONE '2026-06-01 00:00:00+00')");
        String[][] rows = {
                {"01900000-0000-7000-8000-000000000001", "1", "2026-06-01 00:00:10.25+00"},
                {"01900000-0000-7000-8000-000000000002", "1", "2026-06-01 00:00:10.75+00"},
                {"01900000-0000-7000-8000-000000000003", "1", "2026-06-01 00:00:07+00"},
                {"01900000-0000-7000-8000-000000000004", "2", "2026-06-01 00:00:10+00"}};
        for (String[] row : rows) {
            db.execute("INSERT INTO backfill.alerts (id, customer_id, appliance_id, rule, grade, accumulated, host, host_mac, "
                    + "security_function, engine_rule, target, facts_event, first_time, last_time, event_count, event_ids, state, "
                    + "created_at, updated_at) VALUES ('" + row[0] + "', " + row[1] + ", 'aaaaaaaaaaaa', 'R', 'HIGH', FALSE, "
                    + "'192.168.1.10', '', 'ips', 'sid:1', 't', '" + row[0] + "', TIMESTAMP WITH TIME ZONE '" + row[2]
                    + "', TIMESTAMP WITH TIME ZONE '" + row[2] + "', 1, '', 'OPEN', TIMESTAMP WITH TIME ZONE '" + row[2]
                    + "', TIMESTAMP WITH TIME ZONE '" + row[2] + "')");
        }
        // V16 counts the threats already stored: two on one Japanese day, one on the next, an access event not.
        String[][] events = {
                {"01900000-0000-7000-8000-00000000000a", "threat", "ips", "block", "2026-06-01 14:59:59.999999+00"},
                {"01900000-0000-7000-8000-00000000000b", "threat", "ips", "block", "2026-06-01 00:00:00+00"},
                {"01900000-0000-7000-8000-00000000000c", "threat", "ips", "block", "2026-06-01 15:00:00+00"},
                {"01900000-0000-7000-8000-00000000000d", "access", "url-filtering", "pass", "2026-06-01 01:00:00+00"},
                // the first alert's opening event (its facts_event): V17 copies its result to the alert
                {"01900000-0000-7000-8000-000000000001", "access", "url-filtering", "pass", "2026-06-01 00:00:10.25+00"}};
        for (String[] e : events) {
            db.execute("INSERT INTO backfill.events (id, customer_id, appliance_id, event_time, received_at, kind, zone_from, zone_to, "
                    + "source, source_port, destination, destination_port, mac, host, url, dns_name, security_function, engine_id, "
                    + "engine_version, rule_id, rule_name, result, severity, confidence, evidence, note) VALUES ('" + e[0]
                    + "', 1, 'aaaaaaaaaaaa', TIMESTAMP WITH TIME ZONE '" + e[4] + "', TIMESTAMP WITH TIME ZONE '" + e[4] + "', '"
                    + e[1] + "', 'lan', 'wan', '192.168.1.10', 1, '203.0.113.5', 80, '', '', '', '', '" + e[2]
                    + "', 'e', '1', 'sid:1', 'r', '" + e[3] + "', 'high', 90, 'exploit-attempt', '')");
        }
        org.flywaydb.core.Flyway.configure(Store.class.getClassLoader()).dataSource(store.dataSource()).locations(locations)
                .javaMigrations(new org.omamori.store.internal.V14_1__IdTimeOutliersBackfill())
                .schemas(schema).defaultSchema(schema).load().migrate();
        // V14.1: these ids (2024) are far from their times (2026): noted, so dated reads do not look for them by id range.
        long day = LocalDate.of(2026, 6, 1).toEpochDay();
        assertThat(db.fetch("SELECT customer_id, utc_day, appliance_id FROM backfill.id_time_outliers ORDER BY customer_id")
                .map(r -> r.get(0, Long.class) + " " + r.get(1, Long.class) + " " + r.get(2, String.class)))
                .containsExactly("1 " + day + " aaaaaaaaaaaa", "2 " + day + " aaaaaaaaaaaa");
        long june1 = LocalDate.of(2026, 6, 1).toEpochDay();
        assertThat(db.fetch("SELECT customer_id, jst_day, appliance_id, security_function, result, threats FROM backfill.threat_days "
                        + "ORDER BY jst_day").map(r -> r.get(0, Long.class) + " " + r.get(1, Long.class) + " " + r.get(2, String.class)
                        + " " + r.get(3, String.class) + " " + r.get(4, String.class) + " " + r.get(5, Long.class)))
                .containsExactly("1 " + june1 + " aaaaaaaaaaaa ips block 2", "1 " + (june1 + 1) + " aaaaaaaaaaaa ips block 1");
        assertThat(db.fetch("SELECT opening_result FROM backfill.alerts ORDER BY id").getValues(0, String.class))
                .containsExactly("pass", null, null, null);
        long s10 = Instant.parse("2026-06-01T00:00:10Z").getEpochSecond();
        long s7 = s10 - 3;
        assertThat(db.fetch("SELECT display_id FROM backfill.alerts ORDER BY id").getValues(0, String.class))
                .containsExactly(s10 + "-1", s10 + "-2", s7 + "-1", s10 + "-1");
        assertThat(db.fetch("SELECT customer_id, display_id FROM backfill.alert_display_ids ORDER BY customer_id, display_id")
                .map(r -> r.get(0, Long.class) + " " + r.get(1, String.class)))
                .containsExactly("1 " + s7 + "-1", "1 " + s10 + "-1", "1 " + s10 + "-2", "2 " + s10 + "-1");
        assertThat(db.fetch("SELECT id, alert_display_prefix, alert_display_seq FROM backfill.customers ORDER BY id")
                .map(r -> r.get(1, Long.class) + "-" + r.get(2, Long.class)))
                .containsExactly(s10 + "-2", s10 + "-1", "0-0");
    }

    // ---- threat roll-up (V16) ----

    @Test
    void threatCountsAreTheEventsOwnForWholeAndPartialJapaneseDays() {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        ApplianceId a1 = appliance(c, "本社");
        ApplianceId a2 = appliance(c, "支店");
        SecurityFunction[] functions = {IPS, AV, URL};
        Result[] results = {Result.BLOCK, Result.PASS, Result.NEUTRALISE};
        List<Event> made = new ArrayList<>();
        int i = 0;
        for (int day = 9; day <= 12; day++) {
            Instant midnight = jst(6, day, 0, 0);
            for (Instant t : List.of(midnight, midnight.minus(1, ChronoUnit.MICROS), jst(6, day, 8, 59), jst(6, day, 9, 0),
                    jst(6, day, 12, 30), jst(6, day, 23, 59))) {
                Event e = threat(i % 2 == 0 ? a1 : a2, t, functions[i % 3], results[(i / 3) % 3]);
                // some stand for several occurrences (V32: an appliance folded repeats): counted by their count
                made.add(i % 4 == 1 ? e.withCount(i + 2, e.time().plusSeconds(30)) : e);
                i++;
            }
        }
        List<Event> of1 = made.stream().filter(e -> e.appliance().equals(a1)).toList();
        List<Event> of2 = made.stream().filter(e -> e.appliance().equals(a2)).toList();
        store.ingest().store(a1, of1.subList(0, 5));
        store.ingest().store(a1, of1.subList(3, of1.size())); // two repeated: counted once
        store.ingest().store(a2, of2);
        store.ingest().store(a2, of2); // a replay adds nothing
        store(a1, event(a1, jst(6, 10, 10, 0), Kind.ACCESS, URL, Result.PASS));

        Instant[][] periods = {
                {jst(6, 10, 0, 0), jst(6, 12, 0, 0)}, // whole days: the roll-up alone
                {jst(6, 9, 12, 0), jst(6, 12, 0, 0)}, // a partial first day
                {jst(6, 10, 0, 0), jst(6, 12, 9, 0)}, // a partial last day
                {jst(6, 9, 8, 59), jst(6, 12, 12, 30)}, // both
                {jst(6, 10, 9, 0), jst(6, 10, 23, 59)}, // within one day
                {jst(6, 10, 23, 0), jst(6, 11, 1, 0)}, // across one midnight, no whole day
                {Instant.parse("2026-06-09T00:00:00Z"), Instant.parse("2026-06-12T00:00:00Z")}}; // UTC midnights
        for (Instant[] p : periods) {
            List<Event> in = made.stream().filter(e -> !e.time().isBefore(p[0]) && e.time().isBefore(p[1])).toList();
            Map<String, Long> byFunctionResult = new java.util.TreeMap<>();
            Map<LocalDate, Long> byDay = new java.util.TreeMap<>();
            Map<SecurityFunction, Long> byFunction = new java.util.HashMap<>();
            Map<ApplianceId, Map<SecurityFunction, Long>> byAppliance = new java.util.HashMap<>();
            for (Event e : in) {
                byFunctionResult.merge(e.function().id() + " " + e.result().wire(), e.count(), Long::sum);
                byDay.merge(LocalDate.ofInstant(e.time(), JST), e.count(), Long::sum);
                byFunction.merge(e.function(), e.count(), Long::sum);
                byAppliance.computeIfAbsent(e.appliance(), k -> new java.util.HashMap<>()).merge(e.function(), e.count(), Long::sum);
            }
            String period = p[0] + " to " + p[1];
            SecurityStatus s = store.statistics().status(TenantScope.customer(c), c, p[0], p[1]).orElseThrow();
            Map<String, Long> counted = new java.util.TreeMap<>();
            s.threats().forEach(t -> counted.put(t.function().id() + " " + t.result().wire(), t.count()));
            assertThat(counted).as(period).isEqualTo(byFunctionResult);
            Map<LocalDate, Long> days = new java.util.TreeMap<>();
            s.days().stream().filter(d -> d.threats() > 0).forEach(d -> days.put(d.day(), d.threats()));
            assertThat(days).as(period).isEqualTo(byDay);
            Map<SecurityFunction, Long> own = new java.util.HashMap<>();
            store.statistics().compareWithPeers(TenantScope.customer(c), c, p[0], p[1]).orElseThrow().functions()
                    .stream().filter(f -> f.own() > 0).forEach(f -> own.put(f.function(), f.own()));
            assertThat(own).as(period).isEqualTo(byFunction);
            for (ApplianceDetections d : store.statistics().compareAppliances(TenantScope.customer(c), c, p[0], p[1])) {
                assertThat(d.byFunction()).as(period + " " + d.name()).isEqualTo(byAppliance.getOrDefault(d.appliance(), Map.of()));
            }
        }

        // Retention takes the roll-up's days before the first kept day with the events.
        store.partitions().removeBefore(LocalDate.of(2026, 6, 11));
        SecurityStatus kept = store.statistics().status(TenantScope.customer(c), c, jst(6, 9, 0, 0), jst(6, 13, 0, 0)).orElseThrow();
        assertThat(kept.days()).filteredOn(d -> d.day().isBefore(LocalDate.of(2026, 6, 11))).allSatisfy(d -> assertThat(d.threats()).isZero());
        assertThat(kept.days()).filteredOn(d -> d.day().isAfter(LocalDate.of(2026, 6, 11))).extracting(SecurityStatus.Day::threats)
                .containsExactly(made.stream().filter(e -> LocalDate.ofInstant(e.time(), JST).equals(LocalDate.of(2026, 6, 12)))
                        .mapToLong(Event::count).sum());
        assertThat(made).filteredOn(e -> e.count() > 1).isNotEmpty();
    }

    // ---- reseller overview and search ----

    /** An alert row with the given target, host, state and display id. */
    AlertId alert(CustomerId customer, ApplianceId appliance, Grade grade, Instant first, String target, String host, String displayId) {
        AlertId id = alert(customer, appliance, grade, IPS, first);
        db.update(ALERTS).set(ALERTS.TARGET, target).set(ALERTS.HOST, host).set(ALERTS.DISPLAY_ID, displayId)
                .where(ALERTS.ID.eq(id.uuid())).and(ALERTS.CUSTOMER_ID.eq(customer.value())).execute();
        return id;
    }

    @Test
    void customerOverviewCountsOpenAlertsAndAppliancesPerVisibleCustomer() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId a = customer(r1);
        CustomerId b = customer(r1);
        CustomerId x = customer(r2);
        ApplianceId a1 = appliance(a, "本社");
        ApplianceId a2 = appliance(a, "支店");
        appliance(a, "倉庫"); // never seen
        ApplianceId x1 = appliance(x, "本店");
        Instant now = START.plus(Duration.ofDays(100));
        clock.setInstant(now.minus(Duration.ofMinutes(30)));
        heartbeat(a2, "1.0.0"); // stopped at now
        clock.setInstant(now.minus(Duration.ofMinutes(1)));
        heartbeat(a1, "1.0.0");
        heartbeat(x1, "1.0.0");
        Instant recent = now.minus(Duration.ofDays(1));
        alert(a, a1, Grade.HIGH, IPS, recent);
        alert(a, a1, Grade.HIGH, IPS, recent.plusSeconds(1));
        alert(a, a2, Grade.MEDIUM, IPS, recent);
        alert(a, a1, Grade.LOW, IPS, recent);
        alert(a, a1, Grade.UNDER_INVESTIGATION, IPS, recent);
        alert(a, a1, Grade.HIGH, IPS, recent, recent.plusSeconds(60), "s-1", null); // suppressed
        alert(a, a1, Grade.HIGH, IPS, now.minus(Duration.ofDays(91))); // older than 90 days
        AlertId resolved = alert(a, a1, Grade.HIGH, IPS, recent);
        db.update(ALERTS).set(ALERTS.STATE, "RESOLVED").where(ALERTS.ID.eq(resolved.uuid())).execute();
        alert(x, x1, Grade.MEDIUM, IPS, recent);

        Statistics stats = store.statistics();
        List<CustomerOverview> all = stats.customerOverview(TenantScope.operator(), now);
        Map<CustomerId, CustomerOverview> by = new java.util.HashMap<>();
        all.forEach(o -> by.put(o.customer(), o));
        assertThat(by.get(a)).isEqualTo(new CustomerOverview(a, by.get(a).name(), r1, 2, 1, 3, 1, 1,
                Optional.of(now.minus(Duration.ofMinutes(1))), Optional.of(now.minus(Duration.ofMinutes(30)))));
        assertThat(by.get(x)).isEqualTo(new CustomerOverview(x, by.get(x).name(), r2, 0, 1, 1, 0, 0,
                Optional.of(now.minus(Duration.ofMinutes(1))), Optional.of(now.minus(Duration.ofMinutes(1)))));
        assertThat(by.get(b)).isEqualTo(new CustomerOverview(b, by.get(b).name(), r1, 0, 0, 0, 0, 0, Optional.empty(), Optional.empty()));
        assertThat(by.get(a).name()).startsWith("株式会社");
        assertThat(all).extracting(CustomerOverview::customer).containsSubsequence(a, x, b); // most ★★★, then ★★☆
        assertThat(all).extracting(CustomerOverview::customer).doesNotHaveDuplicates();

        assertThat(stats.customerOverview(TenantScope.reseller(r1), now)).extracting(CustomerOverview::customer).containsExactly(a, b);
        assertThat(stats.customerOverview(TenantScope.reseller(r2), now)).containsExactly(by.get(x));
        assertThat(stats.customerOverview(TenantScope.customer(b), now)).containsExactly(by.get(b));
        assertThat(stats.customerOverview(TenantScope.customer(a), now)).containsExactly(by.get(a));
        // The definitions' age: the same versions again keep their time, new versions start a new one.
        clock.setInstant(now.plus(Duration.ofMinutes(5)));
        heartbeat(x1, "1.0.1");
        assertThat(stats.customerOverview(TenantScope.customer(x), now).getFirst().definitionsSince())
                .contains(now.minus(Duration.ofMinutes(1)));
        clock.setInstant(now.plus(Duration.ofMinutes(6)));
        store.ingest().heartbeat(x1, new Heartbeat(clock.instant(), START, "1.0.1", Map.of(), Map.of("ips", "2026.06.02"), Map.of()));
        assertThat(stats.customerOverview(TenantScope.customer(x), now).getFirst().definitionsSince())
                .contains(now.plus(Duration.ofMinutes(6)));
        assertThat(stats.customerOverview(TenantScope.reseller(new ResellerId(987654)), now)).isEmpty();
        assertThat(stats.customerOverview(TenantScope.customer(new CustomerId(987654)), now)).isEmpty();
    }

    @Test
    void overviewCountsAgainWhenAlertsChangeAgeOutOrAreRemoved() {
        ResellerId r = reseller();
        CustomerId c = customer(r);
        CustomerId quiet = customer(r);
        ApplianceId a = appliance(c, "本社");
        IngestStore ingest = store.ingest(new OpeningGrading(false));
        Instant raised = START.plus(Duration.ofHours(1));
        ingest.store(a, List.of(threat(a, raised, IPS, Result.BLOCK)));
        Instant now = START.plus(Duration.ofDays(10));
        java.util.function.Function<Instant, Map<CustomerId, Long>> high = at -> {
            Map<CustomerId, Long> by = new java.util.HashMap<>();
            store.statistics().customerOverview(TenantScope.reseller(r), at).forEach(o -> by.put(o.customer(), o.openHigh()));
            return by;
        };
        assertThat(high.apply(now)).isEqualTo(Map.of(c, 1L, quiet, 0L));
        assertThat(high.apply(now)).as("the same again, from the counts kept").isEqualTo(Map.of(c, 1L, quiet, 0L));
        // Grading moves the customer's alerts version on: the next page counts again.
        ingest.store(a, List.of(threat(a, raised.plusSeconds(60), IPS, Result.BLOCK)));
        assertThat(high.apply(now)).isEqualTo(Map.of(c, 2L, quiet, 0L));
        // The oldest counted alert leaves the 90-day window: counted again without any write.
        assertThat(high.apply(raised.plus(Statistics.OPEN_WITHIN))).containsEntry(c, 2L);
        assertThat(high.apply(raised.plus(Statistics.OPEN_WITHIN).plusSeconds(1))).containsEntry(c, 1L);
        assertThat(high.apply(raised.plus(Statistics.OPEN_WITHIN).plusSeconds(61))).containsEntry(c, 0L);
        // An earlier "now" than the counts kept is counted again, not answered from them.
        assertThat(high.apply(now)).containsEntry(c, 2L);
        // Retention removing the alerts moves the version on too.
        store.partitions().removeBefore(LocalDate.ofInstant(raised, ZoneOffset.UTC).plusDays(1));
        assertThat(high.apply(now)).isEqualTo(Map.of(c, 0L, quiet, 0L));
    }

    @Test
    void searchMatchesHostTargetRuleAndDisplayIdLiterallyWithinTheScope() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId a = customer(r1);
        CustomerId x = customer(r2);
        ApplianceId a1 = appliance(a, "本社");
        ApplianceId x1 = appliance(x, "他社");
        Instant t = jst(6, 10, 0, 0);
        AlertId percent = alert(a, a1, Grade.HIGH, t, "http://shop.example.jp/100%off", "192.168.1.10", "1780000000-1");
        AlertId underscore = alert(a, a1, Grade.HIGH, t.plusSeconds(1), "http://shop.example.jp/a_b", "192.168.1.20", "1780000000-2");
        AlertId plain = alert(a, a1, Grade.MEDIUM, t.plusSeconds(2), "http://Malware.Example.COM/x", "10.0.0.5", "1780000001-1");
        AlertId bang = alert(a, a1, Grade.LOW, t.plusSeconds(3), "http://example.jp/hey!", "10.0.0.6", "1780000001-2");
        AlertId other = alert(x, x1, Grade.HIGH, t.plusSeconds(4), "http://shop.example.jp/100%off", "192.168.1.10", "1780000000-1");
        Statistics stats = store.statistics();
        TenantScope mine = TenantScope.customer(a);

        assertThat(stats.search(mine, "%", 100)).extracting(AlertRow::id).containsExactly(percent);
        assertThat(stats.search(mine, "_", 100)).extracting(AlertRow::id).containsExactly(underscore);
        assertThat(stats.search(mine, "!", 100)).extracting(AlertRow::id).containsExactly(bang);
        assertThat(stats.search(mine, "a%b", 100)).isEmpty();
        assertThat(stats.search(mine, "malware.example.com", 100)).extracting(AlertRow::id).containsExactly(plain);
        assertThat(stats.search(mine, "  shop.example.jp ", 100)).extracting(AlertRow::id).containsExactly(underscore, percent);
        assertThat(stats.search(mine, "192.168.1.10", 100)).extracting(AlertRow::id).containsExactly(percent);
        assertThat(stats.search(mine, "10.0.0", 100)).extracting(AlertRow::id).containsExactly(bang, plain);
        assertThat(stats.search(mine, "1780000001-1", 100)).extracting(AlertRow::id).containsExactly(plain);
        assertThat(stats.search(mine, "1780000000", 100)).extracting(AlertRow::id).containsExactly(underscore, percent);
        assertThat(stats.search(mine, "RULE-high", 100)).extracting(AlertRow::id).containsExactly(underscore, percent);
        assertThat(stats.search(mine, "sid:1", 2)).extracting(AlertRow::id).containsExactly(bang, plain);
        assertThat(stats.search(mine, "  ", 10)).isEmpty();
        assertThat(stats.search(mine, null, 10)).isEmpty();
        assertThat(stats.search(mine, "' OR 1=1 --", 10)).isEmpty();

        // Scoped: the twin of another tenant never shows; the operator and each reseller see their own.
        assertThat(stats.search(TenantScope.customer(x), "100%off", 100)).extracting(AlertRow::id).containsExactly(other);
        assertThat(stats.search(TenantScope.reseller(r2), "1780000000-1", 100)).extracting(AlertRow::customer).containsExactly(x);
        assertThat(stats.search(TenantScope.reseller(r1), "100%off", 100)).extracting(AlertRow::customer).containsExactly(a);
        assertThat(stats.search(TenantScope.operator(), "100%off", 100)).extracting(AlertRow::id).containsExactly(other, percent);
        assertThat(stats.search(TenantScope.customer(x), "malware", 100)).isEmpty();
        assertThat(stats.search(TenantScope.reseller(r2), "10.0.0", 100)).isEmpty();
        assertThatThrownBy(() -> stats.search(mine, "x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stats.search(mine, "x", Statistics.MAX_SEARCH + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stats.search(mine, "x".repeat(Statistics.MAX_SEARCH_TEXT + 1), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
