package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.CONTRACTS;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.RECIPIENTS;
import static org.omamori.store.internal.schema.Tables.TICKETS;
import static org.omamori.store.internal.schema.Tables.TICKET_ATTACHMENTS;
import static org.omamori.store.internal.schema.Tables.TICKET_MESSAGES;
import static org.omamori.store.internal.schema.Tables.TICKET_STEPS;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.contract.ContractState;
import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.backoffice.desk.Ticket;
import org.omamori.backoffice.desk.TicketKind;
import org.omamori.backoffice.desk.TicketState;
import org.omamori.notify.Mail;
import org.omamori.notify.OutboxEntry;
import org.omamori.store.Addressee;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.TenantScope;
import org.omamori.store.Tickets;
import org.omamori.store.internal.schema.tables.records.TicketsRecord;

/** {@link Tickets} on the {@code tickets}, {@code ticket_steps}, {@code ticket_messages} and {@code ticket_attachments} tables (V24). */
public final class SqlTickets implements Tickets {

    /** Tokens: 10 characters of an alphabet without look-alikes, 50 random bits: not guessable from another ticket. */
    private static final char[] TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();
    private static final int TOKEN_LENGTH = 10;
    private static final int MAX_REFERENCES = 20;

    private final DSLContext db;
    private final SqlOutbox outbox;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SqlTickets(DSLContext db, SqlOutbox outbox, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Stored open(Optional<CustomerId> customer, String edition, Ticket ticket, NewMessage first) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(first, "first");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            Long reseller = null;
            Long contract = null;
            if (customer.isPresent()) {
                reseller = t.select(CUSTOMERS.RESELLER_ID).from(CUSTOMERS).where(CUSTOMERS.ID.eq(customer.get().value()))
                        .fetchOne(CUSTOMERS.RESELLER_ID);
                if (reseller == null) {
                    throw new IllegalArgumentException(customer.get() + " does not exist");
                }
                contract = t.select(CONTRACTS.ID).from(CONTRACTS).where(CONTRACTS.CUSTOMER_ID.eq(customer.get().value()))
                        .and(CONTRACTS.STATE.ne(ContractState.ENDED.name())).orderBy(CONTRACTS.ID.desc()).limit(1).fetchOne(CONTRACTS.ID);
            }
            TicketsRecord r = t.newRecord(TICKETS);
            r.setToken(token());
            r.setResellerId(reseller);
            r.setCustomerId(customer.map(CustomerId::value).orElse(null));
            r.setContractId(contract);
            r.setEdition(edition);
            r.setVersion(0L);
            fill(r, ticket);
            r.store();
            steps(t, r.getId(), ticket, 0);
            message(t, r.getId(), first);
            return load(t, TICKETS.ID.eq(r.getId()), false, 1).getFirst();
        });
    }

    private String token() {
        char[] c = new char[TOKEN_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = TOKEN_ALPHABET[random.nextInt(TOKEN_ALPHABET.length)];
        }
        return new String(c);
    }

    @Override
    public Optional<Stored> get(TenantScope scope, long id) {
        return load(db, TICKETS.ID.eq(id).and(scoped(scope)), false, 1).stream().findFirst();
    }

    @Override
    public List<Stored> list(TenantScope scope, boolean waitingOnly, int limit) {
        Condition where = scoped(scope);
        if (waitingOnly) {
            where = where.and(TICKETS.STATE.in(TicketState.OPEN.name(), TicketState.FIRST_ANSWERED.name()));
        }
        return load(db, where, waitingOnly, Math.max(1, Math.min(limit, 10_000)));
    }

    @Override
    public List<Message> messages(TenantScope scope, long id, boolean withNotes) {
        if (!db.fetchExists(TICKETS, TICKETS.ID.eq(id).and(scoped(scope)))) {
            return List.of();
        }
        Map<Integer, List<Attachment>> files = new HashMap<>();
        db.select(TICKET_ATTACHMENTS.SEQ, TICKET_ATTACHMENTS.N, TICKET_ATTACHMENTS.NAME, TICKET_ATTACHMENTS.MEDIA_TYPE,
                        TICKET_ATTACHMENTS.SIZE, TICKET_ATTACHMENTS.SHA256)
                .from(TICKET_ATTACHMENTS).where(TICKET_ATTACHMENTS.TICKET_ID.eq(id)).orderBy(TICKET_ATTACHMENTS.SEQ, TICKET_ATTACHMENTS.N)
                .forEach(a -> files.computeIfAbsent(a.value1(), k -> new ArrayList<>())
                        .add(new Attachment(a.value2(), a.value3(), a.value4(), a.value5(), a.value6())));
        Condition which = TICKET_MESSAGES.TICKET_ID.eq(id);
        if (!withNotes) {
            which = which.and(TICKET_MESSAGES.DIRECTION.ne(Direction.NOTE.name()));
        }
        return db.selectFrom(TICKET_MESSAGES).where(which).orderBy(TICKET_MESSAGES.SEQ).fetch(m -> new Message(m.getSeq(),
                Times.instant(m.getAt()), Direction.valueOf(m.getDirection()), m.getAuthor(), Optional.ofNullable(m.getMessageId()),
                m.getBody(), files.getOrDefault(m.getSeq(), List.of())));
    }

    @Override
    public Optional<byte[]> attachment(TenantScope scope, long id, int seq, int n) {
        Condition visible = TICKETS.ID.eq(id).and(scoped(scope));
        if (scope instanceof TenantScope.Customer) {
            visible = visible.and(TICKET_MESSAGES.DIRECTION.ne(Direction.NOTE.name()));
        }
        return Optional.ofNullable(db.select(TICKET_ATTACHMENTS.CONTENT).from(TICKET_ATTACHMENTS)
                .join(TICKET_MESSAGES).on(TICKET_MESSAGES.TICKET_ID.eq(TICKET_ATTACHMENTS.TICKET_ID).and(TICKET_MESSAGES.SEQ.eq(TICKET_ATTACHMENTS.SEQ)))
                .join(TICKETS).on(TICKETS.ID.eq(TICKET_ATTACHMENTS.TICKET_ID))
                .where(visible).and(TICKET_ATTACHMENTS.SEQ.eq(seq)).and(TICKET_ATTACHMENTS.N.eq(n))
                .fetchOne(TICKET_ATTACHMENTS.CONTENT));
    }

    @Override
    public Optional<Stored> thread(List<String> references, Optional<String> token) {
        Set<String> ids = new LinkedHashSet<>();
        for (String ref : references.subList(0, Math.min(references.size(), MAX_REFERENCES))) {
            String r = ref.strip();
            if (r.isEmpty() || r.length() > 250) {
                continue;
            }
            ids.add(r);
            // Our answers' Message-IDs are <outbox-entry-id@domain>; the store knows the entry id.
            int at = r.lastIndexOf('@');
            if (r.startsWith("<") && at > 1) {
                ids.add(r.substring(1, at));
            }
        }
        if (!ids.isEmpty()) {
            Map<String, Long> byId = new HashMap<>();
            db.select(TICKET_MESSAGES.MESSAGE_ID, TICKET_MESSAGES.TICKET_ID).from(TICKET_MESSAGES)
                    .where(TICKET_MESSAGES.MESSAGE_ID.in(ids)).forEach(m -> byId.putIfAbsent(m.value1(), m.value2()));
            for (String id : ids) {
                Long ticket = byId.get(id);
                if (ticket != null) {
                    return get(TenantScope.operator(), ticket);
                }
            }
        }
        if (token.isPresent()) {
            return load(db, TICKETS.TOKEN.eq(token.get().toLowerCase(Locale.ROOT)), false, 1).stream().findFirst();
        }
        return Optional.empty();
    }

    @Override
    public boolean seen(String messageId) {
        return db.fetchExists(TICKET_MESSAGES, TICKET_MESSAGES.MESSAGE_ID.eq(messageId).and(TICKET_MESSAGES.DIRECTION.eq(Direction.IN.name())));
    }

    @Override
    public Optional<CustomerId> customerOf(String address) {
        String a = address.strip().toLowerCase(Locale.ROOT);
        if (a.isEmpty() || a.length() > 254) {
            return Optional.empty();
        }
        List<Long> found = db.selectDistinct(RECIPIENTS.CUSTOMER_ID).from(RECIPIENTS).where(DSL.lower(RECIPIENTS.ADDRESS).eq(a))
                .union(DSL.selectDistinct(CUSTOMERS.ID).from(CUSTOMERS).where(DSL.lower(CUSTOMERS.CONTACT_MAIL).eq(a)))
                .fetch(0, Long.class);
        // An address two customers share names neither: the operator sorts the mail out.
        return found.size() == 1 ? Optional.of(new CustomerId(found.getFirst())) : Optional.empty();
    }

    @Override
    public Optional<String> editionOf(CustomerId customer) {
        return SqlMonitoring.edition(db, customer.value());
    }

    @Override
    public int remoteChanges(CustomerId customer, YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(DeskDeadlines.JST).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(DeskDeadlines.JST).toInstant();
        return db.fetchCount(TICKETS, TICKETS.CUSTOMER_ID.eq(customer.value()).and(TICKETS.KIND.eq(TicketKind.REMOTE_CHANGE.name()))
                .and(TICKETS.STATE.ne(TicketState.REFUSED.name()))
                .and(TICKETS.RECEIVED_AT.ge(Times.column(from))).and(TICKETS.RECEIVED_AT.lt(Times.column(to))));
    }

    @Override
    public Stored save(long id, long version, Ticket next, Optional<NewMessage> message, Optional<Function<Addressee, Mail>> mail) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(mail, "mail");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            TicketsRecord r = t.selectFrom(TICKETS).where(TICKETS.ID.eq(id)).forUpdate().fetchOne();
            if (r == null) {
                throw new IllegalArgumentException("no ticket " + id);
            }
            if (r.getVersion() != version) {
                throw new IllegalStateException("ticket " + id + " was changed meanwhile (version " + r.getVersion() + ", not " + version
                        + "): read it again");
            }
            int saved = t.fetchCount(TICKET_STEPS, TICKET_STEPS.TICKET_ID.eq(id));
            if (next.history().size() <= saved || next.kind() != TicketKind.valueOf(r.getKind())) {
                throw new IllegalArgumentException("not a next step of ticket " + id);
            }
            fill(r, next);
            r.setVersion(version + 1);
            r.store();
            steps(t, id, next, saved);
            if (message.isPresent()) {
                NewMessage m = message.get();
                if (m.direction() == Direction.OUT && mail.isPresent() && r.getCustomerId() != null) {
                    int seq = nextSeq(t, id);
                    // The customer in the key: its erasure finds the mails of its tickets (CustomerErasure).
                    String key = "ticket:" + r.getCustomerId() + ":" + id + ":" + seq;
                    if (outbox.enqueueFor(t, r.getCustomerId(), key, mail.get(), clock.instant())) {
                        m = new NewMessage(m.at(), m.direction(), m.author(), Optional.of(OutboxEntry.idOf(key).toString()), m.body(),
                                m.attachments());
                    }
                }
                message(t, id, m);
            }
            return load(t, TICKETS.ID.eq(id), false, 1).getFirst();
        });
    }

    @Override
    public void note(long id, NewMessage message) {
        db.transaction(tx -> {
            if (!tx.dsl().fetchExists(TICKETS, TICKETS.ID.eq(id))) {
                throw new IllegalArgumentException("no ticket " + id);
            }
            message(tx.dsl(), id, message);
        });
    }

    @Override
    public List<Stored> dueToClose(Instant now) {
        LocalDate today = now.atZone(DeskDeadlines.JST).toLocalDate();
        return load(db, TICKETS.STATE.eq(TicketState.ANSWERED.name()).and(TICKETS.CLOSES_ON.le(today)), true, 1000);
    }

    private static int nextSeq(DSLContext t, long id) {
        Integer max = t.select(DSL.max(TICKET_MESSAGES.SEQ)).from(TICKET_MESSAGES).where(TICKET_MESSAGES.TICKET_ID.eq(id)).fetchOne(0, Integer.class);
        return max == null ? 0 : max + 1;
    }

    private void message(DSLContext t, long id, NewMessage m) {
        int seq = nextSeq(t, id);
        StringBuilder body = new StringBuilder(m.body().length() > MAX_BODY ? m.body().substring(0, MAX_BODY) + "\n（以降は長すぎるため省略）" : m.body());
        List<NewAttachment> kept = new ArrayList<>();
        for (NewAttachment a : m.attachments()) {
            if (a.content().length > MAX_ATTACHMENT) {
                body.append("\n（添付ファイル「").append(Ticket.oneLine(a.name())).append("」は ").append(MAX_ATTACHMENT / (1024 * 1024))
                        .append(" MB を超えるため保存していません）");
            } else if (kept.size() >= MAX_ATTACHMENTS) {
                body.append("\n（添付ファイル「").append(Ticket.oneLine(a.name())).append("」は ").append(MAX_ATTACHMENTS)
                        .append(" 個を超えるため保存していません）");
            } else {
                kept.add(a);
            }
        }
        t.insertInto(TICKET_MESSAGES)
                .set(TICKET_MESSAGES.TICKET_ID, id)
                .set(TICKET_MESSAGES.SEQ, seq)
                .set(TICKET_MESSAGES.AT, Times.column(m.at()))
                .set(TICKET_MESSAGES.DIRECTION, m.direction().name())
                .set(TICKET_MESSAGES.AUTHOR, cut(m.author(), 254))
                .set(TICKET_MESSAGES.MESSAGE_ID, m.messageId().map(s -> cut(s, 250)).orElse(null))
                .set(TICKET_MESSAGES.BODY, body.toString())
                .execute();
        for (int n = 0; n < kept.size(); n++) {
            NewAttachment a = kept.get(n);
            t.insertInto(TICKET_ATTACHMENTS)
                    .set(TICKET_ATTACHMENTS.TICKET_ID, id)
                    .set(TICKET_ATTACHMENTS.SEQ, seq)
                    .set(TICKET_ATTACHMENTS.N, n)
                    .set(TICKET_ATTACHMENTS.NAME, cut(Ticket.oneLine(a.name()), 200))
                    .set(TICKET_ATTACHMENTS.MEDIA_TYPE, cut(Ticket.oneLine(a.mediaType()), 100))
                    .set(TICKET_ATTACHMENTS.SIZE, a.content().length)
                    .set(TICKET_ATTACHMENTS.SHA256, Secrets.sha256(a.content()))
                    .set(TICKET_ATTACHMENTS.CONTENT, a.content())
                    .execute();
        }
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }


    private void fill(TicketsRecord r, Ticket k) {
        r.setKind(k.kind().name());
        r.setState(k.state().name());
        r.setSubject(k.subject());
        r.setReceivedAt(Times.column(k.received().toInstant()));
        r.setLongAnswer(k.longAnswer());
        r.setAnswerBy(Times.column(k.answerBy().toInstant()));
        r.setAnsweredAt(k.answered().map(a -> Times.column(a.toInstant())).orElse(null));
        r.setClosesOn(k.closesOn().orElse(null));
        r.setStepsDone(k.stepsDone());
        r.setUpdatedAt(Times.column(clock.instant()));
    }

    private static void steps(DSLContext t, long id, Ticket k, int from) {
        for (int i = from; i < k.history().size(); i++) {
            Ticket.Step s = k.history().get(i);
            t.insertInto(TICKET_STEPS)
                    .set(TICKET_STEPS.TICKET_ID, id)
                    .set(TICKET_STEPS.SEQ, i)
                    .set(TICKET_STEPS.TO_STATE, s.to().name())
                    .set(TICKET_STEPS.AT, Times.column(s.at().toInstant()))
                    .set(TICKET_STEPS.ACTOR, s.by().name())
                    .set(TICKET_STEPS.WHAT, cut(s.what(), 1000))
                    .execute();
        }
    }

    private static Condition scoped(TenantScope scope) {
        return switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> TICKETS.RESELLER_ID.eq(r.id().value());
            case TenantScope.Customer c -> TICKETS.CUSTOMER_ID.eq(c.id().value());
        };
    }

    private static List<Stored> load(DSLContext t, Condition where, boolean byDeadline, int limit) {
        List<TicketsRecord> rows = t.selectFrom(TICKETS).where(where)
                .orderBy(byDeadline ? TICKETS.ANSWER_BY.asc() : TICKETS.ID.desc(), TICKETS.ID.asc()).limit(limit).fetch();
        Map<Long, List<Ticket.Step>> steps = new HashMap<>();
        if (!rows.isEmpty()) {
            t.selectFrom(TICKET_STEPS).where(TICKET_STEPS.TICKET_ID.in(rows.stream().map(TicketsRecord::getId).toList()))
                    .orderBy(TICKET_STEPS.TICKET_ID, TICKET_STEPS.SEQ)
                    .forEach(s -> steps.computeIfAbsent(s.getTicketId(), k -> new ArrayList<>()).add(new Ticket.Step(
                            TicketState.valueOf(s.getToState()), Times.instant(s.getAt()).atZone(DeskDeadlines.JST),
                            Actor.valueOf(s.getActor()), s.getWhat())));
        }
        List<Stored> out = new ArrayList<>(rows.size());
        for (TicketsRecord r : rows) {
            Ticket k = new Ticket(TicketKind.valueOf(r.getKind()), TicketState.valueOf(r.getState()), r.getSubject(),
                    Times.instant(r.getReceivedAt()).atZone(DeskDeadlines.JST), r.getLongAnswer(),
                    Times.instant(r.getAnswerBy()).atZone(DeskDeadlines.JST),
                    Optional.ofNullable(Times.instant(r.getAnsweredAt())).map(a -> a.atZone(DeskDeadlines.JST)),
                    Optional.ofNullable(r.getClosesOn()), r.getStepsDone(), steps.getOrDefault(r.getId(), List.of()));
            out.add(new Stored(r.getId(), r.getToken(), Optional.ofNullable(r.getResellerId()).map(ResellerId::new),
                    Optional.ofNullable(r.getCustomerId()).map(CustomerId::new), Optional.ofNullable(r.getContractId()), r.getEdition(), k,
                    r.getVersion()));
        }
        return out;
    }
}
