package org.omamori.store;

import java.time.Instant;

/** A text message in the SMS outbox ({@link SmsOutbox}). */
public record SmsMessage(long id, String phone, String text, Instant createdAt) {
}
