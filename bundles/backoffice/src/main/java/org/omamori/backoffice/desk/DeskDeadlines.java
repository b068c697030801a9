package org.omamori.backoffice.desk;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

import org.omamori.api.edition.Terms;
import org.omamori.backoffice.calendar.BusinessCalendar;

/**
 * When the desk must answer an inquiry (seed 000 §8.2, docs/desk.md): within the edition's answer
 * days (4) counted in desk business days; day 1 is the first business day after the inquiry was
 * received, a mail received on a closed day counts as received on the next business day, and the
 * deadline is the desk's closing time on the last day. When a full answer is expected to take longer
 * than 5 business days, the same deadline holds for a first answer. A ticket closes by itself 14
 * calendar days after the answer.
 */
public final class DeskDeadlines {

    /** Japan time: the desk's hours are Japanese. */
    public static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    /** A full answer expected to take longer than this many business days is preceded by a first answer. */
    public static final int LONG_ANSWER_DAYS = 5;
    /** An answered ticket closes by itself this many calendar days after the answer. */
    public static final int AUTO_CLOSE_DAYS = 14;

    /**
     * The deadlines of one inquiry.
     *
     * @param receivedOn the business day it counts as received
     * @param answerBy   the (first) answer's deadline: the desk's closing time of the last day
     * @param firstOnly  true when the deadline is for a first answer (a full answer takes longer)
     * @param closesOn   the day the ticket closes by itself when answered on the deadline
     */
    public record Due(LocalDate receivedOn, ZonedDateTime answerBy, boolean firstOnly, LocalDate closesOn) {
    }

    private final Terms.Desk desk;
    private final BusinessCalendar calendar;

    public DeskDeadlines(Terms.Desk desk) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.calendar = BusinessCalendar.of(desk);
    }

    /**
     * @param received when the inquiry arrived (mail or portal)
     * @param long     whether a full answer is expected to take more than {@value #LONG_ANSWER_DAYS} business days
     */
    public Due due(ZonedDateTime received, boolean longAnswer) {
        return due(received, longAnswer, desk.answerBusinessDays());
    }

    /** As {@link #due(ZonedDateTime, boolean)} with a deadline of {@code businessDays} (a remote change's 5). */
    public Due due(ZonedDateTime received, boolean longAnswer, int businessDays) {
        LocalDate day = received.withZoneSameInstant(JST).toLocalDate();
        LocalDate receivedOn = calendar.onOrAfter(day);
        LocalDate last = receivedOn;
        for (int n = 0; n < businessDays; n++) {
            last = calendar.onOrAfter(last.plusDays(1));
        }
        ZonedDateTime answerBy = last.atTime(desk.closes()).atZone(JST);
        return new Due(receivedOn, answerBy, longAnswer, last.plusDays(AUTO_CLOSE_DAYS));
    }
}
