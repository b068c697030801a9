package org.omamori.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.omamori.notify.Mail;

/**
 * A mail in the outbox as operators see it ({@code ./omamori cloud outbox}).
 *
 * @param state    PENDING (waiting or retrying), SENT or GIVEN_UP
 * @param lastError the last attempt's failure, never a password
 */
public record QueuedMail(UUID id, String key, String state, Instant created, int attempts, Optional<Instant> sentAt,
                         Optional<String> lastError, Mail mail) {
}
