package org.omamori.grading;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import org.omamori.events.EventId;

/**
 * An alert's id, made from what opened it: the star-table rule and the first event's id. Event ids
 * are unique across appliances, so no customer is needed, and a node that rebuilds the state from
 * stored events makes the same id again: storing an alert is idempotent on it.
 */
public record AlertId(UUID uuid) {

    public AlertId {
        Objects.requireNonNull(uuid, "uuid");
    }

    public static AlertId of(String rule, EventId first) {
        return new AlertId(UUID.nameUUIDFromBytes(("omamori-alert\n" + rule + "\n" + first).getBytes(StandardCharsets.UTF_8)));
    }

    public static AlertId parse(String text) {
        return new AlertId(UUID.fromString(text));
    }

    @Override
    public String toString() {
        return uuid.toString();
    }
}
