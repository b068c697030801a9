package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
import org.omamori.store.ApplianceStatus.Liveness;
import org.omamori.store.internal.Secrets;

/** The store's rules, proved the same way on every database: subclasses give the database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {

    /** The database of this run; opened once for the class. */
    abstract StoreSettings settings() throws Exception;

    /** Cleans up after the class (drops a PostgreSQL database). */
    void dispose() throws Exception {
    }

    StoreSettings settings;
    Store store;

    @BeforeAll
    void open() throws Exception {
        settings = settings();
        store = Store.open(settings, Clock.systemUTC());
    }

    @AfterAll
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    // ---- fixtures ----

    static ApplianceId newApplianceId() {
        return new ApplianceId(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4));
    }

    record Tenant(ResellerId reseller, CustomerId customer, ApplianceId appliance, String code) {
    }

    Tenant newTenant() {
        return newTenant(store);
    }

    static Tenant newTenant(Store store) {
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
        ResellerId r = store.tenants().createReseller("商工会議所 " + suffix);
        CustomerId c = store.tenants().createCustomer(r, "株式会社テスト " + suffix);
        ApplianceId a = newApplianceId();
        String code = store.tenants().registerAppliance(c, a);
        return new Tenant(r, c, a, code);
    }

    static Event event(EventIds ids, ApplianceId appliance, Instant time, SecurityFunction function) {
        try {
            return new Event(ids.next(), appliance, time.truncatedTo(ChronoUnit.MICROS), Kind.THREAT, ZonePair.LAN_TO_WAN,
                    InetAddress.getByName("192.168.1.10"), 51515, InetAddress.getByName("2001:db8:0:0:0:0:0:5"), 80,
                    Optional.of(MacAddress.parse("00:1a:2b:3c:4d:5e")), "example.jp", "http://example.jp/login?id=1", "",
                    function, "ips-hyperscan", "1.0.0", "sid:1000001", "SQL injection in URI", Result.BLOCK, Level.HIGH, 90,
                    Evidence.EXPLOIT_ATTEMPT, "日本語の注記");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static List<Event> events(ApplianceId appliance, int n, Instant start) {
        EventIds ids = new EventIds(Clock.fixed(start, ZoneOffset.UTC));
        List<Event> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(event(ids, appliance, start.plusMillis(i), i % 2 == 0 ? SecurityFunction.IPS : SecurityFunction.ANTIVIRUS));
        }
        return list;
    }

    <T> T sql(String query, Object parameter, Class<T> type) throws SQLException {
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             PreparedStatement s = c.prepareStatement(query)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getObject(1, type) : null;
            }
        }
    }

    // ---- migrations ----

    @Test
    void migrationsApplyOnAnEmptyDatabaseAndAgainWithoutChange() throws Exception {
        assertThat(sql("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = ?", true, Long.class))
                .isGreaterThanOrEqualTo(3);
        Store again = Store.open(settings, Clock.systemUTC());
        again.close();
        assertThat(store.database()).isEqualTo(settings.postgres() ? "PostgreSQL" : "H2");
    }

    // ---- activation and authentication ----

    @Test
    void activationCodeGivesATokenOnceAndOnlyForItsAppliance() {
        Tenant t = newTenant();
        IngestStore ingest = store.ingest();
        assertThat(ingest.activate(t.appliance(), "WRONG-CODE")).isEmpty();
        assertThat(ingest.activate(newApplianceId(), t.code())).as("the code of another appliance id").isEmpty();
        Optional<String> token = ingest.activate(t.appliance(), t.code());
        assertThat(token).isPresent();
        assertThat(token.get()).matches("[A-Za-z0-9._~+/=-]{16,512}");
        assertThat(ingest.activate(t.appliance(), t.code())).as("a used code").isEmpty();
        assertThat(store.tenants().appliances(TenantScope.customer(t.customer())))
                .singleElement().satisfies(a -> {
                    assertThat(a.activationPending()).isFalse();
                    assertThat(a.activatedAt()).isPresent();
                });
    }

    @Test
    void tokenAndCodeAreStoredOnlyAsHashes() throws Exception {
        Tenant t = newTenant();
        assertThat(sql("SELECT activation_code_hash FROM appliances WHERE id = ?", t.appliance().value(), String.class))
                .isEqualTo(Secrets.hash(t.code())).doesNotContain(t.code());
        String token = store.ingest().activate(t.appliance(), t.code()).orElseThrow();
        assertThat(sql("SELECT token_hash FROM appliances WHERE id = ?", t.appliance().value(), String.class))
                .isEqualTo(Secrets.hash(token)).isNotEqualTo(token);
        assertThat(sql("SELECT activation_code_hash FROM appliances WHERE id = ?", t.appliance().value(), String.class)).isNull();
        assertThat(sql("SELECT COUNT(*) FROM appliances WHERE token_hash = ? ", token, Long.class)).isZero();
    }

    @Test
    void authenticateFindsTheApplianceOfAToken() {
        Tenant t = newTenant();
        String token = store.ingest().activate(t.appliance(), t.code()).orElseThrow();
        assertThat(store.ingest().authenticate(token)).contains(t.appliance());
        assertThat(store.ingest().authenticate(Secrets.newDeviceToken())).isEmpty();
        assertThat(store.ingest().authenticate("")).isEmpty();
    }

    @Test
    void aNewActivationCodeReplacesTheTokenWhenUsed() {
        Tenant t = newTenant();
        String first = store.ingest().activate(t.appliance(), t.code()).orElseThrow();
        String code = store.tenants().issueActivationCode(t.appliance());
        assertThat(store.ingest().authenticate(first)).as("the old token works until the new code is used").contains(t.appliance());
        String second = store.ingest().activate(t.appliance(), code).orElseThrow();
        assertThat(store.ingest().authenticate(first)).isEmpty();
        assertThat(store.ingest().authenticate(second)).contains(t.appliance());
        assertThatThrownBy(() -> store.tenants().issueActivationCode(newApplianceId()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
    }

    @Test
    void registeringAnApplianceTwiceIsRefused() {
        Tenant t = newTenant();
        assertThatThrownBy(() -> store.tenants().registerAppliance(t.customer(), t.appliance()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered already");
        assertThatThrownBy(() -> store.tenants().createCustomer(new ResellerId(-1), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    // ---- events ----

    @Test
    void aReplayedBatchStoresNothingTwice() {
        Tenant t = newTenant();
        List<Event> batch = events(t.appliance(), 10, Instant.now().minusSeconds(60));
        assertThat(store.ingest().store(t.appliance(), batch)).isEqualTo(new IngestResult(10, 10, 0));
        assertThat(store.ingest().store(t.appliance(), batch)).isEqualTo(new IngestResult(10, 0, 10));

        List<Event> mixed = new ArrayList<>(batch.subList(5, 10));
        mixed.addAll(events(t.appliance(), 5, Instant.now().minusSeconds(30)));
        assertThat(store.ingest().store(t.appliance(), mixed)).isEqualTo(new IngestResult(10, 5, 5));

        List<Event> repeatedWithin = List.of(batch.get(0), batch.get(0));
        assertThat(store.ingest().store(t.appliance(), repeatedWithin)).isEqualTo(new IngestResult(2, 0, 2));
        Event fresh = events(t.appliance(), 1, Instant.now().minusSeconds(10)).get(0);
        assertThat(store.ingest().store(t.appliance(), List.of(fresh, fresh))).isEqualTo(new IngestResult(2, 1, 1));

        assertThat(store.events().count(TenantScope.customer(t.customer()),
                EventQuery.period(Instant.now().minusSeconds(3600), Instant.now().plusSeconds(60)))).isEqualTo(16);
        assertThat(store.ingest().store(t.appliance(), List.of())).isEqualTo(new IngestResult(0, 0, 0));
    }

    @Test
    void eventsOfAnotherApplianceAreRefusedAndNothingOfTheBatchIsStored() {
        Tenant t = newTenant();
        Tenant other = newTenant();
        List<Event> batch = new ArrayList<>(events(t.appliance(), 3, Instant.now().minusSeconds(60)));
        batch.add(events(other.appliance(), 1, Instant.now().minusSeconds(60)).get(0));
        assertThatThrownBy(() -> store.ingest().store(t.appliance(), batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events[3].appliance: " + other.appliance())
                .hasMessageContaining("not the appliance of this batch (" + t.appliance() + ")");
        assertThat(store.events().count(TenantScope.operator(),
                EventQuery.period(Instant.now().minusSeconds(3600), Instant.now().plusSeconds(60)).appliance(t.appliance()))).isZero();
    }

    @Test
    void storedEventsReadBackEqualWithTheirCustomer() {
        Tenant t = newTenant();
        Instant start = Instant.parse("2026-11-23T10:15:30.123456Z");
        List<Event> batch = new ArrayList<>(events(t.appliance(), 3, start));
        // one stands for 37 occurrences (format 1.1, V32); the others for one each, as format 1.0 events did
        batch.set(1, batch.get(1).withCount(37, batch.get(1).time().plusMillis(59_500)));
        store.ingest().store(t.appliance(), batch);
        EventQuery period = EventQuery.period(start, start.plusSeconds(1));
        EventPage page = store.events().events(TenantScope.customer(t.customer()), period);
        assertThat(page.events()).extracting(StoredEvent::event).containsExactlyElementsOf(batch.reversed());
        assertThat(page.events()).allSatisfy(e -> assertThat(e.customer()).isEqualTo(t.customer()));
        assertThat(page.events()).extracting(e -> e.event().count()).containsExactly(1L, 37L, 1L);
        assertThat(page.events().get(1).event().last()).isEqualTo(start.plusMillis(1).plusMillis(59_500));
        assertThat(page.next()).isEmpty();
        assertThat(store.events().count(TenantScope.customer(t.customer()), period)).isEqualTo(3);
        assertThat(store.events().occurrences(TenantScope.customer(t.customer()), period)).isEqualTo(39);
        assertThat(store.events().occurrences(TenantScope.customer(newTenant().customer()), period)).isZero();
    }

    @Test
    void eventsArePagedNewestFirstAndFilteredByFunctionAndAppliance() {
        Tenant t = newTenant();
        ApplianceId second = newApplianceId();
        store.tenants().registerAppliance(t.customer(), second);
        Instant start = Instant.parse("2026-10-01T00:00:00Z");
        store.ingest().store(t.appliance(), events(t.appliance(), 25, start));
        store.ingest().store(second, events(second, 4, start.plusSeconds(1)));
        TenantScope scope = TenantScope.customer(t.customer());
        EventQuery query = EventQuery.period(start, start.plusSeconds(60)).appliance(t.appliance()).limit(10);

        List<StoredEvent> seen = new ArrayList<>();
        EventPage page = store.events().events(scope, query);
        int pages = 1;
        seen.addAll(page.events());
        while (page.next().isPresent()) {
            page = store.events().events(scope, query.after(page.next().get()));
            seen.addAll(page.events());
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).extracting(e -> e.event().id()).doesNotHaveDuplicates();
        assertThat(seen).extracting(e -> e.event().time()).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(store.events().count(scope, query.function(SecurityFunction.IPS))).isEqualTo(13);
        assertThat(store.events().events(scope, query.function(SecurityFunction.ANTIVIRUS).limit(100)).events())
                .hasSize(12).allSatisfy(e -> assertThat(e.event().function()).isEqualTo(SecurityFunction.ANTIVIRUS));
        assertThat(store.events().count(scope, EventQuery.period(start, start.plusSeconds(60)))).isEqualTo(29);
        assertThat(store.events().count(scope, EventQuery.period(start.plusSeconds(60), start.plusSeconds(120)))).isZero();
    }

    // ---- heartbeats ----

    @Test
    void theLastHeartbeatIsStoredAndGivesTheApplianceStatus() {
        Tenant t = newTenant();
        ApplianceId silent = newApplianceId();
        store.tenants().registerAppliance(t.customer(), silent);
        Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Heartbeat first = new Heartbeat(sent.minusSeconds(60), sent.minusSeconds(3600), "1.0.0",
                Map.of("java", "25+36-LTS"), Map.of("ips", "2026.11.23.1"), Map.of("spooled", 5L, "sent", 4L));
        Heartbeat second = new Heartbeat(sent, sent.minusSeconds(3600), "1.0.1",
                Map.of("java", "25+36-LTS", "os", "Linux 6.1"), Map.of("ips", "2026.11.23.2", "urlfilter", "ut1-20261120"),
                Map.of("spooled", 7L, "sent", 7L, "spoolBytes", 12_345_678_901L));
        store.ingest().heartbeat(t.appliance(), first);
        store.ingest().heartbeat(t.appliance(), second);
        TenantScope scope = TenantScope.customer(t.customer());
        assertThat(store.fleet().lastHeartbeat(scope, t.appliance())).contains(second);

        Instant now = Instant.now();
        assertThat(store.fleet().status(scope, now)).hasSize(2).anySatisfy(s -> {
            assertThat(s.appliance()).isEqualTo(t.appliance());
            assertThat(s.liveness()).isEqualTo(Liveness.ONLINE);
            assertThat(s.firmwareVersion()).contains("1.0.1");
            assertThat(s.definitions()).containsEntry("urlfilter", "ut1-20261120");
            assertThat(s.lastContact()).hasValueSatisfying(c -> assertThat(c).isBetween(now.minusSeconds(60), now));
        }).anySatisfy(s -> {
            assertThat(s.appliance()).isEqualTo(silent);
            assertThat(s.liveness()).isEqualTo(Liveness.NEVER_SEEN);
            assertThat(s.lastContact()).isEmpty();
        });
        assertThat(store.fleet().status(scope, now.plus(Duration.ofMinutes(11))))
                .filteredOn(s -> s.appliance().equals(t.appliance())).singleElement()
                .extracting(ApplianceStatus::liveness).isEqualTo(Liveness.STOPPED);
        assertThatThrownBy(() -> store.ingest().heartbeat(newApplianceId(), first))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered");
    }

    // ---- tenancy ----

    @Test
    void noReadReturnsAnotherTenantsRows() {
        Tenant a = newTenant();
        Tenant b = newTenant();
        Instant start = Instant.now().minusSeconds(120);
        for (Tenant t : List.of(a, b)) {
            store.ingest().store(t.appliance(), events(t.appliance(), 7, start));
            store.ingest().heartbeat(t.appliance(), new Heartbeat(start, start, "1.0.0", Map.of(), Map.of(), Map.of()));
        }
        EventQuery all = EventQuery.period(start.minusSeconds(1), Instant.now().plusSeconds(1)).limit(1000);
        for (Tenant own : List.of(a, b)) {
            Tenant other = own == a ? b : a;
            for (TenantScope scope : List.of(TenantScope.customer(own.customer()), TenantScope.reseller(own.reseller()))) {
                String as = scope + " of " + own;
                assertThat(store.events().events(scope, all).events()).as(as).hasSize(7)
                        .allSatisfy(e -> assertThat(e.customer()).isEqualTo(own.customer()))
                        .allSatisfy(e -> assertThat(e.event().appliance()).isEqualTo(own.appliance()));
                assertThat(store.events().events(scope, all.appliance(other.appliance())).events()).as(as).isEmpty();
                assertThat(store.events().count(scope, all)).as(as).isEqualTo(7);
                assertThat(store.events().count(scope, all.appliance(other.appliance()))).as(as).isZero();
                assertThat(store.tenants().customers(scope)).as(as).extracting(Customer::id).containsExactly(own.customer());
                assertThat(store.tenants().resellers(scope)).as(as).extracting(Reseller::id).containsExactly(own.reseller());
                assertThat(store.tenants().appliances(scope)).as(as).extracting(Appliance::id).containsExactly(own.appliance());
                assertThat(store.fleet().status(scope, Instant.now())).as(as).extracting(ApplianceStatus::appliance)
                        .containsExactly(own.appliance());
                assertThat(store.fleet().lastHeartbeat(scope, own.appliance())).as(as).isPresent();
                assertThat(store.fleet().lastHeartbeat(scope, other.appliance())).as(as).isEmpty();
            }
        }
        TenantScope operator = TenantScope.operator();
        Set<CustomerId> seen = new HashSet<>();
        store.events().events(operator, all).events().forEach(e -> seen.add(e.customer()));
        assertThat(seen).contains(a.customer(), b.customer());
        assertThat(store.tenants().customers(operator)).extracting(Customer::id).contains(a.customer(), b.customer());
        assertThat(store.fleet().status(operator, Instant.now())).extracting(ApplianceStatus::appliance)
                .contains(a.appliance(), b.appliance());
    }

    // ---- retention ----

    @Test
    void retentionRemovesTheEventsOfDaysBeforeTheFirstKept() {
        Tenant t = newTenant();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant old = today.minusDays(120).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
        Instant recent = Instant.now().minusSeconds(5);
        store.ingest().store(t.appliance(), events(t.appliance(), 3, old));
        store.ingest().store(t.appliance(), events(t.appliance(), 2, recent));
        EventPartitions.Removed removed = store.partitions().removeBefore(today.minusDays(90));
        assertThat(removed.rows() + removed.partitions().size()).isPositive();
        TenantScope scope = TenantScope.customer(t.customer());
        assertThat(store.events().count(scope, EventQuery.period(old.minusSeconds(60), recent.plusSeconds(60)))).isEqualTo(2);
    }

    // ---- throughput (a measurement, printed; not a pass/fail bound) ----

    @Test
    void storesBatchesOfAThousandEvents() {
        Tenant t = newTenant();
        int batches = 20;
        Instant start = Instant.now().minusSeconds(3600);
        List<List<Event>> all = new ArrayList<>();
        for (int i = 0; i < batches + 2; i++) {
            all.add(events(t.appliance(), 1000, start.plusSeconds(i)));
        }
        store.ingest().store(t.appliance(), all.get(0)); // warm up
        store.ingest().store(t.appliance(), all.get(1));
        long began = System.nanoTime();
        int stored = 0;
        for (int i = 2; i < batches + 2; i++) {
            stored += store.ingest().store(t.appliance(), all.get(i)).stored();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        long replayBegan = System.nanoTime();
        IngestResult replay = store.ingest().store(t.appliance(), all.get(5));
        double replayMs = (System.nanoTime() - replayBegan) / 1e6;
        System.out.printf("THROUGHPUT %s: %d events in %d batches of 1000 in %.2f s = %.0f events/s; a replayed batch %.0f ms%n",
                store.database(), stored, batches, seconds, stored / seconds, replayMs);
        assertThat(stored).isEqualTo(batches * 1000);
        assertThat(replay).isEqualTo(new IngestResult(1000, 0, 1000));
    }

    // ---- contract end ----

    @Test
    void erasingACustomerLeavesNothingOfItReadableAndTheOtherCustomerWhole() throws Exception {
        Tenant gone = newTenant();
        Tenant kept = newTenant();
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String contactMail = "keiri-" + suffix + "@erase.example.jp";
        String recipient = "soumu-" + suffix + "@erase.example.jp";
        String phone = "+8190" + (10_000_000 + ThreadLocalRandom.current().nextInt(89_999_999));
        String loginId = "erase." + suffix;
        String companyName = store.tenants().profile(TenantScope.operator(), gone.customer()).orElseThrow().name();
        for (Tenant t : List.of(gone, kept)) {
            String token = store.ingest().activate(t.appliance(), t.code()).orElseThrow();
            assertThat(store.ingest().authenticate(token)).contains(t.appliance());
            store.ingest((context, threats) -> threats.forEach(e -> context.save(new org.omamori.grading.AlertChange(
                    org.omamori.grading.AlertChange.Type.OPENED, new org.omamori.grading.Alert(
                            org.omamori.grading.AlertId.of("R", e.appliance(), e.id()), "R", org.omamori.grading.Grade.HIGH, false,
                            org.omamori.grading.InternalHost.of(e), org.omamori.grading.Facts.of(e), e.time(), e.time(), 1,
                            List.of(e.id()), Optional.empty())))))
                    .store(t.appliance(), events(t.appliance(), 4, Instant.now().minusSeconds(60)));
            store.ingest().heartbeat(t.appliance(), new Heartbeat(Instant.now(), Instant.now(), "1.0.0", Map.of(), Map.of("ips", "1"), Map.of()));
        }
        store.tenants().updateProfile(TenantScope.operator(), gone.customer(), new CustomerProfile(companyName, "消去 太郎" + suffix,
                "総務部", "部長", contactMail, "新潟市中央区" + suffix, "025-000-0000"));
        store.monitoring().recipients(gone.customer(), new org.omamori.notify.Recipients(List.of(recipient)));
        store.monitoring().suppress(gone.customer(), new org.omamori.grading.Suppression("s-" + suffix, "R", Optional.empty(),
                "訓練" + suffix, "operator", Instant.now().minusSeconds(10), Instant.now().plusSeconds(3600)));
        var accounts = store.accounts(new byte[32]);
        var account = accounts.create(loginId, "消去 花子" + suffix, new org.omamori.accounts.AccountScope.OfCustomer(gone.customer().value()),
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", null);
        accounts.setPhone(TenantScope.customer(gone.customer()), account, phone, account);
        store.smsOutbox().enqueue(phone, "確認コード 123456 " + suffix, Instant.now());
        store.outbox().enqueue("account-issued:" + account.value(), new org.omamori.notify.Mail(
                new org.omamori.notify.Recipients(List.of(recipient)), "アカウント発行 " + suffix, companyName), Instant.now());
        store.outbox().enqueue("stopped:" + gone.appliance().value() + ":2026", new org.omamori.notify.Mail(
                new org.omamori.notify.Recipients(List.of(recipient)), "【停止検知】" + suffix, companyName), Instant.now());
        var flow = new org.omamori.backoffice.desk.TicketFlow(org.omamori.backoffice.edition.NeutralEdition.INSTANCE);
        var opened = flow.open(org.omamori.backoffice.desk.TicketKind.INQUIRY, "相談 " + suffix, java.time.ZonedDateTime.now(), false,
                org.omamori.backoffice.contract.Actor.CUSTOMER, 0, "メール");
        Tickets.Stored ticket = store.tickets().open(Optional.of(gone.customer()), "default", opened, new Tickets.NewMessage(Instant.now(),
                Tickets.Direction.IN, contactMail, Optional.of("<" + suffix + "@mail.example.jp>"), companyName,
                List.of(new Tickets.NewAttachment("見積 " + suffix + ".txt", "text/plain", companyName.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        store.tickets().save(ticket.id(), ticket.version(), flow.answer(opened, java.time.ZonedDateTime.now(),
                org.omamori.backoffice.contract.Actor.RESELLER), Optional.of(new Tickets.NewMessage(Instant.now(), Tickets.Direction.OUT,
                "desk", Optional.empty(), "回答 " + suffix, List.of())), Optional.of(to -> new org.omamori.notify.Mail(to.to(), "Re: " + suffix,
                "回答 " + suffix)));
        String keptMark = "kept" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        store.outbox().enqueue("alerts:" + kept.customer().value() + ":x", new org.omamori.notify.Mail(
                new org.omamori.notify.Recipients(List.of(keptMark + "@example.jp")), "★★★ " + keptMark, "kept"), Instant.now());
        long keptEvents = store.events().count(TenantScope.customer(kept.customer()),
                EventQuery.period(Instant.now().minus(Duration.ofDays(1)), Instant.now().plusSeconds(60)));

        long contract = store.contracts().create(gone.customer(), CONTRACTS.apply(
                org.omamori.backoffice.billing.QuoteRequest.appliedOn(java.time.LocalDate.parse("2026-06-01"))));
        java.time.ZonedDateTime mailAt = java.time.ZonedDateTime.parse("2026-09-01T08:00+09:00[Asia/Tokyo]");
        long claim = store.claims().open(contract, Optional.of("A-000001"), new org.omamori.backoffice.insurance.ClaimFlow(
                org.omamori.backoffice.edition.NeutralEdition.INSTANCE).request(mailAt, true, Optional.empty(), mailAt.plusHours(1)));

        store.applianceSettings().change(gone.appliance(), java.util.Map.of("proxy.brandName", Optional.of(companyName)), "operator",
                Optional.of("brand " + suffix), true);
        store.applianceSettings().reported(gone.appliance(), 1, Optional.of("proxy.brandName: " + companyName));

        Erasure erasure = store.tenants().erase(gone.customer());
        assertThat(erasure.appliances()).containsExactly(gone.appliance());
        assertThat(store.contracts().get(TenantScope.operator(), contract)).as("the contract stays, without its customer")
                .hasValueSatisfying(k -> assertThat(k.customer()).isEmpty());
        assertThat(store.claims().get(TenantScope.operator(), claim)).as("the insurance claim stays, without its customer")
                .hasValueSatisfying(k -> assertThat(k.customer()).isEmpty());
        assertThat(erasure.rows()).isGreaterThan(15);

        // Every table, every text column: none of the customer's words; every customer column: not its id.
        List<String> needles = List.of(companyName, contactMail, recipient, phone, loginId, suffix, gone.appliance().value());
        try (Connection c = store.dataSource().getConnection()) {
            var meta = c.getMetaData();
            List<String[]> columns = new ArrayList<>();
            try (ResultSet r = meta.getColumns(c.getCatalog(), c.getSchema(), "%", "%")) {
                while (r.next()) {
                    columns.add(new String[] {r.getString("TABLE_NAME"), r.getString("COLUMN_NAME"), r.getString("TYPE_NAME")});
                }
            }
            assertThat(columns).as("the schema's columns").hasSizeGreaterThan(100);
            int scanned = 0;
            for (String[] col : columns) {
                String table = col[0].toLowerCase(java.util.Locale.ROOT);
                String column = col[1].toLowerCase(java.util.Locale.ROOT);
                String type = col[2].toUpperCase(java.util.Locale.ROOT);
                String from = "\"" + col[0] + "\"";
                String where = "\"" + col[1] + "\"";
                if (type.contains("CHAR") || type.contains("TEXT")) {
                    for (String needle : needles) {
                        if (table.equals("appliances_to_erase") && needle.equals(gone.appliance().value())) {
                            continue;
                        }
                        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + from + " WHERE " + where + " LIKE ?")) {
                            s.setString(1, "%" + needle + "%");
                            try (ResultSet r = s.executeQuery()) {
                                r.next();
                                assertThat(r.getLong(1)).as(table + "." + column + " holds " + needle).isZero();
                            }
                        }
                        scanned++;
                    }
                } else if (column.equals("customer_id")) {
                    try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + from + " WHERE " + where + " = ?")) {
                        s.setLong(1, gone.customer().value());
                        try (ResultSet r = s.executeQuery()) {
                            r.next();
                            assertThat(r.getLong(1)).as(table + "." + column).isZero();
                        }
                    }
                }
            }
            assertThat(scanned).isGreaterThan(300);
        }
        assertThat(store.tenants().customers(TenantScope.operator())).extracting(Customer::id).doesNotContain(gone.customer())
                .contains(kept.customer());
        assertThat(sql("SELECT COUNT(*) FROM appliances_to_erase WHERE appliance_id = ?", gone.appliance().value(), Long.class)).isEqualTo(1);
        assertThat(accounts.forSignIn(loginId)).isEmpty();
        // The other customer is whole.
        assertThat(store.events().count(TenantScope.customer(kept.customer()),
                EventQuery.period(Instant.now().minus(Duration.ofDays(1)), Instant.now().plusSeconds(60)))).isEqualTo(keptEvents).isEqualTo(4);
        assertThat(store.monitoring().outbox(100)).anyMatch(m -> m.mail().subject().equals("★★★ " + keptMark));
        assertThat(store.fleet().status(TenantScope.customer(kept.customer()), Instant.now())).hasSize(1);
        assertThatThrownBy(() -> store.tenants().erase(gone.customer())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    // ---- contracts (docs/contracts.md) ----

    static final org.omamori.backoffice.contract.Lifecycle CONTRACTS = new org.omamori.backoffice.contract.Lifecycle(
            org.omamori.backoffice.edition.NeutralEdition.INSTANCE);

    @Test
    void aContractIsSavedStepByStepScopedToItsTenantsAndItsEndErasesTheCustomer() throws Exception {
        Tenant t = newTenant();
        Tenant other = newTenant();
        store.monitoring().recipients(t.customer(), new org.omamori.notify.Recipients(List.of("keiyaku@contract.example.jp")));
        java.time.LocalDate day = java.time.LocalDate.parse("2026-06-01");
        var applied = CONTRACTS.apply(org.omamori.backoffice.billing.QuoteRequest.appliedOn(day));
        long id = store.contracts().create(t.customer(), applied);
        assertThatThrownBy(() -> store.contracts().create(t.customer(), applied)).hasMessageContaining("has a contract that has not ended");
        Contracts.Stored s = store.contracts().get(TenantScope.reseller(t.reseller()), id).orElseThrow();
        assertThat(s.contract()).isEqualTo(applied);
        assertThat(s.customer()).contains(t.customer());
        assertThat(store.contracts().get(TenantScope.customer(other.customer()), id)).as("another customer").isEmpty();
        assertThat(store.contracts().get(TenantScope.reseller(other.reseller()), id)).as("another reseller").isEmpty();
        assertThat(store.contracts().list(TenantScope.customer(t.customer()))).extracting(Contracts.Stored::id).containsExactly(id);

        var approved = CONTRACTS.approve(s.contract(), day.plusDays(2));
        Contracts.Stored saved = store.contracts().save(id, s.version(), approved, Optional.of(to -> new org.omamori.notify.Mail(to.to(),
                "【契約成立】" + to.edition().orElse("default"), "承認しました")));
        assertThat(saved.contract().state()).isEqualTo(org.omamori.backoffice.contract.ContractState.APPROVED);
        assertThat(saved.version()).isEqualTo(s.version() + 1);
        assertThat(store.monitoring().outbox(100)).anyMatch(m -> m.mail().subject().equals("【契約成立】default")
                && m.mail().to().addresses().contains("keiyaku@contract.example.jp"));
        assertThatThrownBy(() -> store.contracts().save(id, s.version(), approved, Optional.empty()))
                .as("a step made from an old version").isInstanceOf(IllegalStateException.class).hasMessageContaining("read it again");
        assertThatThrownBy(() -> store.contracts().save(id, saved.version(), approved, Optional.empty()))
                .as("the same step again").hasMessageContaining("not a next step");

        var active = CONTRACTS.activate(CONTRACTS.ship(saved.contract(), day.plusDays(3)), day.plusDays(5));
        var ending = CONTRACTS.cancel(active, day.plusDays(10), Optional.empty());
        Contracts.Stored endingSaved = store.contracts().save(id, saved.version(), ending, Optional.empty());
        assertThat(endingSaved.contract()).isEqualTo(ending);
        Contracts.Stored ended = store.contracts().save(id, endingSaved.version(), CONTRACTS.end(ending, ending.endsOn().orElseThrow()),
                Optional.empty());
        assertThat(ended.customer()).as("the customer's data is erased at the end").isEmpty();
        assertThat(ended.contract().history()).hasSize(ending.history().size() + 1);
        assertThat(store.tenants().customers(TenantScope.operator())).extracting(Customer::id).doesNotContain(t.customer());
        assertThat(store.monitoring().recipients(TenantScope.operator(), t.customer())).isEmpty();
        assertThat(sql("SELECT COUNT(*) FROM appliances_to_erase WHERE appliance_id = ?", t.appliance().value(), Long.class)).isEqualTo(1);
        assertThat(store.contracts().list(TenantScope.reseller(t.reseller()))).extracting(Contracts.Stored::id).contains(id);
    }

    @Test
    void invoicesAreNumberedWithoutGapsPerIssuerOncePerMonthAndOutliveTheCustomer() throws Exception {
        Tenant t = newTenant();
        String issuer = "inv" + Long.toHexString(ThreadLocalRandom.current().nextLong()).substring(0, 8);
        java.time.LocalDate day = java.time.LocalDate.parse("2026-06-01");
        var contract = CONTRACTS.apply(org.omamori.backoffice.billing.QuoteRequest.appliedOn(day).monthlyFee(5_500));
        long id = store.contracts().create(t.customer(), new org.omamori.backoffice.contract.Contract(issuer, contract.state(),
                contract.applied(), contract.approved(), contract.plannedStart(), contract.started(), contract.periodEnd(),
                contract.endsOn(), contract.member(), contract.appliances(), contract.pcs(), contract.monthlyFee(), contract.history()));
        var who = new org.omamori.backoffice.invoice.Invoice.Issuer(issuer, "テスト商工会議所", "T0000000000003", "窓口 025-000-0000");
        java.util.function.Function<java.time.YearMonth, java.util.function.LongFunction<org.omamori.backoffice.invoice.Invoice>> make =
                m -> n -> new org.omamori.backoffice.invoice.Invoice(who, "株式会社インボイス", n, m.atEndOfMonth(), m, m.plusMonths(1).atEndOfMonth(),
                        List.of(new org.omamori.backoffice.billing.Bill.Line("月額利用料", 5_500, org.omamori.api.edition.Terms.Tax.INCLUDED_10)));
        var july = store.invoices().issue(id, java.time.YearMonth.of(2026, 7), make.apply(java.time.YearMonth.of(2026, 7)));
        assertThat(july.number()).isEqualTo(1);
        assertThatThrownBy(() -> store.invoices().issue(id, java.time.YearMonth.of(2026, 7), make.apply(java.time.YearMonth.of(2026, 7))))
                .hasMessageContaining("already");
        assertThatThrownBy(() -> store.invoices().issue(id, java.time.YearMonth.of(2026, 8), n -> {
            throw new IllegalArgumentException("made badly");
        })).hasMessageContaining("made badly");
        var august = store.invoices().issue(id, java.time.YearMonth.of(2026, 8), make.apply(java.time.YearMonth.of(2026, 8)));
        assertThat(august.number()).as("the failed issue left no gap").isEqualTo(2);
        assertThat(store.invoices().get(TenantScope.customer(t.customer()), issuer, 2)).contains(august);
        assertThat(store.invoices().get(TenantScope.customer(newTenant().customer()), issuer, 2)).as("another customer").isEmpty();
        assertThat(august.rates()).containsExactly(new org.omamori.backoffice.invoice.Invoice.RateTotal(10, true, 5_000, 500));

        store.tenants().erase(t.customer());
        assertThat(store.invoices().get(TenantScope.operator(), issuer, 1)).as("kept as printed after the erasure (decision 0024)")
                .contains(july);
        assertThat(store.invoices().list(TenantScope.reseller(t.reseller()))).contains(july, august);
    }

    @Test
    void ticketsKeepTheirThreadScopedToTheirCustomerAndMailAnswersInIt() {
        Tenant t = newTenant();
        Tenant other = newTenant();
        String mine = "desk-" + t.customer().value() + "@customer.example.jp";
        store.monitoring().recipients(t.customer(), new org.omamori.notify.Recipients(List.of(mine)));
        store.monitoring().recipients(other.customer(), new org.omamori.notify.Recipients(List.of("shared-" + t.customer().value() + "@x.example.jp")));
        store.tenants().updateProfile(TenantScope.operator(), t.customer(), new CustomerProfile("株式会社テスト", "担当 太郎", "総務部", "部長",
                "shared-" + t.customer().value() + "@x.example.jp", "大阪市", "06-0000-0000"));
        assertThat(store.tickets().customerOf(mine.toUpperCase(java.util.Locale.ROOT))).contains(t.customer());
        assertThat(store.tickets().customerOf("shared-" + t.customer().value() + "@x.example.jp")).as("an address two customers share")
                .isEmpty();
        assertThat(store.tickets().customerOf("nobody@example.jp")).isEmpty();

        var flow = new org.omamori.backoffice.desk.TicketFlow(org.omamori.backoffice.edition.NeutralEdition.INSTANCE);
        java.time.ZonedDateTime at = java.time.ZonedDateTime.parse("2026-06-01T10:00:00+09:00[Asia/Tokyo]");
        var opened = flow.open(org.omamori.backoffice.desk.TicketKind.INQUIRY, "ログインできません", at, false,
                org.omamori.backoffice.contract.Actor.CUSTOMER, 0, "メール");
        byte[] big = new byte[Tickets.MAX_ATTACHMENT + 1];
        byte[] small = "ログ".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String customersId = "<q1-" + t.customer().value() + "@customer.example.jp>";
        Tickets.Stored s = store.tickets().open(Optional.of(t.customer()), "default", opened, new Tickets.NewMessage(at.toInstant(),
                Tickets.Direction.IN, mine, Optional.of(customersId), "ログインできません。",
                List.of(new Tickets.NewAttachment("log.txt", "text/plain", small), new Tickets.NewAttachment("huge.bin", "application/octet-stream", big))));
        assertThat(s.token()).matches("[a-z2-9]{10}");
        assertThat(s.reseller()).contains(t.reseller());
        assertThat(store.tickets().seen(customersId)).isTrue();
        assertThat(store.tickets().get(TenantScope.customer(other.customer()), s.id())).as("another customer").isEmpty();
        assertThat(store.tickets().get(TenantScope.reseller(other.reseller()), s.id())).as("another reseller").isEmpty();
        assertThat(store.tickets().messages(TenantScope.reseller(other.reseller()), s.id(), true)).isEmpty();
        assertThat(store.tickets().list(TenantScope.reseller(t.reseller()), true, 10)).extracting(Tickets.Stored::id).containsExactly(s.id());

        List<Tickets.Message> thread = store.tickets().messages(TenantScope.customer(t.customer()), s.id(), false);
        assertThat(thread).hasSize(1);
        assertThat(thread.getFirst().attachments()).extracting(Tickets.Attachment::name).containsExactly("log.txt");
        assertThat(thread.getFirst().body()).contains("huge.bin", "保存していません");
        assertThat(store.tickets().attachment(TenantScope.customer(t.customer()), s.id(), 0, 0)).hasValueSatisfying(b -> assertThat(b).isEqualTo(small));
        assertThat(store.tickets().attachment(TenantScope.customer(other.customer()), s.id(), 0, 0)).isEmpty();

        store.tickets().note(s.id(), new Tickets.NewMessage(at.toInstant(), Tickets.Direction.NOTE, "staff", Optional.empty(), "社内メモ", List.of()));
        assertThat(store.tickets().messages(TenantScope.customer(t.customer()), s.id(), false)).hasSize(1);
        assertThat(store.tickets().messages(TenantScope.reseller(t.reseller()), s.id(), true)).hasSize(2);

        var answered = flow.answer(s.ticket(), at.plusHours(3), org.omamori.backoffice.contract.Actor.RESELLER);
        Tickets.Stored a = store.tickets().save(s.id(), s.version(), answered, Optional.of(new Tickets.NewMessage(at.plusHours(3).toInstant(),
                Tickets.Direction.OUT, "staff", Optional.empty(), "パスワードを再設定してください。", List.of())),
                Optional.of(to -> new org.omamori.notify.Mail(to.to(), "Re: [#" + s.token() + "] ログインできません", "パスワードを再設定してください。",
                        Optional.empty(), Optional.of(customersId))));
        assertThat(a.ticket().state()).isEqualTo(org.omamori.backoffice.desk.TicketState.ANSWERED);
        assertThatThrownBy(() -> store.tickets().save(s.id(), s.version(), answered, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalStateException.class);
        var sent = store.monitoring().outbox(1000).stream().filter(m -> m.mail().subject().contains(s.token())).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().mail().inReplyTo()).contains(customersId);
        String ours = "<" + sent.getFirst().id() + "@omamori.example>";
        assertThat(store.tickets().thread(List.of("<unknown@x>", ours), Optional.empty())).map(Tickets.Stored::id).contains(s.id());
        assertThat(store.tickets().thread(List.of(), Optional.of(s.token().toUpperCase(java.util.Locale.ROOT)))).map(Tickets.Stored::id).contains(s.id());
        assertThat(store.tickets().thread(List.of("<unknown@x>"), Optional.of("zzzzzzzzzz"))).isEmpty();

        assertThat(store.tickets().dueToClose(at.plusDays(13).toInstant())).extracting(Tickets.Stored::id).doesNotContain(s.id());
        assertThat(store.tickets().dueToClose(at.plusDays(14).toInstant())).extracting(Tickets.Stored::id).contains(s.id());

        var remote = flow.open(org.omamori.backoffice.desk.TicketKind.REMOTE_CHANGE, "変更", at, false,
                org.omamori.backoffice.contract.Actor.CUSTOMER, 0, "メール"); // refused: the neutral edition offers none
        store.tickets().open(Optional.of(t.customer()), "default", remote, new Tickets.NewMessage(at.toInstant(), Tickets.Direction.IN, mine,
                Optional.empty(), "変更", List.of()));
        assertThat(store.tickets().remoteChanges(t.customer(), java.time.YearMonth.of(2026, 6))).isZero();
    }

    @Test
    void definitionPackagesAreKeptPerKindAndVersionAndTheNewestIsByNumber() {
        DefinitionPackages packages = store.definitionPackages();
        String sig = "A".repeat(86) + "==";
        String kind = "av";
        String v9 = "2026.12." + (9 + ThreadLocalRandom.current().nextInt(1000) * 100);
        String major = v9.substring(0, v9.lastIndexOf('.') + 1);
        String last = v9.substring(v9.lastIndexOf('.') + 1);
        String v10 = major + (Integer.parseInt(last) + 1) + "0"; // more digits: numerically later, textually earlier
        assertThat(packages.publish(kind, v9, new byte[] {1, 2, 3}, sig)).isEqualTo(DefinitionPackages.Published.NEW);
        assertThat(packages.publish(kind, v10, new byte[] {4, 5}, sig)).isEqualTo(DefinitionPackages.Published.NEW);
        assertThat(packages.publish(kind, v9, new byte[] {1, 2, 3}, sig)).as("again, the same").isEqualTo(DefinitionPackages.Published.SAME);
        assertThatThrownBy(() -> packages.publish(kind, v9, new byte[] {9}, sig)).hasMessageContaining("other bytes");
        assertThatThrownBy(() -> packages.publish("rootkit", "1", new byte[] {1}, sig)).hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> packages.publish(kind, "1.x", new byte[] {1}, sig)).hasMessageContaining("not a version");
        assertThatThrownBy(() -> packages.publish(kind, "1.2", new byte[] {1}, "not base64")).hasMessageContaining("signature");
        assertThatThrownBy(() -> packages.publish(kind, "1.3", new byte[0], sig)).hasMessageContaining("bytes");
        assertThat(packages.latest(kind)).hasValueSatisfying(p -> {
            assertThat(p.version()).isEqualTo(v10);
            assertThat(p.size()).isEqualTo(2);
        });
        assertThat(packages.content(kind, v9)).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
        assertThat(packages.list(Optional.of(kind))).extracting(DefinitionPackages.Package::version).startsWith(v10, v9);
        assertThat(DefinitionPackages.sortKey("1.10")).isGreaterThan(DefinitionPackages.sortKey("1.9"));
        assertThat(DefinitionPackages.sortKey("2")).isGreaterThan(DefinitionPackages.sortKey("1.999999999.999999999.999999999"));
    }

    @Test
    void aCanaryPackageGoesToItsCanariesFirstThenToAllOrStopsOnAFailure() throws Exception {
        DefinitionPackages packages = store.definitionPackages();
        String sig = "B".repeat(86) + "==";
        Tenant canary = newTenant();
        Tenant other = newTenant();
        String kind = "ips";
        String base = "7." + ThreadLocalRandom.current().nextInt(1_000_000) + ".";
        packages.publish(kind, base + "1", new byte[] {1}, sig);
        packages.publish(kind, base + "2", new byte[] {2}, sig,
                Optional.of(new DefinitionPackages.Canaries(0, List.of(canary.appliance().value()))));
        assertThat(packages.latestFor(kind, canary.appliance().value())).map(DefinitionPackages.Package::version).contains(base + "2");
        assertThat(packages.latestFor(kind, other.appliance().value())).map(DefinitionPackages.Package::version).contains(base + "1");

        Instant now = Instant.now();
        assertThat(packages.checkCanaries(now, Duration.ofHours(2))).as("no heartbeat from the canary yet")
                .noneMatch(d -> d.version().equals(base + "2"));
        store.ingest().heartbeat(canary.appliance(), new Heartbeat(now, now.minusSeconds(60), "1.0", java.util.Map.of(),
                java.util.Map.of(kind, base + "2"), java.util.Map.of()));
        assertThat(packages.checkCanaries(Instant.now(), Duration.ofHours(2)))
                .contains(new DefinitionPackages.Decision(kind, base + "2", DefinitionPackages.Rollout.GENERAL, "1 canaries run it without a failure"));
        assertThat(packages.latestFor(kind, other.appliance().value())).map(DefinitionPackages.Package::version).contains(base + "2");

        // The next version: the canary refuses it, the rollout stops; the others never get it.
        packages.publish(kind, base + "3", new byte[] {3}, sig, Optional.of(new DefinitionPackages.Canaries(0, List.of(canary.appliance().value()))));
        Instant later = Instant.now().plusSeconds(1);
        EventIds ids = new EventIds(Clock.fixed(later, ZoneOffset.UTC));
        Event refused = new Event(ids.next(), canary.appliance(), later.truncatedTo(ChronoUnit.MICROS), Kind.SYSTEM, ZonePair.LAN_TO_WAN,
                InetAddress.getByName("192.168.1.1"), 0, InetAddress.getByName("192.168.1.1"), 0, Optional.empty(), "", "", "",
                SecurityFunction.IPS, "definitions", "1.0.0", "definitions:refused", "definitions refused: bad-signature", Result.PASS,
                Level.HIGH, 100, Evidence.NONE, "ips " + base + "3");
        store.ingest().store(canary.appliance(), List.of(refused));
        assertThat(packages.checkCanaries(Instant.now().plusSeconds(2), Duration.ofHours(2))).anyMatch(d -> d.version().equals(base + "3")
                && d.to() == DefinitionPackages.Rollout.STOPPED && d.why().contains(canary.appliance().value()));
        assertThat(packages.latestFor(kind, canary.appliance().value())).map(DefinitionPackages.Package::version).contains(base + "2");

        // Rolled back: the newest still served is the previous one.
        packages.rollout(kind, base + "2", DefinitionPackages.Rollout.WITHDRAWN, "operator: false positives");
        assertThat(packages.latestFor(kind, other.appliance().value())).map(DefinitionPackages.Package::version).contains(base + "1");
        assertThat(packages.list(Optional.of(kind))).filteredOn(p -> p.version().equals(base + "2"))
                .allSatisfy(p -> assertThat(p.rolloutNote()).contains("operator: false positives"));
        assertThatThrownBy(() -> packages.rollout(kind, base + "9", DefinitionPackages.Rollout.GENERAL, "")).hasMessageContaining("no ips");
    }

    @Test
    void applianceSettingsAreVersionedWithTheirHistoryTheReportAndTheMonthsCountedChanges() {
        ApplianceSettings settings = store.applianceSettings();
        Tenant t = newTenant();
        assertThat(settings.desired(t.appliance())).as("none until the operator sets one").isEmpty();
        ApplianceSettings.Version v1 = settings.change(t.appliance(), java.util.Map.of("proxy.brandName", Optional.of("新潟お助け隊"),
                "uplink.heartbeatSeconds", Optional.of("30")), "operator:o1", Optional.of("開通"), false);
        assertThat(v1.version()).isEqualTo(1);
        ApplianceSettings.Version v2 = settings.change(t.appliance(), java.util.Map.of("uplink.heartbeatSeconds", Optional.empty(),
                "inspection.failurePolicy", Optional.of("closed")), "reseller:r1", Optional.empty(), true);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.settings()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("proxy.brandName", "新潟お助け隊",
                "inspection.failurePolicy", "closed"));
        assertThat(v2.changes()).containsEntry("uplink.heartbeatSeconds", Optional.empty()).containsEntry("inspection.failurePolicy",
                Optional.of("closed")).hasSize(2);
        assertThat(settings.desired(t.appliance())).hasValueSatisfying(d -> {
            assertThat(d.version()).isEqualTo(2);
            assertThat(d.settings().get("proxy.brandName")).as("Japanese survives the store").isEqualTo("新潟お助け隊");
            assertThat(d.changedBy()).isEqualTo("reseller:r1");
        });
        assertThat(settings.history(t.appliance(), 10)).extracting(ApplianceSettings.Version::version).containsExactly(2, 1);
        assertThat(settings.history(t.appliance(), 10).get(1).note()).contains("開通");

        assertThatThrownBy(() -> settings.change(t.appliance(), java.util.Map.of("inspection.failurePolicy", Optional.of("closed")), "o",
                Optional.empty(), true)).hasMessageContaining("nothing changes");
        assertThatThrownBy(() -> settings.change(t.appliance(), java.util.Map.of("../etc", Optional.of("x")), "o", Optional.empty(), true))
                .hasMessageContaining("not area.property");
        assertThatThrownBy(() -> settings.change(t.appliance(), java.util.Map.of("proxy.brandName", Optional.of("a\u202eb")), "o",
                Optional.empty(), true)).hasMessageContaining("invisible");
        assertThatThrownBy(() -> settings.change(newApplianceId(), java.util.Map.of("proxy.brandName", Optional.of("x")), "o",
                Optional.empty(), true)).hasMessageContaining("no appliance");

        java.time.YearMonth month = java.time.YearMonth.now(org.omamori.backoffice.desk.DeskDeadlines.JST);
        assertThat(settings.countedChanges(t.customer(), month)).as("only the change made on request counts").isEqualTo(1);
        assertThat(settings.countedChanges(t.customer(), month.minusMonths(1))).isZero();

        assertThat(settings.reported(t.appliance())).isEmpty();
        assertThat(settings.toOffer(t.appliance())).as("nothing reported: the newest is offered").hasValue(2);
        assertThat(settings.toOffer(newApplianceId())).isEmpty();
        settings.reported(t.appliance(), 2, Optional.of("inspection.failurePolicy: not one of open, closed"));
        assertThat(settings.toOffer(t.appliance())).as("refused: not offered again").isEmpty();
        assertThat(settings.reported(t.appliance())).hasValueSatisfying(r -> {
            assertThat(r.refused()).hasValue(2);
            assertThat(r.applied()).isEmpty();
            assertThat(r.reason()).hasValueSatisfying(x -> assertThat(x).contains("failurePolicy"));
        });
        settings.reported(t.appliance(), 1, Optional.empty());
        settings.reported(t.appliance(), 2, Optional.empty());
        assertThat(settings.reported(t.appliance())).hasValueSatisfying(r -> {
            assertThat(r.applied()).hasValue(2);
            assertThat(r.refused()).as("an applied version clears the refusal").isEmpty();
        });
        assertThat(settings.toOffer(t.appliance())).as("applied: not offered").isEmpty();
        settings.change(t.appliance(), java.util.Map.of("proxy.brandName", Optional.of("次の版")), "operator", Optional.empty(), false);
        assertThat(settings.toOffer(t.appliance())).hasValue(3);
    }
}
