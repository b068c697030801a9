package org.omamori.store;

import java.time.Instant;
import java.util.Objects;

import org.omamori.events.ApplianceId;
import org.omamori.events.EventId;

/**
 * Where a page of events ended (newest first: time, then id, then appliance, all descending). The
 * appliance breaks the tie of two appliances' events with the same id and time: an event id is
 * unique per appliance only.
 */
public record EventCursor(Instant time, EventId id, ApplianceId appliance) {
    public EventCursor {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appliance, "appliance");
    }
}
