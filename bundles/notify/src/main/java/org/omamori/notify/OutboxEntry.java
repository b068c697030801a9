package org.omamori.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A mail in the outbox.
 *
 * @param id       made from the key ({@link #idOf}); the Message-ID is made from it, so every
 *                 attempt sends the same Message-ID
 * @param key      what the mail is about, e.g. {@link AlertBatch#key()} or {@link Notice#key()}:
 *                 enqueueing the same key twice keeps one entry
 * @param mail     the mail
 * @param created  when it was enqueued (the mail's Date header)
 * @param attempts how many sends were tried so far
 */
public record OutboxEntry(UUID id, String key, Mail mail, Instant created, int attempts) {

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(created, "created");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts " + attempts);
        }
        if (!id.equals(idOf(key))) {
            throw new IllegalArgumentException("outbox entry id " + id + " is not made from its key " + key);
        }
    }

    public static UUID idOf(String key) {
        return UUID.nameUUIDFromBytes(("omamori-mail\n" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** A new entry, not tried yet. */
    public static OutboxEntry of(String key, Mail mail, Instant created) {
        return new OutboxEntry(idOf(key), key, mail, created, 0);
    }
}
