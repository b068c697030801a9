package org.omamori.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Mails waiting to be sent: a transactional outbox. The store implements it with a table; tests
 * with a map. The contract:
 * <ul>
 * <li><b>enqueue in the caller's transaction.</b> {@link #enqueue} joins the transaction that
 *     records why the mail goes (alerts marked as mailed, the liveness {@link Watch} saved): both
 *     commit or neither, so a crash never loses a mail nor decides it twice. It is idempotent on
 *     the key: the same key again returns the existing entry's id and changes nothing.</li>
 * <li><b>due entries are leased.</b> {@link #due} hands an entry to one worker at a time: the
 *     store moves its next attempt forward by a lease (longer than an SMTP send may take) in the
 *     same statement (or uses {@code FOR UPDATE SKIP LOCKED}), so two cloud nodes never send the
 *     same entry at the same moment; a worker that dies leaves the entry due again after the lease.</li>
 * <li><b>marks are final for an attempt.</b> {@link #markSent} ends the entry; {@link #markFailed}
 *     records the reason and either the next attempt or that it was given up (a permanent
 *     refusal, or too many attempts): a given-up entry stays for operators to see and is never due again.</li>
 * </ul>
 * Delivery is therefore at least once: if a node crashes after the SMTP server accepted the mail
 * and before {@link #markSent} committed, the entry is sent again after the lease. The second copy
 * carries the same Message-ID ({@link SmtpTransport}), so the receiving side can recognise it as
 * the same mail: many mail systems (Gmail among them) show only one, others show two identical
 * mails with the same Message-ID. A crash never sends two different mails for one entry.
 */
public interface Outbox {

    /**
     * Puts a mail in the outbox, due at {@code due}.
     *
     * @return the entry's id ({@link OutboxEntry#idOf} of the key), new or existing
     */
    UUID enqueue(String key, Mail mail, Instant due);

    /** Up to {@code limit} entries due at {@code now}, oldest first, leased to the caller. */
    List<OutboxEntry> due(Instant now, int limit);

    /** The SMTP server accepted the entry's mail at {@code at}. */
    void markSent(UUID id, Instant at);

    /**
     * The attempt failed.
     *
     * @param reason      why, for operators: an SMTP reply or an exception's message, never a
     *                    password or a body
     * @param nextAttempt when to try again; {@code null} to give up
     */
    void markFailed(UUID id, Instant at, String reason, Instant nextAttempt);
}
