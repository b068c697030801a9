package org.omamori.backoffice.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.backoffice.billing.QuoteRequest;
import org.omamori.edition.matsumoto.MatsumotoEdition;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.osaka.OsakaEdition;
import org.omamori.edition.vario.VarioEdition;

/** The contract life cycle under each seeded edition's terms, on dates that hit the rules' edges (docs/contracts.md). */
class LifecycleTest {

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    final Lifecycle niigata = new Lifecycle(new NiigataEdition());
    final Lifecycle osaka = new Lifecycle(new OsakaEdition());
    final Lifecycle vario = new Lifecycle(new VarioEdition());

    Contract niigataApproved() {
        Contract c = niigata.apply(QuoteRequest.appliedOn(d("2026-05-05")).member(true));
        return niigata.approve(c, d("2026-05-14"));
    }

    @Test
    void niigataRunsFromApplicationThroughPaymentShippingStartRenewalAndCancellationToTheEnd() {
        Contract c = niigataApproved();
        assertThat(c.state()).isEqualTo(ContractState.APPROVED);
        assertThat(c.plannedStart()).contains(d("2026-06-05")); // applied on the 5th: the 5th business day of June
        assertThat(niigata.next(c)).isEqualTo(new Lifecycle.Next(Actor.CUSTOMER, "初回利用料の支払い（入金確認後に機器を発送）",
                Optional.of(d("2026-05-25"))));
        assertThatThrownBy(() -> niigata.ship(c, d("2026-05-20"))).isInstanceOf(ContractRuleException.class)
                .hasMessageContaining("only after the first payment");
        Contract paid = niigata.pay(c, d("2026-05-22"), 59_400);
        assertThat(paid.state()).isEqualTo(ContractState.PAID);
        Contract shipped = niigata.ship(paid, d("2026-05-27"));
        Contract installed = niigata.activate(shipped, d("2026-06-01"));
        assertThat(installed.state()).as("installed before the start date: waits for it").isEqualTo(ContractState.ACTIVATED);
        assertThatThrownBy(() -> niigata.start(installed, d("2026-06-04"))).hasMessageContaining("2026-06-05");
        Contract active = niigata.start(installed, d("2026-06-05"));
        assertThat(active.periodEnd()).contains(d("2027-03-31"));
        assertThat(niigata.next(active).by()).contains(d("2027-02-25")); // the renewal fee

        assertThatThrownBy(() -> niigata.renew(active, d("2027-03-31"))).hasMessageContaining("renews from 2027-04-01");
        Contract renewed = niigata.renew(active, d("2027-04-01"));
        assertThat(renewed.periodEnd()).contains(d("2028-03-31"));

        Contract ending = niigata.cancel(renewed, d("2027-05-10"), Optional.empty());
        assertThat(ending.endsOn()).as("2 months' notice, to the end of a month").contains(d("2027-07-31"));
        assertThatThrownBy(() -> niigata.cancel(renewed, d("2027-05-10"), Optional.of(d("2027-06-30"))))
                .hasMessageContaining("2027-07-31 at the earliest");
        assertThat(niigata.cancel(renewed, d("2027-05-10"), Optional.of(d("2027-09-10"))).endsOn()).contains(d("2027-09-30"));
        assertThatThrownBy(() -> niigata.end(ending, d("2027-07-30"))).hasMessageContaining("runs to 2027-07-31");
        Contract ended = niigata.end(ending, d("2027-07-31"));
        assertThat(ended.state()).isEqualTo(ContractState.ENDED);
        assertThat(niigata.next(ended).actor()).isEqualTo(Actor.OPERATOR);
        assertThat(ended.history()).extracting(Contract.Step::to).containsExactly(ContractState.APPLIED, ContractState.APPROVED,
                ContractState.PAID, ContractState.SHIPPED, ContractState.ACTIVATED, ContractState.ACTIVE, ContractState.ACTIVE,
                ContractState.ENDING, ContractState.ENDED);
    }

    @Test
    void niigataAllowsNoCancellationBetweenApprovalAndStart() {
        Contract c = niigataApproved();
        assertThatThrownBy(() -> niigata.cancel(c, d("2026-05-20"), Optional.empty()))
                .isInstanceOfSatisfying(ContractRuleException.class, e -> assertThat(e.rule()).isEqualTo("cancel-before-start"));
        Contract applied = niigata.apply(QuoteRequest.appliedOn(d("2026-05-06")).member(false));
        assertThat(niigata.cancel(applied, d("2026-05-07"), Optional.empty()).state()).as("an application may be withdrawn")
                .isEqualTo(ContractState.ENDED);
    }

    @Test
    void niigataAppliedOnTheSixthStartsAMonthLaterAndAStartInMarchEndsItsFirstPeriodThatMonth() {
        Contract sixth = niigata.approve(niigata.apply(QuoteRequest.appliedOn(d("2026-05-06")).member(true)), d("2026-05-15"));
        assertThat(sixth.plannedStart()).contains(d("2026-07-07"));
        Contract march = niigata.approve(niigata.apply(QuoteRequest.appliedOn(d("2027-01-29")).member(true)), d("2027-02-01"));
        assertThat(march.plannedStart()).contains(d("2027-03-05"));
        Contract active = niigata.activate(niigata.ship(niigata.pay(march, d("2027-02-10"), 1), d("2027-02-12")), d("2027-03-05"));
        assertThat(active.state()).isEqualTo(ContractState.ACTIVE);
        assertThat(active.periodEnd()).as("a March start: the first period ends that month").contains(d("2027-03-31"));
    }

    @Test
    void niigataAppliedAfterTheFifthOfDecemberStartsInFebruaryAndPaysForMarchOnly() {
        Contract c = niigata.approve(niigata.apply(QuoteRequest.appliedOn(d("2026-12-20")).member(true)), d("2026-12-22"));
        assertThat(c.plannedStart()).contains(d("2027-02-05"));
        assertThat(niigata.next(c).by()).as("approved on or after the 15th: due the 25th of the next month").contains(d("2027-01-25"));
        Contract active = niigata.activate(niigata.ship(niigata.pay(c, d("2026-12-24"), 6_600), d("2027-01-20")), d("2027-02-05"));
        assertThat(active.periodEnd()).contains(d("2027-03-31"));
    }

    @Test
    void niigatasUnsuitableApplianceRefundIsWholeInTheFreePeriodLessAMonthAfterItAndRefusedLate() {
        Contract c = niigataApproved();
        Contract active = niigata.activate(niigata.ship(niigata.pay(c, d("2026-05-22"), 59_400), d("2026-05-27")), d("2026-06-05"));
        assertThat(niigata.unsuitableApplianceRefund(active, d("2026-06-20"), 59_400)).isEqualTo(59_400);
        assertThat(niigata.unsuitableApplianceRefund(active, d("2026-07-10"), 59_400)).isEqualTo(52_800); // 79,200 / 12 kept
        assertThat(niigata.unsuitableApplianceRefund(active, d("2026-07-15"), 59_400)).isEqualTo(52_800);
        assertThatThrownBy(() -> niigata.unsuitableApplianceRefund(active, d("2026-07-16"), 59_400)).hasMessageContaining("2026-07-15");
        assertThatThrownBy(() -> osaka.unsuitableApplianceRefund(active, d("2026-06-20"), 1)).hasMessageContaining("refunds nothing");
    }

    @Test
    void niigataRefundsTheMonthsAfterAnAbolitionOrAChangeCancelledWithinTwoMonthsAndNothingElsewhere() {
        Contract c = niigataApproved();
        Contract active = niigata.activate(niigata.ship(niigata.pay(c, d("2026-05-22"), 59_400), d("2026-05-27")), d("2026-06-05"));
        // 第11条2: abolished in December 2026 → January to March refunded: 3 × 6,600.
        assertThat(niigata.abolitionRefund(active, java.time.YearMonth.of(2026, 12), 59_400)).isEqualTo(19_800);
        assertThat(niigata.abolitionRefund(active, java.time.YearMonth.of(2027, 3), 59_400)).isZero();
        // 第12条5: notified 1 October, cancelled 30 November (within 2 months) → December to March: 4 × 6,600.
        assertThat(niigata.serviceChangeRefund(active, d("2026-10-01"), d("2026-11-30"), 59_400)).isEqualTo(26_400);
        assertThatThrownBy(() -> niigata.serviceChangeRefund(active, d("2026-10-01"), d("2026-12-02"), 59_400))
                .hasMessageContaining("within 2 months");
        // never more than what was paid
        assertThat(niigata.abolitionRefund(active, java.time.YearMonth.of(2026, 6), 10_000)).isEqualTo(10_000);
        Contract o = osaka.activate(osaka.ship(osaka.approve(osaka.apply(QuoteRequest.appliedOn(d("2026-06-01"))), d("2026-06-03")),
                d("2026-06-05")), d("2026-06-10"));
        assertThatThrownBy(() -> osaka.abolitionRefund(o, java.time.YearMonth.of(2026, 12), 1)).hasMessageContaining("no refund");
    }

    @Test
    void osakaStartsAtActivationShipsWithoutPaymentAndACancellationRunsToTheMonthsEnd() {
        Contract c = osaka.approve(osaka.apply(QuoteRequest.appliedOn(d("2026-06-01"))), d("2026-06-03"));
        assertThat(osaka.next(c).actor()).isEqualTo(Actor.OPERATOR);
        Contract active = osaka.activate(osaka.ship(c, d("2026-06-05")), d("2026-06-10"));
        assertThat(active.state()).isEqualTo(ContractState.ACTIVE);
        assertThat(active.started()).contains(d("2026-06-10"));
        assertThat(active.periodEnd()).isEmpty();
        assertThat(osaka.cancel(active, d("2026-08-20"), Optional.empty()).endsOn()).contains(d("2026-08-31"));
        assertThatThrownBy(() -> osaka.renew(active, d("2026-07-01"))).hasMessageContaining("month by month");
        assertThatThrownBy(() -> osaka.suspend(active, d("2026-07-01"), Optional.empty())).hasMessageContaining("on request");
        Lifecycle matsumoto = new Lifecycle(new MatsumotoEdition());
        Contract m = matsumoto.activate(matsumoto.ship(matsumoto.approve(matsumoto.apply(QuoteRequest.appliedOn(d("2026-06-01"))
                .monthlyFee(4_400)), d("2026-06-02")), d("2026-06-03")), d("2026-06-04"));
        assertThat(m.monthlyFee()).hasValue(4_400);
        assertThat(matsumoto.cancel(m, d("2026-12-31"), Optional.empty()).endsOn()).as("a cancellation on the last day runs to it")
                .contains(d("2026-12-31"));
    }

    @Test
    void varioEarlyTerminationPaysTheMinimumTermsMonthsLeftAndAfterItNothing() {
        Contract c = vario.approve(vario.apply(QuoteRequest.appliedOn(d("2026-05-20"))), d("2026-05-25"));
        Contract active = vario.activate(vario.ship(c, d("2026-06-01")), d("2026-06-10"));
        Contract early = vario.cancel(active, d("2026-12-10"), Optional.empty());
        assertThat(early.endsOn()).as("a month's notice, to the end of a month").contains(d("2027-01-31"));
        assertThat(early.history().getLast().what()).contains("166,600円"); // 2027-01 to 2028-06: 17 months × 9,800
        Contract late = vario.cancel(active, d("2028-05-10"), Optional.empty());
        assertThat(late.endsOn()).contains(d("2028-06-30"));
        assertThat(late.history().getLast().what()).doesNotContain("一括請求");
    }

    @Test
    void unpaidFeesSuspendOnlyAfterTheTermsDaysAndAPaymentResumes() {
        Contract c = vario.approve(vario.apply(QuoteRequest.appliedOn(d("2026-05-20"))), d("2026-05-25"));
        Contract active = vario.activate(vario.ship(c, d("2026-06-01")), d("2026-06-10"));
        assertThatThrownBy(() -> vario.suspend(active, d("2026-10-24"), Optional.of(d("2026-09-25"))))
                .hasMessageContaining("from 2026-10-25").hasMessageContaining("30 days");
        Contract suspended = vario.suspend(active, d("2026-10-25"), Optional.of(d("2026-09-25")));
        assertThat(suspended.state()).isEqualTo(ContractState.SUSPENDED);
        assertThat(vario.pay(suspended, d("2026-10-30"), 10_780).state()).isEqualTo(ContractState.ACTIVE);
        assertThat(vario.terminate(suspended, d("2026-11-30"), "未払い").endsOn()).contains(d("2026-11-30"));
    }

    @Test
    void stepsInTheWrongStateOrBeforeTheLastStepAreRefused() {
        Contract applied = osaka.apply(QuoteRequest.appliedOn(d("2026-06-10")));
        assertThatThrownBy(() -> osaka.ship(applied, d("2026-06-11"))).hasMessageContaining("APPLIED");
        assertThatThrownBy(() -> osaka.approve(applied, d("2026-06-09"))).hasMessageContaining("before");
        assertThat(osaka.refuse(applied, d("2026-06-12"), "審査の結果").state()).isEqualTo(ContractState.ENDED);
        assertThatThrownBy(() -> niigata.apply(QuoteRequest.appliedOn(d("2026-06-10")))).hasMessageContaining("--member");
    }
}
