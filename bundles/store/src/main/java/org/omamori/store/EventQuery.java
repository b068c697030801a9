package org.omamori.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Kind;

/**
 * Which events to read: those whose time is in {@code [from, to)}, optionally of one security
 * function, one appliance and one kind, newest first, at most {@code limit}, after a cursor.
 */
public record EventQuery(Instant from, Instant to, Optional<SecurityFunction> function, Optional<ApplianceId> appliance,
                         Optional<Kind> kind, int limit, Optional<EventCursor> after) {

    /** Most events on one page. */
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(appliance, "appliance");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(after, "after");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the period is empty: from " + from + " is not before to " + to);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
    }

    /** Every event of the period, first page of 100. */
    public static EventQuery period(Instant from, Instant to) {
        return new EventQuery(from, to, Optional.empty(), Optional.empty(), Optional.empty(), 100, Optional.empty());
    }

    public EventQuery function(SecurityFunction f) {
        return new EventQuery(from, to, Optional.of(f), appliance, kind, limit, after);
    }

    public EventQuery appliance(ApplianceId a) {
        return new EventQuery(from, to, function, Optional.of(a), kind, limit, after);
    }

    public EventQuery kind(Kind k) {
        return new EventQuery(from, to, function, appliance, Optional.of(k), limit, after);
    }

    public EventQuery limit(int n) {
        return new EventQuery(from, to, function, appliance, kind, n, after);
    }

    /** The same query from a page's cursor on. */
    public EventQuery after(EventCursor cursor) {
        return new EventQuery(from, to, function, appliance, kind, limit, Optional.of(cursor));
    }
}
