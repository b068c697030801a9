package org.omamori.backoffice.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.osaka.OsakaEdition;

/** Answer deadlines on the desk calendars, across Golden Week, the year-end closure and Niigata's 15 August. */
class DeskDeadlinesTest {

    final DeskDeadlines osaka = new DeskDeadlines(new OsakaEdition().terms().desk());
    final DeskDeadlines niigata = new DeskDeadlines(new NiigataEdition().terms().desk());

    static ZonedDateTime jst(String t) {
        return LocalDateTime.parse(t).atZone(DeskDeadlines.JST);
    }

    @Test
    void goldenWeekPushesTheFourthBusinessDayAndTheTicketClosesTwoWeeksAfter() {
        DeskDeadlines.Due due = osaka.due(jst("2026-05-01T10:00"), false);
        assertThat(due.receivedOn()).isEqualTo(LocalDate.parse("2026-05-01"));
        assertThat(due.answerBy()).isEqualTo(jst("2026-05-12T17:00")); // 7, 8, 11, 12 May
        assertThat(due.closesOn()).isEqualTo(LocalDate.parse("2026-05-26"));
        assertThat(osaka.due(jst("2026-05-01T10:00"), true).firstOnly()).isTrue();
    }

    @Test
    void aMailOnAClosedDayIsReceivedOnTheNextBusinessDay() {
        assertThat(osaka.due(jst("2026-05-09T23:30"), false).receivedOn()).isEqualTo(LocalDate.parse("2026-05-11"));
        assertThat(osaka.due(jst("2026-05-09T23:30"), false).answerBy()).isEqualTo(jst("2026-05-15T17:00"));
        // 15:00 UTC on Friday is 0:00 on Saturday in Japan
        assertThat(osaka.due(ZonedDateTime.parse("2026-05-08T15:00:00Z"), false).receivedOn()).isEqualTo(LocalDate.parse("2026-05-11"));
    }

    @Test
    void theYearEndClosureAndNiigatasFifteenthOfAugustPushTheDeadline() {
        assertThat(osaka.due(jst("2026-12-28T16:59"), false).answerBy()).isEqualTo(jst("2027-01-07T17:00"));
        assertThat(osaka.due(jst("2028-08-14T09:00"), false).answerBy()).isEqualTo(jst("2028-08-18T17:00"));
        assertThat(niigata.due(jst("2028-08-14T09:00"), false).answerBy()).isEqualTo(jst("2028-08-21T17:00"));
    }
}
