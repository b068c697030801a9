package org.omamori.backoffice.desk;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.backoffice.contract.Actor;

/**
 * A support ticket as the desk keeps it (docs/desk.md), immutable: each step of {@link TicketFlow}
 * makes the next one. The messages themselves (bodies, attachments) are kept beside it by the store.
 *
 * @param kind        what it asks for
 * @param state       where it stands
 * @param subject     its subject, one line
 * @param received    when the inquiry the current deadline counts from arrived (the first message, or
 *                    the customer's reply that reopened it)
 * @param longAnswer  true when a full answer is expected to take more than 5 business days
 * @param answerBy    the deadline of the (first) answer, or of a remote change's completion
 * @param answered    when it was answered in full
 * @param closesOn    the day it closes by itself once answered
 * @param stepsDone   how many of the kind's {@link TicketKind#steps() steps} are done
 * @param history     every step, oldest first
 */
public record Ticket(TicketKind kind, TicketState state, String subject, ZonedDateTime received, boolean longAnswer,
                     ZonedDateTime answerBy, Optional<ZonedDateTime> answered, Optional<LocalDate> closesOn, int stepsDone,
                     List<Step> history) {

    /** One step: the new state, when, who, what (Japanese). */
    public record Step(TicketState to, ZonedDateTime at, Actor by, String what) {
        public Step {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(what, "what");
        }
    }

    /** The longest subject kept; longer ones are cut. */
    public static final int MAX_SUBJECT = 200;

    public Ticket {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(answerBy, "answerBy");
        Objects.requireNonNull(answered, "answered");
        Objects.requireNonNull(closesOn, "closesOn");
        subject = oneLine(subject);
        if (stepsDone < 0 || stepsDone > kind.steps().size()) {
            throw new IllegalArgumentException("steps done " + stepsDone + " of " + kind.steps().size());
        }
        history = List.copyOf(history);
    }

    /** A subject as kept: one line, control characters removed, at most {@value #MAX_SUBJECT} characters, never blank. */
    public static String oneLine(String subject) {
        String s = subject.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
        if (s.isEmpty()) {
            s = "（件名なし）";
        }
        return s.length() > MAX_SUBJECT ? s.substring(0, MAX_SUBJECT) : s;
    }

    /** The desk's next step for this kind, if any is left. */
    public Optional<String> nextStep() {
        return stepsDone < kind.steps().size() ? Optional.of(kind.steps().get(stepsDone)) : Optional.empty();
    }

    /** Whether the deadline passed with the desk's answer still owed. */
    public boolean late(ZonedDateTime now) {
        return state == TicketState.OPEN && now.isAfter(answerBy);
    }

    Ticket to(TicketState next, ZonedDateTime at, Actor by, String what) {
        List<Step> h = new ArrayList<>(history);
        h.add(new Step(next, at, by, what));
        return new Ticket(kind, next, subject, received, longAnswer, answerBy, answered, closesOn, stepsDone, h);
    }

    Ticket with(ZonedDateTime from, boolean isLong, ZonedDateTime by, Optional<ZonedDateTime> answeredAt, Optional<LocalDate> closes,
                int steps) {
        return new Ticket(kind, state, subject, from, isLong, by, answeredAt, closes, steps, history);
    }
}
