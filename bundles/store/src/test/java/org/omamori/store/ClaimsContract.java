package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.backoffice.billing.QuoteRequest;
import org.omamori.backoffice.contract.Lifecycle;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.backoffice.insurance.Claim;
import org.omamori.backoffice.insurance.ClaimFlow;
import org.omamori.backoffice.insurance.InsuranceCheck;

/**
 * {@link Claims} proved the same way on every database: subclasses give a fresh one per test.
 * Tenants: reseller R1 with customers C1 and C2, reseller R2 with C3, each with a contract under the
 * neutral edition (150,000 yen a dispatch, 2 dispatches and 300,000 yen an insurance year).
 */
abstract class ClaimsContract {

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    static final Lifecycle CONTRACTS = new Lifecycle(NeutralEdition.INSTANCE);
    static final ClaimFlow FLOW = new ClaimFlow(NeutralEdition.INSTANCE);
    static final LocalDate START = LocalDate.parse("2026-06-10");

    Store store;
    Claims claims;
    ResellerId r1;
    ResellerId r2;
    CustomerId c1;
    CustomerId c2;
    CustomerId c3;
    long k1;
    long k2;
    long k3;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(settings(), Clock.fixed(T0, ZoneOffset.UTC));
        claims = store.claims();
        Tenants t = store.tenants();
        r1 = t.createReseller("R1");
        r2 = t.createReseller("R2");
        c1 = t.createCustomer(r1, "株式会社いち");
        c2 = t.createCustomer(r1, "株式会社に");
        c3 = t.createCustomer(r2, "株式会社さん");
        k1 = contract(c1);
        k2 = contract(c2);
        k3 = contract(c3);
    }

    long contract(CustomerId c) {
        var applied = CONTRACTS.apply(QuoteRequest.appliedOn(START.minusDays(20)));
        return store.contracts().create(c, applied);
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    static ZonedDateTime t(String s) {
        return LocalDateTime.parse(s).atZone(ZoneId.of("Asia/Tokyo"));
    }

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    static Claim requested(String mail) {
        return FLOW.request(t(mail), true, Optional.empty(), t(mail).plusHours(1));
    }

    /** Takes the claim to SCHEDULED for a dispatch on {@code day}, saving each step. */
    Claims.Stored scheduled(long id, LocalDate day) {
        Claims.Stored s = claims.get(TenantScope.operator(), id).orElseThrow();
        if (s.claim().state() == Claim.State.REQUESTED) {
            s = claims.save(id, s.version(), FLOW.askScan(s.claim(), s.claim().alertMail().plusHours(2)));
        }
        s = claims.save(id, s.version(), FLOW.scanned(s.claim(), "Trojan 1件を駆除", s.claim().alertMail().plusHours(3)));
        Claim listed = FLOW.listVendors(s.claim(), "大阪市北区", s.claim().alertMail().plusHours(4));
        return claims.save(id, s.version(), FLOW.schedule(listed, "なにわITサポート", day, s.claim().alertMail().plusHours(5)));
    }

    /** The dispatch on the scheduled day, with what the store says the insurance year used. */
    Claims.Stored dispatched(long contract, Claims.Stored s) {
        LocalDate day = s.claim().dispatch().orElseThrow();
        InsuranceCheck.Year y = InsuranceCheck.yearOf(START, day);
        Claim next = FLOW.dispatched(s.claim(), day, START, claims.paidInInsuranceYear(contract, y.from(), y.to()),
                claims.dispatchesInInsuranceYear(contract, y.from(), y.to()), Optional.empty(), day.atTime(18, 0).atZone(ZoneId.of("Asia/Tokyo")));
        return claims.save(s.id(), s.version(), next);
    }

    @Test
    void aClaimIsOpenedForTheContractsCustomerAndReadBackWithinItsScopeOnly() {
        Claim first = requested("2026-09-01T08:00");
        long a = claims.open(k1, Optional.of("A-000123"), first);
        long b = claims.open(k3, Optional.empty(), requested("2026-09-02T08:00"));
        Claims.Stored s = claims.get(TenantScope.customer(c1), a).orElseThrow();
        assertThat(s.claim()).isEqualTo(first);
        assertThat(s.contract()).isEqualTo(k1);
        assertThat(s.reseller()).isEqualTo(r1);
        assertThat(s.customer()).contains(c1);
        assertThat(s.edition()).isEqualTo(NeutralEdition.ID);
        assertThat(s.alert()).contains("A-000123");
        assertThat(s.version()).isZero();
        assertThat(claims.get(TenantScope.reseller(r1), a)).isPresent();
        assertThat(claims.get(TenantScope.customer(c2), a)).as("another customer of the same reseller").isEmpty();
        assertThat(claims.get(TenantScope.reseller(r2), a)).as("another reseller").isEmpty();
        assertThat(claims.list(TenantScope.operator())).extracting(Claims.Stored::id).containsExactly(b, a);
        assertThat(claims.list(TenantScope.reseller(r2))).extracting(Claims.Stored::id).containsExactly(b);
        assertThat(claims.list(TenantScope.customer(c2))).isEmpty();

        assertThatThrownBy(() -> claims.open(9999, Optional.empty(), first)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no contract 9999");
        assertThatThrownBy(() -> claims.open(k1, Optional.empty(), FLOW.askScan(first, t("2026-09-01T10:00"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("new claim");
    }

    @Test
    void stepsAreSavedOneVersionAtATimeAndAStaleOrRepeatedStepIsRefused() {
        long id = claims.open(k1, Optional.empty(), requested("2026-09-01T08:00"));
        Claims.Stored s = claims.get(TenantScope.operator(), id).orElseThrow();
        Claim asked = FLOW.askScan(s.claim(), t("2026-09-01T10:00"));
        Claims.Stored saved = claims.save(id, s.version(), asked);
        assertThat(saved.claim()).isEqualTo(asked);
        assertThat(saved.version()).isEqualTo(1);
        assertThatThrownBy(() -> claims.save(id, s.version(), asked)).as("made from an old version")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("read it again");
        assertThatThrownBy(() -> claims.save(id, saved.version(), asked)).as("the same step again")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a next step");
        Claim other = FLOW.askScan(requested("2026-09-03T08:00"), t("2026-09-03T10:00"));
        assertThatThrownBy(() -> claims.save(id, saved.version(), FLOW.scanned(other, "x", t("2026-09-03T11:00"))))
                .as("another claim's steps").isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a next step");
        assertThatThrownBy(() -> claims.save(424242, 0, asked)).hasMessageContaining("no claim 424242");

        Claims.Stored sch = scheduled(id, d("2026-09-05"));
        Claims.Stored done = dispatched(k1, sch);
        assertThat(done.claim().state()).isEqualTo(Claim.State.DISPATCHED);
        Claims.Stored reported = claims.save(id, done.version(), FLOW.reported(done.claim(), 180_000, t("2026-09-10T10:00")));
        assertThat(reported.claim().paid()).contains(150_000L);
        assertThat(ClaimFlow.customersOwn(reported.claim())).isEqualTo(30_000);
        Claims.Stored paid = claims.save(id, reported.version(), FLOW.paid(FLOW.claim(reported.claim(), t("2026-09-11T10:00")),
                t("2026-10-01T10:00")));
        assertThat(paid.claim().state()).isEqualTo(Claim.State.PAID);
        assertThat(paid.claim().steps()).extracting(Claim.Step::to).containsExactly(Claim.State.REQUESTED, Claim.State.SCAN_ASKED,
                Claim.State.SCANNED, Claim.State.VENDORS_LISTED, Claim.State.SCHEDULED, Claim.State.DISPATCHED, Claim.State.REPORTED,
                Claim.State.CLAIMED, Claim.State.PAID);
        assertThat(claims.get(TenantScope.customer(c1), id).orElseThrow()).isEqualTo(paid);
    }

    @Test
    void theInsuranceYearCountsCoveredDispatchesOfTheContractAndAThirdIsRefused() {
        long a = claims.open(k1, Optional.empty(), requested("2026-08-01T08:00"));
        Claims.Stored first = dispatched(k1, scheduled(a, d("2026-08-03")));
        claims.save(a, first.version(), FLOW.reported(first.claim(), 100_000, t("2026-08-10T10:00")));
        long b = claims.open(k1, Optional.empty(), requested("2026-09-01T08:00"));
        Claims.Stored second = dispatched(k1, scheduled(b, d("2026-09-03")));
        assertThat(second.claim().paid()).as("held at the dispatch's limit until the invoice").contains(150_000L);
        long other = claims.open(k2, Optional.empty(), requested("2026-09-01T08:00"));
        dispatched(k2, scheduled(other, d("2026-09-04")));
        long nextYear = claims.open(k1, Optional.empty(), requested("2027-07-02T08:00"));
        dispatched(k1, scheduled(nextYear, d("2027-07-03")));

        assertThat(claims.paidInInsuranceYear(k1, d("2026-07-01"), d("2027-06-30"))).isEqualTo(250_000);
        assertThat(claims.dispatchesInInsuranceYear(k1, d("2026-07-01"), d("2027-06-30"))).isEqualTo(2);
        assertThat(claims.dispatchesInInsuranceYear(k1, d("2027-07-01"), d("2028-06-30"))).isEqualTo(1);

        long third = claims.open(k1, Optional.empty(), requested("2026-10-01T08:00"));
        Claims.Stored refused = dispatched(k1, scheduled(third, d("2026-10-02")));
        assertThat(refused.claim().state()).as("50,000 yen left, but 2 dispatches a year").isEqualTo(Claim.State.REFUSED);
        assertThat(refused.claim().steps().getLast().what()).contains("2 回まで");
        assertThat(claims.dispatchesInInsuranceYear(k1, d("2026-07-01"), d("2027-06-30"))).as("a refused claim counts nothing")
                .isEqualTo(2);
    }

    @Test
    void aClaimOutlivesItsCustomersErasureWithoutTheCustomer() {
        long id = claims.open(k1, Optional.of("A-000777"), requested("2026-09-01T08:00"));
        Claims.Stored s = scheduled(id, d("2026-09-05"));
        store.tenants().erase(c1);
        Claims.Stored kept = claims.get(TenantScope.operator(), id).orElseThrow();
        assertThat(kept.customer()).isEmpty();
        assertThat(kept.claim()).isEqualTo(s.claim());
        assertThat(kept.alert()).contains("A-000777");
        assertThat(claims.list(TenantScope.reseller(r1))).extracting(Claims.Stored::id).containsExactly(id);
        assertThat(claims.list(TenantScope.customer(c1))).isEmpty();
        assertThat(claims.paidInInsuranceYear(k1, d("2026-07-01"), d("2027-06-30"))).isZero();
        assertThatThrownBy(() -> claims.open(k1, Optional.empty(), requested("2026-09-02T08:00")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no customer");
        Claims.Stored done = dispatched(k1, kept);
        assertThat(done.claim().state()).as("the insurer's business goes on").isEqualTo(Claim.State.DISPATCHED);
    }
}
