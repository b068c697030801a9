package org.omamori.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.grading.Grade;

/**
 * Which alerts to read: those raised (first time) in {@code [from, to)}, optionally of one customer,
 * one security function, one appliance and one grade, newest first, at most {@code limit}, after a
 * cursor. An alert keeps its first time as repeats fold into it, so pages neither skip nor repeat
 * alerts while grading updates them.
 */
public record AlertQuery(Instant from, Instant to, Optional<CustomerId> customer, Optional<SecurityFunction> function,
                         Optional<ApplianceId> appliance, Optional<Grade> grade, int limit, Optional<AlertCursor> after) {

    /** Most alerts on one page. */
    public static final int MAX_LIMIT = 500;

    public AlertQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(appliance, "appliance");
        Objects.requireNonNull(grade, "grade");
        Objects.requireNonNull(after, "after");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the period is empty: from " + from + " is not before to " + to);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
    }

    /** Every alert of the period the scope may see, first page of 50. */
    public static AlertQuery period(Instant from, Instant to) {
        return new AlertQuery(from, to, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 50,
                Optional.empty());
    }

    public AlertQuery customer(CustomerId c) {
        return new AlertQuery(from, to, Optional.of(c), function, appliance, grade, limit, after);
    }

    public AlertQuery function(SecurityFunction f) {
        return new AlertQuery(from, to, customer, Optional.of(f), appliance, grade, limit, after);
    }

    public AlertQuery appliance(ApplianceId a) {
        return new AlertQuery(from, to, customer, function, Optional.of(a), grade, limit, after);
    }

    public AlertQuery grade(Grade g) {
        return new AlertQuery(from, to, customer, function, appliance, Optional.of(g), limit, after);
    }

    public AlertQuery limit(int n) {
        return new AlertQuery(from, to, customer, function, appliance, grade, n, after);
    }

    /** The same query from a page's cursor on. */
    public AlertQuery after(AlertCursor cursor) {
        return new AlertQuery(from, to, customer, function, appliance, grade, limit, Optional.of(cursor));
    }
}
