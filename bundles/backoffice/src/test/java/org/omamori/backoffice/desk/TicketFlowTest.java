package org.omamori.backoffice.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.edition.osaka.OsakaEdition;
import org.omamori.edition.vario.VarioEdition;

/** Tickets through their steps: deadlines, first answers, kinds' steps, auto-close, reopening, Vario's remote changes. */
class TicketFlowTest {

    final TicketFlow osaka = new TicketFlow(new OsakaEdition());
    final TicketFlow vario = new TicketFlow(new VarioEdition());

    static ZonedDateTime jst(String t) {
        return LocalDateTime.parse(t).atZone(DeskDeadlines.JST);
    }

    @Test
    void anInquiryIsAnsweredAndClosesByItselfFourteenDaysLater() {
        Ticket t = osaka.open(TicketKind.INQUIRY, "ログインできません", jst("2026-05-01T10:00"), false, Actor.CUSTOMER, 0, "メール");
        assertThat(t.state()).isEqualTo(TicketState.OPEN);
        assertThat(t.answerBy()).isEqualTo(jst("2026-05-12T17:00")); // across Golden Week
        assertThat(t.late(jst("2026-05-12T17:00"))).isFalse();
        assertThat(t.late(jst("2026-05-12T17:01"))).isTrue();
        Ticket answered = osaka.answer(t, jst("2026-05-11T15:00"), Actor.RESELLER);
        assertThat(answered.closesOn()).contains(LocalDate.parse("2026-05-25"));
        assertThat(answered.late(jst("2026-05-13T00:00"))).isFalse();
        assertThat(TicketFlow.autoClose(answered, jst("2026-05-24T23:59"))).isEmpty();
        Ticket closed = TicketFlow.autoClose(answered, jst("2026-05-25T00:00")).orElseThrow();
        assertThat(closed.state()).isEqualTo(TicketState.CLOSED);
        assertThat(closed.history()).extracting(Ticket.Step::by).containsExactly(Actor.CUSTOMER, Actor.RESELLER, Actor.SYSTEM);
    }

    @Test
    void aLongAnswerHasAFirstAnswerByTheDeadlineAndTheFullOneLater() {
        Ticket t = osaka.open(TicketKind.INQUIRY, "調査のお願い", jst("2026-12-25T12:00"), true, Actor.CUSTOMER, 0, "ポータル");
        assertThat(t.answerBy()).isEqualTo(jst("2027-01-06T17:00")); // 28 Dec, then 4, 5, 6 Jan after the year-end closure
        Ticket first = osaka.firstAnswer(t, jst("2026-12-28T10:00"), Actor.RESELLER);
        assertThat(first.state()).isEqualTo(TicketState.FIRST_ANSWERED);
        assertThat(first.late(jst("2027-01-20T10:00"))).isFalse();
        assertThat(osaka.answer(first, jst("2027-01-20T10:00"), Actor.RESELLER).state()).isEqualTo(TicketState.ANSWERED);
    }

    @Test
    void aReplyReopensAnAnsweredTicketWithANewDeadlineAndTheCustomerCanClose() {
        Ticket t = osaka.answer(osaka.open(TicketKind.INQUIRY, "質問", jst("2026-03-30T09:00"), false, Actor.CUSTOMER, 0, "メール"),
                jst("2026-03-31T09:00"), Actor.RESELLER);
        Ticket again = osaka.customerWrote(t, jst("2026-04-03T18:00")); // Friday evening
        assertThat(again.state()).isEqualTo(TicketState.OPEN);
        assertThat(again.answerBy()).isEqualTo(jst("2026-04-09T17:00"));
        assertThat(again.answered()).isEmpty();
        assertThat(osaka.close(again, jst("2026-04-04T10:00"), Actor.CUSTOMER).state()).isEqualTo(TicketState.CLOSED);
    }

    @Test
    void aKindsStepsComeBeforeTheAnswer() {
        Ticket t = osaka.open(TicketKind.TWO_STEP_RESET, "二段階認証", jst("2026-06-01T10:00"), false, Actor.CUSTOMER, 0, "メール");
        assertThat(t.nextStep()).contains("ご本人確認");
        assertThatThrownBy(() -> osaka.answer(t, jst("2026-06-01T11:00"), Actor.RESELLER)).isInstanceOf(ContractRuleException.class)
                .hasMessageContaining("ご本人確認");
        Ticket done = osaka.step(osaka.step(t, jst("2026-06-01T11:00"), Actor.RESELLER, "電話で確認"), jst("2026-06-01T11:05"),
                Actor.RESELLER, "");
        assertThat(done.nextStep()).isEmpty();
        assertThat(done.history().get(1).what()).isEqualTo("ご本人確認: 電話で確認");
        assertThatThrownBy(() -> osaka.step(done, jst("2026-06-01T11:06"), Actor.RESELLER, "")).isInstanceOf(ContractRuleException.class);
        assertThat(osaka.answer(done, jst("2026-06-01T11:10"), Actor.RESELLER).state()).isEqualTo(TicketState.ANSWERED);
    }

    @Test
    void varioTakesFourRemoteChangesAMonthDoneInFiveBusinessDaysAndRefusesTheFifth() {
        Ticket fourth = vario.open(TicketKind.REMOTE_CHANGE, "ポート開放", jst("2026-04-28T10:00"), false, Actor.CUSTOMER, 3, "メール");
        assertThat(fourth.state()).isEqualTo(TicketState.OPEN);
        assertThat(fourth.answerBy()).isEqualTo(jst("2026-05-11T17:00")); // 30 Apr, 1, 7, 8, 11 May: 29 Apr and 3-6 May are holidays
        Ticket fifth = vario.open(TicketKind.REMOTE_CHANGE, "もう一件", jst("2026-04-30T10:00"), false, Actor.CUSTOMER, 4, "メール");
        assertThat(fifth.state()).isEqualTo(TicketState.REFUSED);
        assertThat(fifth.history().getLast().what()).contains("1か月4回まで", "すでに4回");
        assertThat(osaka.open(TicketKind.REMOTE_CHANGE, "変更", jst("2026-04-30T10:00"), false, Actor.CUSTOMER, 0, "メール").state())
                .isEqualTo(TicketState.REFUSED);
    }

    @Test
    void subjectsAreOneBoundedLine() {
        assertThat(Ticket.oneLine("a\r\nb\tc")).isEqualTo("a b c");
        assertThat(Ticket.oneLine(" \n ")).isEqualTo("（件名なし）");
        assertThat(Ticket.oneLine("x".repeat(500))).hasSize(Ticket.MAX_SUBJECT);
    }
}
