package org.omamori.store;

import java.time.Instant;
import java.util.Objects;

import org.omamori.events.EventId;

/** Where a page of events ended (newest first: time, then id, both descending). */
public record EventCursor(Instant time, EventId id) {
    public EventCursor {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
    }
}
