package org.omamori.grading;

import java.util.List;

import org.omamori.events.Event;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Grading as the store's ingest transaction calls it (docs/grading.md, docs/store.md): after a
 * batch's events are stored, the new threat events of the batch are handed over with the
 * customer's row locked, so one customer is graded by one node at a time, and what grading saves
 * commits with the events. The store implements {@link GradingContext}; grading depends on no store.
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
