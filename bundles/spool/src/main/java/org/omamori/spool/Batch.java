package org.omamori.spool;

import java.util.List;
import java.util.Map;

import org.omamori.events.Event;
import org.omamori.events.Kind;

/**
 * Events taken from the spool for sending, oldest first within each kind, threats first. The
 * spool forgets them only when the batch is {@link Spool#ack acknowledged}; until then a later
 * take (or a restart) hands them out again.
 *
 * @param events the events
 * @param bytes  their JSON size
 * @param ends   per kind, where the queue stands after these events
 */
public record Batch(List<Event> events, long bytes, Map<Kind, Position> ends) {

    public Batch {
        events = List.copyOf(events);
        ends = Map.copyOf(ends);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }
}
