package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.MAIL_OUTBOX;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.omamori.notify.Mail;
import org.omamori.notify.Outbox;
import org.omamori.notify.OutboxEntry;
import org.omamori.notify.Recipients;
import org.omamori.notify.Sender;

/**
 * The outbox in the table {@code mail_outbox}. {@link #due} claims rows with one guarded UPDATE
 * (lease not running, still pending and due) that stamps a fresh lease token, then reads back the
 * rows bearing that token: two callers can never both claim one row on either database. On
 * PostgreSQL the candidates are first picked with {@code FOR UPDATE SKIP LOCKED}, so concurrent
 * callers take different rows instead of waiting on each other.
 *
 * <p>{@link #enqueue} opens its own transaction for now; {@link #enqueue(DSLContext, String, Mail, Instant)}
 * takes the caller's transaction context, for when the alert/liveness writes move into the store.
 */
public final class SqlOutbox implements Outbox {

    static final String PENDING = "PENDING";
    static final String SENT = "SENT";
    static final String GIVEN_UP = "GIVEN_UP";
    private static final int MAX_ERROR = 2000;

    private final DSLContext db;
    private final boolean postgres;
    private final Duration lease;

    public SqlOutbox(DSLContext db, boolean postgres, Duration lease) {
        this.db = Objects.requireNonNull(db, "db");
        this.postgres = postgres;
        this.lease = Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease " + lease + " must be positive");
        }
    }

    @Override
    public UUID enqueue(String key, Mail mail, Instant due) {
        try {
            return db.transactionResult(c -> enqueue(c.dsl(), key, mail, due));
        } catch (IntegrityConstraintViolationException e) {
            // Two enqueues of one key raced (H2's MERGE is not atomic): the other one's row stands.
            UUID id = OutboxEntry.idOf(key);
            if (db.fetchExists(MAIL_OUTBOX, MAIL_OUTBOX.ID.eq(id))) {
                return id;
            }
            throw e;
        }
    }

    /**
     * Puts a mail for a customer's recipients into the outbox in the caller's transaction ({@code tx}),
     * made by {@code mail} from the customer's addressee (recipients and edition); once per {@code key}.
     *
     * @return false when the customer gave no address (nothing is enqueued)
     */
    public boolean enqueueFor(DSLContext tx, long customer, String key, java.util.function.Function<org.omamori.store.Addressee, Mail> mail,
                              Instant due) {
        Optional<org.omamori.store.Addressee> to = SqlMonitoring.addressee(tx, customer);
        to.ifPresent(a -> enqueue(tx, key, mail.apply(a), due));
        return to.isPresent();
    }

    /** {@link #enqueue(String, Mail, Instant)} in the caller's transaction ({@code tx}). */
    public UUID enqueue(DSLContext tx, String key, Mail mail, Instant due) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(due, "due");
        UUID id = OutboxEntry.idOf(key);
        tx.insertInto(MAIL_OUTBOX)
                .set(MAIL_OUTBOX.ID, id)
                .set(MAIL_OUTBOX.MAIL_KEY, key)
                .set(MAIL_OUTBOX.RECIPIENTS, String.join("\n", mail.to().addresses()))
                .set(MAIL_OUTBOX.SUBJECT, mail.subject())
                .set(MAIL_OUTBOX.BODY, mail.body())
                .set(MAIL_OUTBOX.SENDER_ADDRESS, mail.from().map(Sender::address).orElse(null))
                .set(MAIL_OUTBOX.SENDER_NAME, mail.from().map(Sender::name).orElse(null))
                .set(MAIL_OUTBOX.IN_REPLY_TO, mail.inReplyTo().orElse(null))
                // As the reference (InMemoryOutbox): the entry is created when it is due.
                .set(MAIL_OUTBOX.CREATED_AT, Times.column(due))
                .set(MAIL_OUTBOX.STATE, PENDING)
                .set(MAIL_OUTBOX.NEXT_ATTEMPT, Times.column(due))
                .set(MAIL_OUTBOX.ATTEMPTS, 0)
                .onConflict(MAIL_OUTBOX.ID).doNothing()
                .execute();
        return id;
    }

    @Override
    public List<OutboxEntry> due(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            return List.of();
        }
        var at = Times.column(now);
        var dueNow = MAIL_OUTBOX.STATE.eq(PENDING).and(MAIL_OUTBOX.NEXT_ATTEMPT.le(at))
                .and(MAIL_OUTBOX.LEASE_UNTIL.isNull().or(MAIL_OUTBOX.LEASE_UNTIL.le(at)));
        return db.transactionResult(c -> {
            DSLContext tx = c.dsl();
            var pick = tx.select(MAIL_OUTBOX.ID).from(MAIL_OUTBOX).where(dueNow)
                    .orderBy(MAIL_OUTBOX.NEXT_ATTEMPT, MAIL_OUTBOX.ID).limit(limit);
            List<UUID> candidates = postgres ? pick.forUpdate().skipLocked().fetch(MAIL_OUTBOX.ID) : pick.fetch(MAIL_OUTBOX.ID);
            if (candidates.isEmpty()) {
                return List.of();
            }
            UUID token = UUID.randomUUID();
            int claimed = tx.update(MAIL_OUTBOX)
                    .set(MAIL_OUTBOX.LEASE_UNTIL, Times.column(now.plus(lease)))
                    .set(MAIL_OUTBOX.LEASE_TOKEN, token)
                    // The guard again: another caller may have claimed a candidate meanwhile (H2).
                    .where(MAIL_OUTBOX.ID.in(candidates)).and(dueNow)
                    .execute();
            if (claimed == 0) {
                return List.of();
            }
            return tx.selectFrom(MAIL_OUTBOX).where(MAIL_OUTBOX.LEASE_TOKEN.eq(token))
                    .orderBy(MAIL_OUTBOX.NEXT_ATTEMPT, MAIL_OUTBOX.ID)
                    .fetch(SqlOutbox::entry);
        });
    }

    private static OutboxEntry entry(Record r) {
        return new OutboxEntry(r.get(MAIL_OUTBOX.ID), r.get(MAIL_OUTBOX.MAIL_KEY), mail(r),
                Times.instant(r.get(MAIL_OUTBOX.CREATED_AT)), r.get(MAIL_OUTBOX.ATTEMPTS));
    }

    /** The mail of an outbox row. */
    static Mail mail(Record r) {
        String sender = r.get(MAIL_OUTBOX.SENDER_ADDRESS);
        return new Mail(new Recipients(Arrays.asList(r.get(MAIL_OUTBOX.RECIPIENTS).split("\n"))),
                r.get(MAIL_OUTBOX.SUBJECT), r.get(MAIL_OUTBOX.BODY),
                sender == null ? Optional.empty() : Optional.of(new Sender(sender, r.get(MAIL_OUTBOX.SENDER_NAME))),
                Optional.ofNullable(r.get(MAIL_OUTBOX.IN_REPLY_TO)));
    }

    @Override
    public void markSent(UUID id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        int n = db.update(MAIL_OUTBOX)
                .set(MAIL_OUTBOX.STATE, SENT)
                .set(MAIL_OUTBOX.SENT_AT, Times.column(at))
                .set(MAIL_OUTBOX.LAST_ATTEMPT_AT, Times.column(at))
                .set(MAIL_OUTBOX.ATTEMPTS, MAIL_OUTBOX.ATTEMPTS.plus(1))
                .setNull(MAIL_OUTBOX.LEASE_UNTIL)
                .setNull(MAIL_OUTBOX.LEASE_TOKEN)
                .where(MAIL_OUTBOX.ID.eq(id))
                .execute();
        if (n == 0) {
            throw new IllegalArgumentException("no outbox entry " + id);
        }
    }

    @Override
    public void markFailed(UUID id, Instant at, String reason, Instant nextAttempt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        String why = reason == null ? "" : reason.length() > MAX_ERROR ? reason.substring(0, MAX_ERROR) : reason;
        var update = db.update(MAIL_OUTBOX)
                .set(MAIL_OUTBOX.LAST_ATTEMPT_AT, Times.column(at))
                .set(MAIL_OUTBOX.LAST_ERROR, why)
                .set(MAIL_OUTBOX.ATTEMPTS, MAIL_OUTBOX.ATTEMPTS.plus(1))
                .setNull(MAIL_OUTBOX.LEASE_UNTIL)
                .setNull(MAIL_OUTBOX.LEASE_TOKEN);
        int n = (nextAttempt == null ? update.set(MAIL_OUTBOX.STATE, GIVEN_UP)
                : update.set(MAIL_OUTBOX.NEXT_ATTEMPT, Times.column(nextAttempt)))
                .where(MAIL_OUTBOX.ID.eq(id))
                .execute();
        if (n == 0) {
            throw new IllegalArgumentException("no outbox entry " + id);
        }
    }
}
