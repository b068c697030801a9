package org.omamori.cloud.ingest;

import java.util.List;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;

/** POST /api/v1/events, as read: well-formed, not yet checked against the token and the clock. */
public record EventBatch(ApplianceId appliance, List<Event> events) {

    public EventBatch {
        events = List.copyOf(events);
    }
}
