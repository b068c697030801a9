package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Support;
import org.omamori.api.edition.Terms;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.backoffice.rma.Rma;
import org.omamori.backoffice.rma.RmaFlow;
import org.omamori.events.ApplianceId;

/**
 * {@link Rmas} proved the same way on every database: subclasses give a fresh one per test. Reseller
 * R1 sells edition {@code vario} (here the neutral edition with Vario's support terms: ship the next
 * business day, return within 5) to C1 and C2; reseller R2 the neutral default to C3.
 */
abstract class RmasContract {

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    static final Instant T0 = Instant.parse("2026-04-24T00:00:00Z");

    /** Vario's support terms on the neutral edition (the store's tests do not carry the editions). */
    static final Edition VARIO = new Edition() {
        @Override
        public String id() {
            return "vario";
        }

        @Override
        public Brand brand() {
            return NeutralEdition.INSTANCE.brand();
        }

        @Override
        public Terms terms() {
            return NeutralEdition.INSTANCE.terms();
        }

        @Override
        public Support support() {
            return new Support(4, 5, OptionalInt.of(1), OptionalInt.of(5), true, 7, Support.STANDARD.notices());
        }
    };

    static Edition edition(String id) {
        return id.equals("vario") ? VARIO : NeutralEdition.INSTANCE;
    }

    static final ApplianceId FAULTY = new ApplianceId("0a0000000001");
    static final ApplianceId NEW = new ApplianceId("0a0000000002");
    static final ApplianceId OTHER = new ApplianceId("0a0000000003");

    StoreSettings settings;
    Store store;
    Rmas rmas;
    ResellerId r1;
    ResellerId r2;
    CustomerId c1;
    CustomerId c2;
    CustomerId c3;

    @BeforeEach
    void open() throws Exception {
        settings = settings();
        store = Store.open(settings, Clock.fixed(T0, ZoneOffset.UTC));
        rmas = store.rmas();
        Tenants t = store.tenants();
        r1 = t.createReseller("R1", Optional.of("vario"));
        r2 = t.createReseller("R2");
        c1 = t.createCustomer(r1, "株式会社いち");
        c2 = t.createCustomer(r1, "株式会社に");
        c3 = t.createCustomer(r2, "株式会社さん");
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
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

    static ZonedDateTime t(String s) {
        return LocalDateTime.parse(s).atZone(ZoneId.of("Asia/Tokyo"));
    }

    /** F registered for C1 at 本社 1F, activated, in maintenance, with a heartbeat: its device token. */
    String faultyInService() {
        String code = store.tenants().registerAppliance(c1, FAULTY, "本社 1F");
        String token = store.ingest().activate(FAULTY, code).orElseThrow();
        store.monitoring().monitor(FAULTY, false);
        Instant sent = Instant.parse("2026-04-23T13:00:00Z");
        store.ingest().heartbeat(FAULTY, new Heartbeat(sent, sent.minusSeconds(3600), "1.0.1", Map.of(), Map.of("ips", "2026.04.23.1"),
                Map.of()));
        return token;
    }

    Rmas.Stored step(Rmas.Stored s, java.util.function.UnaryOperator<Rma> next) {
        return rmas.save(s.id(), s.version(), next.apply(s.rma())).stored();
    }

    @Test
    void aVarioRmaSwapsInOneTransactionCarryingTheSettingsOverAndRevokingTheFaultyToken() throws Exception {
        String oldToken = faultyInService();
        assertThat(store.ingest().authenticate(oldToken)).contains(FAULTY); // cached from here on
        assertThat(rmas.editionOf(c1)).isEqualTo("vario");
        assertThat(rmas.editionOf(c3)).isEqualTo("default");
        RmaFlow flow = new RmaFlow(edition(rmas.editionOf(c1)));

        long id = rmas.open(c1, Optional.of(7L), flow.report(FAULTY.value(), t("2026-04-24T09:00"), Actor.CUSTOMER, "故障チケット 7"));
        assertThatThrownBy(() -> rmas.open(c1, Optional.empty(), flow.report(FAULTY.value(), t("2026-04-24T09:30"), Actor.CUSTOMER, "電話")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("under way");
        assertThatThrownBy(() -> rmas.open(c2, Optional.empty(), flow.report(FAULTY.value(), t("2026-04-24T09:30"), Actor.CUSTOMER, "電話")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered for");

        Rmas.Stored s = rmas.get(TenantScope.customer(c1), id).orElseThrow();
        assertThat(s.ticket()).contains(7L);
        assertThat(s.edition()).isEqualTo("vario");
        Rmas.Stored reported = s;
        s = step(s, r -> flow.check(r, true, "4/23 22:00 以降ハートビートなし", t("2026-04-24T15:00"), Actor.OPERATOR));
        assertThat(s.rma().shipBy()).contains(LocalDate.parse("2026-04-27"));
        assertThat(s.rma().finding()).contains("4/23 22:00 以降ハートビートなし");
        Rma stale = flow.check(reported.rma(), false, "異常なし", t("2026-04-24T15:01"), Actor.OPERATOR);
        assertThatThrownBy(() -> rmas.save(id, reported.version(), stale)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("changed meanwhile");

        // SHIPPED: the replacement is registered for C1 under the faulty unit's name, with a code to put in the box.
        Rma shipped = flow.ship(s.rma(), NEW.value(), t("2026-04-27T10:00"), Actor.OPERATOR);
        Rmas.Saved saved = rmas.save(id, s.version(), shipped);
        String code = saved.activationCode().orElseThrow();
        s = saved.stored();
        assertThat(store.tenants().appliances(TenantScope.customer(c1))).extracting(Appliance::id).contains(FAULTY, NEW);
        assertThat(store.ingest().authenticate(oldToken)).as("the faulty unit still serves until the swap").contains(FAULTY);

        // SWAPPED: one transaction; the old token ends at once, even the cached one.
        s = step(s, r -> flow.swapped(r, t("2026-04-28T10:00"), Actor.CUSTOMER));
        assertThat(s.rma().returnBy()).contains(LocalDate.parse("2026-05-11"));
        assertThat(store.ingest().authenticate(oldToken)).isEmpty();
        assertThat(sql("SELECT COUNT(*) FROM appliances WHERE id = ? AND token_hash IS NULL AND activation_code_hash IS NULL",
                FAULTY.value(), Long.class)).isEqualTo(1);
        assertThatThrownBy(() -> store.tenants().issueActivationCode(FAULTY)).hasMessageContaining("replaced");
        String newToken = store.ingest().activate(NEW, code).orElseThrow();
        assertThat(store.ingest().authenticate(newToken)).contains(NEW);
        assertThat(sql("SELECT name FROM appliances WHERE id = ?", NEW.value(), String.class)).isEqualTo("本社 1F");
        assertThat(store.monitoring().inMaintenance()).as("the maintenance flag came along; the removed unit raises no stop notice")
                .contains(NEW, FAULTY);
        assertThat(rmas.replacedBy(TenantScope.customer(c1), FAULTY)).contains(NEW);
        assertThat(rmas.replaces(TenantScope.reseller(r1), NEW)).contains(FAULTY);
        assertThat(rmas.replacedBy(TenantScope.customer(c2), FAULTY)).isEmpty();
        assertThat(store.fleet().lastHeartbeat(TenantScope.customer(c1), FAULTY)).as("its history stays the customer's").isPresent();
        assertThatThrownBy(() -> rmas.open(c1, Optional.empty(), flow.report(FAULTY.value(), t("2026-05-01T09:00"), Actor.CUSTOMER, "電話")))
                .hasMessageContaining("replaced already");

        // RETURNED: to be wiped; ERASED: wiped.
        s = step(s, r -> flow.returned(r, t("2026-05-12T10:00"), Actor.OPERATOR));
        assertThat(s.rma().returnedLate()).isTrue();
        assertThat(sql("SELECT COUNT(*) FROM appliances_to_erase WHERE appliance_id = ? AND erased_at IS NULL", FAULTY.value(), Long.class))
                .isEqualTo(1);
        s = step(s, r -> flow.erased(r, t("2026-05-12T15:00"), Actor.OPERATOR));
        assertThat(sql("SELECT COUNT(*) FROM appliances_to_erase WHERE appliance_id = ? AND erased_at IS NOT NULL", FAULTY.value(),
                Long.class)).isEqualTo(1);
        Rmas.Stored done = rmas.get(TenantScope.operator(), id).orElseThrow();
        assertThat(done.rma().state()).isEqualTo(Rma.State.ERASED);
        assertThat(done.rma().steps()).extracting(Rma.Step::to).containsExactly(Rma.State.REPORTED, Rma.State.CONFIRMED,
                Rma.State.SHIPPED, Rma.State.SWAPPED, Rma.State.RETURNED, Rma.State.ERASED);
        assertThat(done.rma().steps().get(3).at()).isEqualTo(t("2026-04-28T10:00"));
        assertThat(done.rma().steps().get(3).by()).isEqualTo(Actor.CUSTOMER);
        assertThat(done.version()).isEqualTo(5);
    }

    @Test
    void readsAreScopedAndAReplacementOfAnotherCustomerOrInServiceIsRefused() {
        faultyInService();
        store.tenants().registerAppliance(c3, OTHER, "");
        RmaFlow flow = new RmaFlow(VARIO);
        long id = rmas.open(c1, Optional.empty(), flow.report(FAULTY.value(), t("2026-04-24T09:00"), Actor.CUSTOMER, "電話"));
        assertThat(rmas.get(TenantScope.customer(c1), id)).isPresent();
        assertThat(rmas.get(TenantScope.reseller(r1), id)).isPresent();
        assertThat(rmas.get(TenantScope.customer(c2), id)).isEmpty();
        assertThat(rmas.get(TenantScope.reseller(r2), id)).isEmpty();
        assertThat(rmas.list(TenantScope.customer(c3))).isEmpty();
        assertThat(rmas.list(TenantScope.operator())).extracting(Rmas.Stored::id).containsExactly(id);

        Rmas.Stored s = step(rmas.get(TenantScope.operator(), id).orElseThrow(),
                r -> flow.check(r, true, "起動しない", t("2026-04-24T10:00"), Actor.OPERATOR));
        Rma toOther = flow.ship(s.rma(), OTHER.value(), t("2026-04-24T11:00"), Actor.OPERATOR);
        assertThatThrownBy(() -> rmas.save(id, s.version(), toOther)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another customer");
        String code = store.tenants().registerAppliance(c1, NEW, "");
        store.ingest().activate(NEW, code).orElseThrow();
        Rma inService = flow.ship(s.rma(), NEW.value(), t("2026-04-24T11:00"), Actor.OPERATOR);
        assertThatThrownBy(() -> rmas.save(id, s.version(), inService)).hasMessageContaining("in service already");
        assertThat(rmas.get(TenantScope.operator(), id).orElseThrow().rma().state()).as("nothing saved").isEqualTo(Rma.State.CONFIRMED);
        assertThatThrownBy(() -> rmas.save(id, s.version(), flow.report(FAULTY.value(), t("2026-04-24T12:00"), Actor.CUSTOMER, "電話")))
                .hasMessageContaining("not a next step");
    }

    @Test
    void aCustomersErasureDeletesItsRmasAndListsBothUnitsForWiping() throws Exception {
        faultyInService();
        RmaFlow flow = new RmaFlow(VARIO);
        long id = rmas.open(c1, Optional.empty(), flow.report(FAULTY.value(), t("2026-04-24T09:00"), Actor.CUSTOMER, "電話"));
        Rmas.Stored s = step(rmas.get(TenantScope.operator(), id).orElseThrow(),
                r -> flow.check(r, true, "本社 1F の機器が起動しない", t("2026-04-24T10:00"), Actor.OPERATOR));
        s = step(s, r -> flow.ship(r, NEW.value(), t("2026-04-24T11:00"), Actor.OPERATOR));
        step(s, r -> flow.swapped(r, t("2026-04-27T11:00"), Actor.CUSTOMER));
        store.tenants().registerAppliance(c2, OTHER, "");
        long other = rmas.open(c2, Optional.empty(), flow.report(OTHER.value(), t("2026-04-24T09:00"), Actor.CUSTOMER, "電話"));
        store.tenants().erase(c1);
        assertThat(rmas.list(TenantScope.operator())).extracting(Rmas.Stored::id).containsExactly(other);
        assertThat(sql("SELECT COUNT(*) FROM rma_steps WHERE rma_id = ?", id, Long.class)).isZero();
        assertThat(sql("SELECT COUNT(*) FROM rmas WHERE faulty_id = ?", FAULTY.value(), Long.class)).isZero();
        for (ApplianceId a : List.of(FAULTY, NEW)) {
            assertThat(sql("SELECT COUNT(*) FROM appliances_to_erase WHERE appliance_id = ? AND erased_at IS NULL", a.value(), Long.class))
                    .as(a.value()).isEqualTo(1);
        }
    }

    @Test
    void appliancesPastTheirEditionsReplacementAgeAreFlaggedFromTheDayAfterTheSeventhAnniversary() {
        store.tenants().registerAppliance(c1, FAULTY, "本社 1F");
        store.tenants().registerAppliance(c3, OTHER, "");
        store.tenants().registerAppliance(c2, NEW, "");
        rmas.manufactured(FAULTY, Optional.of(LocalDate.parse("2019-12-05")));
        rmas.manufactured(OTHER, Optional.of(LocalDate.parse("2019-12-04")));
        assertThat(rmas.manufactured(TenantScope.customer(c1), FAULTY)).contains(LocalDate.parse("2019-12-05"));
        assertThat(rmas.manufactured(TenantScope.customer(c2), FAULTY)).isEmpty();
        assertThatThrownBy(() -> rmas.manufactured(new ApplianceId("0a00000000ff"), Optional.of(LocalDate.parse("2020-01-01"))))
                .isInstanceOf(IllegalArgumentException.class);

        List<Rmas.Aged> on5th = rmas.pastReplacementAge(TenantScope.operator(), LocalDate.parse("2026-12-05"), RmasContract::edition);
        assertThat(on5th).extracting(Rmas.Aged::appliance).containsExactly(OTHER);
        List<Rmas.Aged> on6th = rmas.pastReplacementAge(TenantScope.operator(), LocalDate.parse("2026-12-06"), RmasContract::edition);
        assertThat(on6th).extracting(Rmas.Aged::appliance).containsExactly(OTHER, FAULTY);
        assertThat(on6th.get(1).flaggedFrom()).isEqualTo(LocalDate.parse("2026-12-06"));
        assertThat(on6th.get(1).edition()).isEqualTo("vario");
        assertThat(on6th.get(1).name()).isEqualTo("本社 1F");
        assertThat(rmas.pastReplacementAge(TenantScope.reseller(r2), LocalDate.parse("2026-12-06"), RmasContract::edition))
                .extracting(Rmas.Aged::appliance).containsExactly(OTHER);
        rmas.manufactured(OTHER, Optional.empty());
        assertThat(rmas.pastReplacementAge(TenantScope.customer(c3), LocalDate.parse("2030-01-01"), RmasContract::edition)).isEmpty();
    }
}
