package org.omamori.backoffice.desk;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Support;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.contract.ContractRuleException;

/**
 * The steps of a support ticket under an edition's desk (docs/desk.md "Tickets"): opened from a mail
 * or the portal with its deadline from the desk calendar ({@link DeskDeadlines}); a first answer when
 * the full one takes longer; the kind's own steps; the answer, after which the ticket closes on the
 * customer's word or by itself 14 days later; a customer's reply to an answered or closed ticket
 * reopens it with a new deadline. A remote configuration change beyond the edition's monthly
 * allowance is refused with the reason.
 */
public final class TicketFlow {

    private final Support support;
    private final DeskDeadlines deadlines;

    public TicketFlow(Edition edition) {
        Objects.requireNonNull(edition, "edition");
        this.support = edition.support();
        this.deadlines = new DeskDeadlines(edition.terms().desk());
    }

    /**
     * A new ticket.
     *
     * @param remoteChangesThisMonth the contract's remote changes already accepted in {@code received}'s month (JST)
     * @param via                    how it came, e.g. {@code メール} or {@code ポータル}
     */
    public Ticket open(TicketKind kind, String subject, ZonedDateTime received, boolean longAnswer, Actor by,
                       int remoteChangesThisMonth, String via) {
        Objects.requireNonNull(kind, "kind");
        int days = kind == TicketKind.REMOTE_CHANGE ? support.remoteChangeBusinessDays() : -1;
        DeskDeadlines.Due due = days > 0 ? deadlines.due(received, false, days) : deadlines.due(received, longAnswer);
        Ticket t = new Ticket(kind, TicketState.OPEN, subject, received, longAnswer && days < 0, due.answerBy(), Optional.empty(),
                Optional.empty(), 0, java.util.List.of());
        if (kind == TicketKind.REMOTE_CHANGE) {
            Optional<String> refused = remoteChangeRefused(support, remoteChangesThisMonth);
            if (refused.isPresent()) {
                return t.to(TicketState.REFUSED, received, Actor.SYSTEM, refused.get());
            }
        }
        String deadline = due.answerBy().toLocalDate() + " " + due.answerBy().toLocalTime();
        return t.to(TicketState.OPEN, received, by, via + "で受付（" + (days > 0 ? "実施期限 " : "回答期限 ") + deadline + "）");
    }

    /**
     * Why one more remote configuration change on request is refused this month, in Japanese; empty when the
     * edition's terms allow it (docs/desk.md, docs/fleet.md): the desk's tickets and the cloud's settings both ask.
     */
    public static Optional<String> remoteChangeRefused(Support support, int doneThisMonth) {
        int allowed = support.remoteChangesPerMonth();
        if (allowed == 0) {
            return Optional.of("このサービスではリモート設定変更をお受けしていません");
        }
        if (doneThisMonth >= allowed) {
            return Optional.of("リモート設定変更は1契約につき1か月" + allowed + "回までです（今月はすでに" + doneThisMonth
                    + "回お受けしています）。翌月にあらためてお申し込みください");
        }
        return Optional.empty();
    }

    /** The customer wrote again: noted; an answered or closed ticket opens again with a new deadline. */
    public Ticket customerWrote(Ticket t, ZonedDateTime at) {
        return switch (t.state()) {
            case OPEN, FIRST_ANSWERED, REFUSED -> t.to(t.state(), at, Actor.CUSTOMER, "お客様から追記");
            case ANSWERED, CLOSED -> {
                DeskDeadlines.Due due = deadlines.due(at, false);
                yield t.with(at, false, due.answerBy(), Optional.empty(), Optional.empty(), t.stepsDone())
                        .to(TicketState.OPEN, at, Actor.CUSTOMER, "お客様から返信（再開、回答期限 " + due.answerBy().toLocalDate() + "）");
            }
        };
    }

    /** A first answer: the full answer takes longer than 5 business days and follows later. */
    public Ticket firstAnswer(Ticket t, ZonedDateTime at, Actor by) {
        require(t, TicketState.OPEN);
        return t.with(t.received(), true, t.answerBy(), t.answered(), t.closesOn(), t.stepsDone())
                .to(TicketState.FIRST_ANSWERED, at, by, "一次回答");
    }

    /** The desk did the kind's next step. */
    public Ticket step(Ticket t, ZonedDateTime at, Actor by, String note) {
        if (!t.state().waitingForDesk()) {
            throw new ContractRuleException("state", "the ticket is " + t.state() + " (" + t.state().ja() + "): no step to do");
        }
        String step = t.nextStep().orElseThrow(() -> new ContractRuleException("steps", "every step of " + t.kind().ja() + " is done"));
        return t.with(t.received(), t.longAnswer(), t.answerBy(), t.answered(), t.closesOn(), t.stepsDone() + 1)
                .to(t.state(), at, by, step + (note == null || note.isBlank() ? "" : ": " + Ticket.oneLine(note)));
    }

    /** The full answer: every step of the kind done; the ticket closes by itself 14 days later. */
    public Ticket answer(Ticket t, ZonedDateTime at, Actor by) {
        if (!t.state().waitingForDesk()) {
            throw new ContractRuleException("state", "the ticket is " + t.state() + " (" + t.state().ja() + "): nothing to answer");
        }
        t.nextStep().ifPresent(s -> {
            throw new ContractRuleException("steps", "the step " + s + " is not done yet");
        });
        LocalDate closes = at.withZoneSameInstant(DeskDeadlines.JST).toLocalDate().plusDays(DeskDeadlines.AUTO_CLOSE_DAYS);
        return t.with(t.received(), t.longAnswer(), t.answerBy(), Optional.of(at), Optional.of(closes), t.stepsDone())
                .to(TicketState.ANSWERED, at, by, "回答（" + closes + " に自動クローズ）");
    }

    /** Closed on the customer's word (or the desk's, for one the customer confirmed otherwise). */
    public Ticket close(Ticket t, ZonedDateTime at, Actor by) {
        if (t.state() == TicketState.CLOSED || t.state() == TicketState.REFUSED) {
            throw new ContractRuleException("state", "the ticket is already " + t.state().ja());
        }
        return t.to(TicketState.CLOSED, at, by, by == Actor.CUSTOMER ? "お客様のご確認によりクローズ" : "クローズ");
    }

    /** Closes an answered ticket whose 14 days are over; empty when it is not due. */
    public static Optional<Ticket> autoClose(Ticket t, ZonedDateTime now) {
        LocalDate today = now.withZoneSameInstant(DeskDeadlines.JST).toLocalDate();
        if (t.state() != TicketState.ANSWERED || t.closesOn().isEmpty() || today.isBefore(t.closesOn().get())) {
            return Optional.empty();
        }
        return Optional.of(t.to(TicketState.CLOSED, now, Actor.SYSTEM, "回答から" + DeskDeadlines.AUTO_CLOSE_DAYS + "日経過のため自動クローズ"));
    }

    private static void require(Ticket t, TicketState state) {
        if (t.state() != state) {
            throw new ContractRuleException("state", "the ticket is " + t.state() + " (" + t.state().ja() + "); this step needs " + state);
        }
    }
}
