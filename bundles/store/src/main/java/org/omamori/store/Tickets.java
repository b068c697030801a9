package org.omamori.store;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.backoffice.desk.Ticket;
import org.omamori.notify.Mail;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The support desk's tickets (docs/desk.md): each with its customer (empty for a mail from an unknown
 * sender, which only the operator sees), its steps made by {@link org.omamori.backoffice.desk.TicketFlow},
 * and its thread of messages with their attachments. Attachments are bounded here
 * ({@link #MAX_ATTACHMENT}, {@link #MAX_ATTACHMENTS}) and their contents never logged.
 */
@ProviderType
public interface Tickets {

    /** The largest attachment kept; larger ones are dropped with a note in the message. */
    int MAX_ATTACHMENT = 5 * 1024 * 1024;
    /** The most attachments kept of one message. */
    int MAX_ATTACHMENTS = 10;
    /** The longest message body kept; longer ones are cut with a note. */
    int MAX_BODY = 100_000;

    /** Who wrote a message: the customer, the desk (mailed to the customer), or staff only. */
    enum Direction {
        IN, OUT, NOTE
    }

    /** An attachment as listed (its bytes through {@link #attachment}). */
    record Attachment(int n, String name, String mediaType, int size, String sha256) {
    }

    /** An attachment to keep. */
    record NewAttachment(String name, String mediaType, byte[] content) {
        public NewAttachment {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * A message to add to a thread.
     *
     * @param author    who wrote it: a mail address, or an account's login
     * @param messageId an inbound mail's Message-ID
     */
    record NewMessage(Instant at, Direction direction, String author, Optional<String> messageId, String body,
                      List<NewAttachment> attachments) {
        public NewMessage {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(body, "body");
            attachments = List.copyOf(attachments);
        }
    }

    /** A message of a thread. */
    record Message(int seq, Instant at, Direction direction, String author, Optional<String> messageId, String body,
                   List<Attachment> attachments) {
    }

    /**
     * A stored ticket.
     *
     * @param token    the random token mail subjects carry ({@code [#token]})
     * @param customer empty for a mail from an unknown sender
     * @param contract the customer's contract when it was opened
     * @param version  what {@link #save} must be given to take the next step
     */
    record Stored(long id, String token, Optional<ResellerId> reseller, Optional<CustomerId> customer, Optional<Long> contract,
                  String edition, Ticket ticket, long version) {
    }

    /**
     * Opens a ticket with its first message; the reseller, the contract (the customer's that has not
     * ended) and a fresh token are found here.
     */
    Stored open(Optional<CustomerId> customer, String edition, Ticket ticket, NewMessage first);

    /** The ticket, if the scope may see it (a customer its own, a reseller its customers', the operator all). */
    Optional<Stored> get(TenantScope scope, long id);

    /**
     * The tickets the scope may see: when {@code waitingOnly}, those the desk still owes an answer,
     * the earliest deadline first (the queue); else all, newest first, at most {@code limit}.
     */
    List<Stored> list(TenantScope scope, boolean waitingOnly, int limit);

    /** The thread, oldest first; staff notes only when {@code withNotes}. Empty when the scope may not see the ticket. */
    List<Message> messages(TenantScope scope, long id, boolean withNotes);

    /** An attachment's bytes, if the scope may see its ticket (never a note's to a customer). */
    Optional<byte[]> attachment(TenantScope scope, long id, int seq, int n);

    /**
     * The ticket a mail continues: the first of {@code references} (In-Reply-To, then References, newest
     * first) that names a message of a ticket, else the ticket whose token the subject carries.
     */
    Optional<Stored> thread(List<String> references, Optional<String> token);

    /** Whether a mail with this Message-ID was taken in already (a mailbox read twice). */
    boolean seen(String messageId);

    /** The customer a mail address belongs to: one of its recipients or its contact; empty when none or several. */
    Optional<CustomerId> customerOf(String address);

    /** The edition of the customer's reseller; empty: the neutral default. */
    Optional<String> editionOf(CustomerId customer);

    /** The customer's remote-change tickets in a month (JST) that were not refused. */
    int remoteChanges(CustomerId customer, YearMonth month);

    /**
     * Saves the ticket's next step, with a message when one came or went, in one transaction: an
     * {@link Direction#OUT OUT} message is mailed to the customer's recipients ({@code mail}, given the
     * addressee and the outbox entry's Message-ID local part) in the thread.
     *
     * @throws IllegalStateException    when another step was saved meanwhile: read it again
     * @throws IllegalArgumentException when the ticket does not exist or {@code next} is not its next step
     */
    Stored save(long id, long version, Ticket next, Optional<NewMessage> message, Optional<Function<Addressee, Mail>> mail);

    /** Adds a message without a step (a staff note). */
    void note(long id, NewMessage message);

    /** Answered tickets whose auto-close day has come (JST), for the closing job. */
    List<Stored> dueToClose(Instant now);
}
