package org.omamori.store;

import java.util.List;

import org.omamori.events.Event;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Grading as the ingest transaction calls it (docs/store.md): after a batch's events are stored,
 * the new threat events of the batch are handed over with the customer's row locked, so one
 * customer is graded by one node at a time, and what grading saves commits with the events.
 */
@ConsumerType
public interface Grading {

    /**
     * Grades one batch's new threat events (time order) of one customer.
     *
     * @param context the customer, the ingest transaction's view of the store, and where to save alerts
     */
    void grade(GradingContext context, List<Event> threats);
}
