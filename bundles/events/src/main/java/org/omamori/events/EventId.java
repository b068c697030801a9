package org.omamori.events;

import java.util.UUID;

/**
 * An event's id: a UUID version 7 (RFC 9562), so ids sort by creation time and the cloud can
 * deduplicate on them. Made by {@link EventIds} on the appliance.
 */
public record EventId(UUID uuid) implements Comparable<EventId> {

    public EventId {
        if (uuid.version() != 7) {
            throw new IllegalArgumentException("an event id is a version 7 UUID: " + uuid);
        }
    }

    public static EventId parse(String text) {
        if (text.length() != 36) {
            throw new IllegalArgumentException("an event id is 36 characters: " + text);
        }
        return new EventId(UUID.fromString(text));
    }

    /** Milliseconds since the epoch when the id was made. */
    public long epochMillis() {
        return uuid.getMostSignificantBits() >>> 16;
    }

    @Override
    public int compareTo(EventId other) {
        int high = Long.compareUnsigned(uuid.getMostSignificantBits(), other.uuid.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(uuid.getLeastSignificantBits(), other.uuid.getLeastSignificantBits());
    }

    @Override
    public String toString() {
        return uuid.toString();
    }
}
