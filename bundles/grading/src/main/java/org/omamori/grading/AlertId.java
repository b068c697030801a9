package org.omamori.grading;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;

import org.omamori.events.ApplianceId;
import org.omamori.events.EventId;

/**
 * An alert's id, made from what opened it: the star-table rule, the appliance of the event that
 * opened it and the first event's id. Event ids are unique per appliance only (docs/store.md), so
 * the appliance is part of it; a node that rebuilds the state from stored events makes the same
 * id again: storing an alert is idempotent on it.
 *
 * <p>It is a UUIDv8 that begins, as the event id (UUIDv7) does, with the first event's
 * milliseconds, so alerts sort and partition by time like events (docs/store.md); the other
 * bits come from a SHA-256 of rule and event id.
 */
public record AlertId(UUID uuid) {

    public AlertId {
        Objects.requireNonNull(uuid, "uuid");
    }

    public static AlertId of(String rule, ApplianceId appliance, EventId first) {
        byte[] hash = sha256("omamori-alert\n" + rule + "\n" + appliance + "\n" + first);
        ByteBuffer h = ByteBuffer.wrap(hash);
        long millis = first.epochMillis();
        long msb = (millis << 16) | 0x8000L | (h.getShort() & 0x0fffL);
        long lsb = (h.getLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new AlertId(new UUID(msb, lsb));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public static AlertId parse(String text) {
        return new AlertId(UUID.fromString(text));
    }

    @Override
    public String toString() {
        return uuid.toString();
    }
}
