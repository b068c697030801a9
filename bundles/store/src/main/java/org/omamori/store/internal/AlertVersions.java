package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Query;

/**
 * {@code customers.alerts_version} (V19): moved on by everything that changes a customer's alerts,
 * so that counts kept beside the number ({@code CustomerOverviews.customerOverview}) know when to count again.
 */
final class AlertVersions {

    private AlertVersions() {
    }

    /** The customer's alerts changed (in the transaction that changed them). */
    static Query moved(DSLContext t, long customer) {
        return t.update(CUSTOMERS).set(CUSTOMERS.ALERTS_VERSION, CUSTOMERS.ALERTS_VERSION.plus(1L)).where(CUSTOMERS.ID.eq(customer));
    }

    /** The customers having alerts of ids below {@code bound}: those retention is about to remove. */
    static List<Long> before(DSLContext t, UUID bound) {
        return t.selectDistinct(ALERTS.CUSTOMER_ID).from(ALERTS).where(ALERTS.ID.lt(bound)).fetch(ALERTS.CUSTOMER_ID);
    }

    /**
     * Retention removed these customers' old alerts. Called after the removal committed, in a
     * transaction of its own: taking customers' row locks inside the removal, which holds partition
     * locks that ingest waits for while it holds its customer's row, could deadlock.
     */
    static void removed(DSLContext db, Collection<Long> customers) {
        if (!customers.isEmpty()) {
            db.update(CUSTOMERS).set(CUSTOMERS.ALERTS_VERSION, CUSTOMERS.ALERTS_VERSION.plus(1L))
                    .where(CUSTOMERS.ID.in(customers)).execute();
        }
    }
}
