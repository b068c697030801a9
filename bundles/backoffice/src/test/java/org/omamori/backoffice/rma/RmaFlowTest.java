package org.omamori.backoffice.rma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.edition.osaka.OsakaEdition;
import org.omamori.edition.vario.VarioEdition;

/** The RMA's steps with the editions' deadlines in business days, and the 7-year flag. */
class RmaFlowTest {

    static final String FAULTY = "0a1b2c3d4e5f";
    static final String NEW = "0a1b2c3d4e60";

    static ZonedDateTime t(String s) {
        return LocalDateTime.parse(s).atZone(ZoneId.of("Asia/Tokyo"));
    }

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    private static Rma confirmed(RmaFlow flow, String at) {
        Rma r = flow.report(FAULTY, t(at).minusHours(2), Actor.CUSTOMER, "故障チケット 3");
        return flow.check(r, true, "前日 22:10 以降ハートビートなし、電源LED消灯", t(at), Actor.OPERATOR);
    }

    @Test
    void aVarioRmaRunsFromTheReportToTheErasureWithEveryStepTimedAndByWhom() {
        RmaFlow flow = new RmaFlow(new VarioEdition());
        Rma r = confirmed(flow, "2026-04-24T15:00"); // a Friday
        assertThat(r.state()).isEqualTo(Rma.State.CONFIRMED);
        assertThat(r.shipBy()).as("the next business day after a Friday").contains(d("2026-04-27"));
        assertThat(r.steps().getLast().what()).contains("2026-04-27 までに発送", "電源LED消灯");
        assertThat(r.overdue(d("2026-04-27"))).isFalse();
        assertThat(r.overdue(d("2026-04-28"))).isTrue();
        r = flow.ship(r, NEW, t("2026-04-27T11:00"), Actor.OPERATOR);
        assertThat(r.shippedLate()).isFalse();
        r = flow.swapped(r, t("2026-04-28T10:00"), Actor.CUSTOMER);
        // 5 business days after Tuesday 28 April across Golden Week: 30 Apr, 1 May, 7, 8 and 11 May
        // (29 Apr Shōwa Day; 3–6 May the holidays with 6 May the substitute for Sunday 3 May).
        assertThat(r.returnBy()).contains(d("2026-05-11"));
        assertThat(r.operatorPaysReturn()).isTrue();
        assertThat(r.steps().getLast().what()).contains("2026-05-11 までに", "着払い", "認証情報を失効", FAULTY, NEW);
        r = flow.returned(r, t("2026-05-11T16:00"), Actor.OPERATOR);
        assertThat(r.returnedLate()).isFalse();
        r = flow.erased(r, t("2026-05-12T10:00"), Actor.OPERATOR);
        assertThat(r.state()).isEqualTo(Rma.State.ERASED);
        assertThat(r.state().done()).isTrue();
        assertThat(r.steps()).extracting(Rma.Step::to).containsExactly(Rma.State.REPORTED, Rma.State.CONFIRMED, Rma.State.SHIPPED,
                Rma.State.SWAPPED, Rma.State.RETURNED, Rma.State.ERASED);
        assertThat(r.steps()).extracting(Rma.Step::by).containsExactly(Actor.CUSTOMER, Actor.OPERATOR, Actor.OPERATOR, Actor.CUSTOMER,
                Actor.OPERATOR, Actor.OPERATOR);
        assertThat(r.reported()).isEqualTo(t("2026-04-24T13:00"));
    }

    @Test
    void varioShipsByTheNextBusinessDayAcrossAHolidayAndLateStepsAreNoted() {
        RmaFlow flow = new RmaFlow(new VarioEdition());
        Rma r = confirmed(flow, "2026-04-28T09:30"); // 29 April is Shōwa Day
        assertThat(r.shipBy()).contains(d("2026-04-30"));
        r = flow.ship(r, NEW, t("2026-05-01T09:00"), Actor.OPERATOR);
        assertThat(r.shippedLate()).isTrue();
        assertThat(r.steps().getLast().what()).contains("発送期限 2026-04-30 を過ぎて");
        r = flow.swapped(r, t("2026-05-01T18:00"), Actor.CUSTOMER);
        assertThat(r.returnBy()).contains(d("2026-05-13")); // 7, 8, 11, 12, 13 May
        assertThat(r.overdue(d("2026-05-13"))).isFalse();
        assertThat(r.overdue(d("2026-05-14"))).isTrue();
        r = flow.returned(r, t("2026-05-14T10:00"), Actor.OPERATOR);
        assertThat(r.returnedLate()).isTrue();
        assertThat(r.steps().getLast().what()).contains("返却期限 2026-05-13 を過ぎて");
        // A confirmation late on a Saturday still ships by the next business day, Monday.
        assertThat(confirmed(flow, "2026-06-06T20:00").shipBy()).contains(d("2026-06-08"));
        // Around the year end (closed 29 Dec – 3 Jan): confirmed Monday 28 December, shipped by Monday 4 January.
        assertThat(confirmed(flow, "2026-12-28T12:00").shipBy()).contains(d("2027-01-04"));
    }

    @Test
    void theStandardPromisesNoShippingDayNorReturnDayAndANonFaultClosesWithItsReason() {
        RmaFlow flow = new RmaFlow(NeutralEdition.INSTANCE);
        Rma r = confirmed(flow, "2026-04-24T15:00");
        assertThat(r.shipBy()).isEmpty();
        assertThat(r.steps().getLast().what()).contains("準備でき次第発送");
        assertThat(r.overdue(d("2027-01-01"))).isFalse();
        r = flow.swapped(flow.ship(r, NEW, t("2026-05-20T10:00"), Actor.OPERATOR), t("2026-05-22T10:00"), Actor.CUSTOMER);
        assertThat(r.returnBy()).isEmpty();
        assertThat(r.shippedLate()).isFalse();
        assertThat(r.steps().getLast().what()).contains("着払い"); // the standard: carriage paid by the operator

        RmaFlow osaka = new RmaFlow(new OsakaEdition());
        Rma fine = osaka.check(osaka.report(FAULTY, t("2026-04-24T09:00"), Actor.RESELLER, "電話"), false,
                "ハートビート正常、LANケーブルの抜けを確認", t("2026-04-24T10:00"), Actor.OPERATOR);
        assertThat(fine.state()).isEqualTo(Rma.State.CLOSED);
        assertThat(fine.finding()).contains("ハートビート正常、LANケーブルの抜けを確認");
        assertThat(fine.steps().getLast().what()).contains("故障は確認されませんでした", "LANケーブル");
        assertThatThrownBy(() -> osaka.ship(fine, NEW, t("2026-04-24T11:00"), Actor.OPERATOR))
                .isInstanceOf(ContractRuleException.class).hasMessageContaining("CLOSED").hasMessageContaining("needs CONFIRMED");
    }

    @Test
    void stepsOutOfTurnAndBadIdsAreRefused() {
        RmaFlow flow = new RmaFlow(new VarioEdition());
        Rma r = flow.report(FAULTY, t("2026-04-24T09:00"), Actor.CUSTOMER, "ポータル");
        assertThatThrownBy(() -> flow.swapped(r, t("2026-04-24T10:00"), Actor.CUSTOMER)).isInstanceOf(ContractRuleException.class)
                .hasMessageContaining("needs SHIPPED");
        assertThatThrownBy(() -> flow.check(r, true, " ", t("2026-04-24T10:00"), Actor.OPERATOR)).hasMessageContaining("rma-finding");
        Rma c = flow.check(r, true, "再起動を繰り返す", t("2026-04-24T10:00"), Actor.OPERATOR);
        assertThatThrownBy(() -> flow.ship(c, FAULTY, t("2026-04-24T11:00"), Actor.OPERATOR)).hasMessageContaining("rma-replacement");
        assertThatThrownBy(() -> flow.ship(c, "XYZ", t("2026-04-24T11:00"), Actor.OPERATOR)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flow.report("0A1B2C3D4E5F", t("2026-04-24T09:00"), Actor.CUSTOMER, "電話"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anApplianceIsFlaggedTheDayAfterItsSeventhAnniversaryOfManufacture() {
        VarioEdition vario = new VarioEdition();
        LocalDate made = d("2019-12-05");
        assertThat(ApplianceAge.flaggedFrom(vario, made)).isEqualTo(d("2026-12-06"));
        assertThat(ApplianceAge.due(vario, made, d("2026-12-04"))).isFalse();
        assertThat(ApplianceAge.due(vario, made, d("2026-12-05"))).as("exactly 7 years: not past them yet").isFalse();
        assertThat(ApplianceAge.due(vario, made, d("2026-12-06"))).isTrue();
        assertThat(ApplianceAge.due(NeutralEdition.INSTANCE, made, d("2030-01-01"))).isTrue();
        assertThat(ApplianceAge.flaggedFrom(d("2020-02-29"), 7)).isEqualTo(d("2027-03-01"));
    }
}
