package org.omamori.desk;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.backoffice.desk.Ticket;
import org.omamori.backoffice.desk.TicketFlow;
import org.omamori.backoffice.desk.TicketKind;
import org.omamori.notify.Mail;
import org.omamori.notify.Sender;
import org.omamori.store.CustomerId;
import org.omamori.store.TenantScope;
import org.omamori.store.Tickets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The support desk over the store (docs/desk.md): every way a ticket moves, each rule from the
 * customer's edition ({@link TicketFlow}). A mail continues a thread only when its sender is the
 * thread's customer; anything else opens a new ticket, so a forged reference or a guessed token
 * cannot put words into another customer's ticket. Identity-changing requests carry a
 * 本人確認 step for the same reason: a mail's From proves nothing.
 */
public final class Desk {

    private static final Logger LOG = LoggerFactory.getLogger(Desk.class);

    private final Tickets tickets;
    private final Function<Optional<String>, Edition> editions;
    private final Clock clock;

    /**
     * @param editions the edition of an id (empty: the neutral default; an id not installed: the neutral default too)
     */
    public Desk(Tickets tickets, Function<Optional<String>, Edition> editions, Clock clock) {
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.editions = Objects.requireNonNull(editions, "editions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What became of a mail. */
    public enum Taken {
        NEW, CONTINUED, DUPLICATE
    }

    /** A mail taken in, and the ticket it went to (empty for a duplicate). */
    public record Intake(Taken taken, Optional<Tickets.Stored> ticket) {
    }

    /** A mail from the mailbox: continues its thread, or opens a ticket (an inquiry; the desk can change the kind by answering). */
    public Intake fromMail(InboundMail mail) {
        if (mail.messageId().isPresent() && tickets.seen(mail.messageId().get())) {
            return new Intake(Taken.DUPLICATE, Optional.empty());
        }
        Optional<CustomerId> customer = tickets.customerOf(mail.from());
        Tickets.NewMessage message = new Tickets.NewMessage(mail.received(), Tickets.Direction.IN, mail.from().isEmpty() ? "(不明)" : mail.from(),
                mail.messageId(), mail.body(), mail.attachments());
        Optional<Tickets.Stored> thread = tickets.thread(mail.references(), mail.token());
        if (thread.isPresent() && customer.isPresent() && thread.get().customer().equals(customer)) {
            Tickets.Stored t = thread.get();
            Ticket next = flow(t.edition()).customerWrote(t.ticket(), jst(mail.received()));
            return new Intake(Taken.CONTINUED, Optional.of(tickets.save(t.id(), t.version(), next, Optional.of(message), Optional.empty())));
        }
        if (thread.isPresent()) {
            LOG.warn("desk: a mail names ticket {} but does not come from its customer; opened as a new ticket", thread.get().id());
        }
        String edition = customer.flatMap(tickets::editionOf).orElse("default");
        Ticket ticket = flow(edition).open(TicketKind.INQUIRY, mail.subject(), jst(mail.received()), false, Actor.CUSTOMER, 0, "メール");
        Tickets.Stored opened = tickets.open(customer, edition, ticket, message);
        LOG.info("desk: ticket {} opened from mail{}", opened.id(), customer.isEmpty() ? " (sender not a customer's address: for the operator)" : "");
        return new Intake(Taken.NEW, Optional.of(opened));
    }

    /** A ticket opened in the portal by a customer's account. */
    public Tickets.Stored fromPortal(CustomerId customer, TicketKind kind, String subject, String body, boolean longAnswer, String login,
                                     List<Tickets.NewAttachment> attachments) {
        String edition = tickets.editionOf(customer).orElse("default");
        ZonedDateTime now = jst(clock.instant());
        int remote = kind == TicketKind.REMOTE_CHANGE ? tickets.remoteChanges(customer, YearMonth.from(now)) : 0;
        Ticket ticket = flow(edition).open(kind, subject, now, longAnswer, Actor.CUSTOMER, remote, "ポータル");
        return tickets.open(Optional.of(customer), edition, ticket,
                new Tickets.NewMessage(now.toInstant(), Tickets.Direction.IN, login, Optional.empty(), body, attachments));
    }

    /** The customer wrote again in the portal. */
    public Tickets.Stored customerReply(CustomerId customer, long id, String body, String login) {
        Tickets.Stored t = get(TenantScope.customer(customer), id);
        ZonedDateTime now = jst(clock.instant());
        return tickets.save(t.id(), t.version(), flow(t.edition()).customerWrote(t.ticket(), now),
                Optional.of(new Tickets.NewMessage(now.toInstant(), Tickets.Direction.IN, login, Optional.empty(), body, List.of())), Optional.empty());
    }

    /** The customer says it is solved. */
    public Tickets.Stored customerCloses(CustomerId customer, long id) {
        Tickets.Stored t = get(TenantScope.customer(customer), id);
        return tickets.save(t.id(), t.version(), flow(t.edition()).close(t.ticket(), jst(clock.instant()), Actor.CUSTOMER), Optional.empty(),
                Optional.empty());
    }

    /**
     * The desk answers (in full, or a first answer when {@code first}); the answer is mailed to the
     * customer's recipients in the thread, from the edition's desk.
     */
    public Tickets.Stored answer(TenantScope staff, long id, String body, boolean first, String login) {
        Tickets.Stored t = get(staff, id);
        ZonedDateTime now = jst(clock.instant());
        TicketFlow flow = flow(t.edition());
        Ticket next = first ? flow.firstAnswer(t.ticket(), now, actor(staff)) : flow.answer(t.ticket(), now, actor(staff));
        Edition edition = editions.apply(Optional.of(t.edition()));
        Optional<String> inReplyTo = tickets.messages(TenantScope.operator(), id, false).reversed().stream()
                .filter(m -> m.direction() == Tickets.Direction.IN).flatMap(m -> m.messageId().stream())
                .filter(x -> Mail.MESSAGE_ID.matcher(x).matches()).findFirst();
        Function<org.omamori.store.Addressee, Mail> mail = to -> new Mail(to.to(), subject(t), body(edition, t, body, first),
                Optional.of(new Sender(edition.terms().desk().mail(), edition.terms().desk().name().ja())), inReplyTo);
        return tickets.save(id, t.version(), next, Optional.of(new Tickets.NewMessage(now.toInstant(), Tickets.Direction.OUT, login,
                Optional.empty(), body, List.of())), Optional.of(mail));
    }

    /** The desk did the kind's next step. */
    public Tickets.Stored step(TenantScope staff, long id, String note) {
        Tickets.Stored t = get(staff, id);
        return tickets.save(id, t.version(), flow(t.edition()).step(t.ticket(), jst(clock.instant()), actor(staff), note), Optional.empty(),
                Optional.empty());
    }

    /** Staff close a ticket (the customer confirmed by phone, say). */
    public Tickets.Stored close(TenantScope staff, long id) {
        Tickets.Stored t = get(staff, id);
        return tickets.save(id, t.version(), flow(t.edition()).close(t.ticket(), jst(clock.instant()), actor(staff)), Optional.empty(),
                Optional.empty());
    }

    /** A note only staff read. */
    public void note(TenantScope staff, long id, String body, String login) {
        get(staff, id);
        tickets.note(id, new Tickets.NewMessage(clock.instant(), Tickets.Direction.NOTE, login, Optional.empty(), body, List.of()));
    }

    /** Closes the answered tickets whose 14 days are over; how many. */
    public int closeDue() {
        Instant now = clock.instant();
        int closed = 0;
        for (Tickets.Stored t : tickets.dueToClose(now)) {
            Optional<Ticket> next = TicketFlow.autoClose(t.ticket(), jst(now));
            if (next.isPresent()) {
                try {
                    tickets.save(t.id(), t.version(), next.get(), Optional.empty(), Optional.empty());
                    closed++;
                } catch (IllegalStateException movedOn) {
                    // The customer wrote meanwhile: the ticket is open again.
                }
            }
        }
        return closed;
    }

    private Tickets.Stored get(TenantScope scope, long id) {
        return tickets.get(scope, id).orElseThrow(() -> new IllegalArgumentException("no ticket " + id));
    }

    private TicketFlow flow(String edition) {
        return new TicketFlow(editions.apply("default".equals(edition) ? Optional.empty() : Optional.of(edition)));
    }

    private static Actor actor(TenantScope staff) {
        return switch (staff) {
            case TenantScope.Operator o -> Actor.OPERATOR;
            case TenantScope.Reseller r -> Actor.RESELLER;
            case TenantScope.Customer c -> throw new IllegalArgumentException("customers do not answer tickets");
        };
    }

    /** {@code Re: [#token] subject}: the token lets a reply find the thread when headers are lost. */
    static String subject(Tickets.Stored t) {
        return Ticket.oneLine("Re: [#" + t.token() + "] " + t.ticket().subject().replaceFirst("^(?i)(re:\\s*)+", ""));
    }

    static String body(Edition edition, Tickets.Stored t, String answer, boolean first) {
        var desk = edition.terms().desk();
        return edition.brand().company().ja() + " " + desk.name().ja() + "です。\n"
                + "お問い合わせ（" + t.ticket().kind().ja() + "、番号 " + t.token() + "）について" + (first ? "一次回答として" : "")
                + "ご連絡いたします。\n\n"
                + answer.replace("\r\n", "\n").strip() + "\n\n"
                + "このメールにご返信いただくと、同じお問い合わせの続きとして承ります。\n"
                + (first ? "" : "ご返信がない場合、" + DeskDeadlines.AUTO_CLOSE_DAYS + "日後に完了とさせていただきます。\n")
                + "――\n" + desk.name().ja() + " 電話 " + desk.phone() + "（" + desk.hoursJa() + "） メール " + desk.mail() + "\n";
    }

    private static ZonedDateTime jst(Instant at) {
        return at.atZone(DeskDeadlines.JST);
    }
}
