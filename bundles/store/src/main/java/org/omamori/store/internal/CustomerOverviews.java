package org.omamori.store.internal;

import static org.omamori.store.Statistics.OPEN_WITHIN;
import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.omamori.grading.Grade;
import org.omamori.store.CustomerId;
import org.omamori.store.CustomerOverview;
import org.omamori.store.Fleet;
import org.omamori.store.ResellerId;
import org.omamori.store.TenantScope;

/**
 * The customer overview for {@link SqlStatistics}: each customer of a scope with its fleet and its
 * open important alerts, the counts kept per customer and alerts version so that a page of
 * customers whose alerts did not change reads no alerts (docs/store.md "customerOverview").
 */
final class CustomerOverviews {

    private final DSLContext db;

    CustomerOverviews(DSLContext db) {
        this.db = db;
    }

    List<CustomerOverview> customerOverview(TenantScope scope, Instant now) {
        Objects.requireNonNull(now, "now");
        // The scope's customers with their fleets and alert versions, in name order; then the open
        // alerts of those whose counts kept here are not current (OpenCount), by customer id. Joined in
        // one statement, a reseller's scope made PostgreSQL read every customer's open alerts to keep a tenth.
        var silentSince = Times.column(now.minus(Fleet.STOPPED_AFTER));
        Field<Long> fleetCustomer = APPLIANCES.CUSTOMER_ID.as("customer_id");
        Field<Integer> total = DSL.count().as("total");
        Field<Integer> stopped = DSL.count().filterWhere(HEARTBEATS.RECEIVED_AT.le(silentSince)).as("stopped");
        Field<Integer> never = DSL.count().filterWhere(HEARTBEATS.RECEIVED_AT.isNull()).as("never");
        Field<OffsetDateTime> last = DSL.max(HEARTBEATS.RECEIVED_AT).as("last_contact");
        Field<OffsetDateTime> definitions = DSL.min(HEARTBEATS.DEFINITIONS_SINCE).as("definitions_since");
        var fleet = DSL.select(fleetCustomer, total, stopped, never, last, definitions).from(APPLIANCES)
                .leftJoin(HEARTBEATS).on(HEARTBEATS.APPLIANCE_ID.eq(APPLIANCES.ID))
                .where(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                .groupBy(APPLIANCES.CUSTOMER_ID).asTable("fleet");
        var rows = db.select(CUSTOMERS.ID, CUSTOMERS.NAME, CUSTOMERS.RESELLER_ID,
                        DSL.coalesce(fleet.field(total), 0), DSL.coalesce(fleet.field(stopped), 0),
                        DSL.coalesce(fleet.field(never), 0), fleet.field(last), fleet.field(definitions), CUSTOMERS.ALERTS_VERSION)
                .from(CUSTOMERS)
                .leftJoin(fleet).on(fleet.field(fleetCustomer).eq(CUSTOMERS.ID))
                .where(Scopes.customers(CUSTOMERS.ID, scope))
                .orderBy(CUSTOMERS.NAME, CUSTOMERS.ID)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> versions = new HashMap<>();
        rows.forEach(r -> versions.put(r.value1(), r.value9()));
        Map<Long, OpenCount> counts = openCounts(versions, now);
        List<CustomerOverview> counted = new ArrayList<>(rows.size());
        for (var r : rows) {
            OpenCount n = counts.get(r.value1());
            counted.add(new CustomerOverview(new CustomerId(r.value1()), r.value2(), new ResellerId(r.value3()), n.high(), n.medium(),
                    r.value4(), r.value5(), r.value6(), Optional.ofNullable(Times.instant(r.value7())),
                    Optional.ofNullable(Times.instant(r.value8()))));
        }
        // A stable sort keeps the database's name order among equals.
        counted.sort(Comparator.comparingLong(CustomerOverview::openHigh).reversed()
                .thenComparing(Comparator.comparingLong(CustomerOverview::openMedium).reversed())
                .thenComparing(Comparator.comparingInt(CustomerOverview::stopped).reversed()));
        return counted;
    }

    /**
     * A customer's open important alerts as counted at {@code counted} ("now" of that count) when its
     * alerts were at {@code version}. Still right at a later {@code now} while the version has not moved
     * and no counted alert has left the window: until the oldest one's first time + {@link org.omamori.store.Statistics#OPEN_WITHIN}.
     */
    private record OpenCount(long version, Instant counted, Instant until, long high, long medium) {

        boolean currentAt(long version, Instant now) {
            return this.version == version && !now.isBefore(counted) && now.isBefore(until);
        }
    }

    /** Counts kept per customer (any scope: counts are the customer's own); bounded, cleared when full. */
    private final java.util.concurrent.ConcurrentHashMap<Long, OpenCount> openCounts = new java.util.concurrent.ConcurrentHashMap<>();
    static final int OPEN_COUNTS_KEPT = 200_000;

    /** The open ★★★ / ★★☆ counts of the customers (id → alerts version), counting only those not kept current. */
    private Map<Long, OpenCount> openCounts(Map<Long, Long> versions, Instant now) {
        Map<Long, OpenCount> result = new HashMap<>();
        List<Long> stale = new ArrayList<>();
        versions.forEach((customer, version) -> {
            OpenCount kept = openCounts.get(customer);
            if (kept != null && kept.currentAt(version, now)) {
                result.put(customer, kept);
            } else {
                stale.add(customer);
            }
        });
        if (stale.isEmpty()) {
            return result;
        }
        var since = Times.column(now.minus(OPEN_WITHIN));
        Map<Long, Record> found = new HashMap<>();
        // No id range: 90 days are every alert month retention keeps.
        db.select(ALERTS.CUSTOMER_ID, DSL.count().filterWhere(ALERTS.GRADE.eq(DSL.inline(Grade.HIGH.name()))), DSL.count(),
                        DSL.min(ALERTS.FIRST_TIME))
                .from(ALERTS)
                .where(ALERTS.CUSTOMER_ID.eq(DSL.any(stale.toArray(Long[]::new))))
                // literals, not binds: any plan then matches the partial index alerts_open_important (PostgreSQL, V14_2)
                .and(ALERTS.STATE.eq(DSL.inline(AlertRows.OPEN))).and(ALERTS.SUPPRESSED_BY.isNull())
                .and(ALERTS.GRADE.in(DSL.inline(Grade.HIGH.name()), DSL.inline(Grade.MEDIUM.name())))
                .and(ALERTS.FIRST_TIME.ge(since)).and(ALERTS.LAST_TIME.ge(since)) // implied; bounds H2's (customer_id, last_time) scan
                .groupBy(ALERTS.CUSTOMER_ID)
                .fetch().forEach(r -> found.put(r.value1(), r));
        if (openCounts.size() > OPEN_COUNTS_KEPT) {
            openCounts.clear(); // a bound, not a policy: the next pages count again
        }
        for (Long customer : stale) {
            Record r = found.get(customer);
            OpenCount n = r == null
                    ? new OpenCount(versions.get(customer), now, Instant.MAX, 0, 0)
                    : new OpenCount(versions.get(customer), now, Times.instant(r.get(3, OffsetDateTime.class)).plus(OPEN_WITHIN),
                            r.get(1, Integer.class), r.get(2, Integer.class) - r.get(1, Integer.class));
            openCounts.put(customer, n);
            result.put(customer, n);
        }
        return result;
    }
}
