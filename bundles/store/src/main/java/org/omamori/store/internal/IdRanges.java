package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ID_TIME_OUTLIERS;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The id range a period implies, so that PostgreSQL prunes the partitions of {@code events} and
 * {@code alerts} (partitioned by id) in dated reads that filter on a time column.
 * <p>
 * An event's id is a UUIDv7 whose first 48 bits are the milliseconds the appliance made it
 * ({@code EventIds}), read from the same clock just before the event's time ({@code EventFactory});
 * an alert's id ({@code AlertId.of}) carries its first event's id milliseconds, its {@code first_time}
 * is its first event's time (moved earlier by an out-of-order repeat within the dedup window). So a
 * row timed {@code t} normally has id milliseconds within {@code t ± slack}: {@link #EVENT_SLACK} for
 * events, {@link #ALERT_SLACK} for alerts. Nothing forces it (an appliance whose clock stepped back
 * keeps its ids ahead, {@code EventIds} never goes back; the ingest API checks the time, not the id),
 * so ingest notes each row outside its slack in {@code id_time_outliers} (customer, UTC day of the
 * row's time, appliance: V14) and a read whose period touches such a day reads without the id range.
 * Thus no row of a period is ever lost to the range; the range only decides which partitions are read.
 */
final class IdRanges {

    private IdRanges() {
    }

    /** An event's id milliseconds against its time: a clock step back of up to a day is absorbed. */
    static final Duration EVENT_SLACK = Duration.ofDays(1);
    /** An alert's id milliseconds against its first_time: the event's slack plus a 24 h dedup/evidence window. */
    static final Duration ALERT_SLACK = Duration.ofDays(2);

    private static final long DAY_MILLIS = 86_400_000L;

    /** The smallest UUID whose first 48 bits are {@code millis} (a UUIDv7's or AlertId's time). */
    static UUID floor(long millis) {
        return new UUID(millis << 16, 0L);
    }

    /** Milliseconds in the first 48 bits of a time-ordered id. */
    static long millisOf(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    /** Whether a row of this id and time lies outside the slack (and must be noted at ingest). */
    static boolean outlier(UUID id, Instant time, Duration slack) {
        long t = time.toEpochMilli();
        long m = millisOf(id);
        return m < t - slack.toMillis() || m > t + slack.toMillis();
    }

    /** The UTC day number of a time, as {@code id_time_outliers.utc_day}. */
    static long utcDay(Instant time) {
        return Math.floorDiv(time.toEpochMilli(), DAY_MILLIS);
    }

    /**
     * Ids of rows timed in {@code [from, to)} and within the slack: millis in
     * {@code [from - slack, to + slack]} (a time before {@code to} has at most {@code to}'s millisecond).
     */
    static Condition within(Field<UUID> id, Instant from, Instant to, Duration slack) {
        return id.ge(floor(from.toEpochMilli() - slack.toMillis()))
                .and(id.lt(floor(to.toEpochMilli() + slack.toMillis() + 1)));
    }

    /** Outlier rows noted for a customer column's condition on days {@code [from, to]}. */
    static Condition noted(Condition customers, Instant from, Instant to) {
        return DSL.exists(DSL.selectOne().from(ID_TIME_OUTLIERS).where(customers)
                .and(ID_TIME_OUTLIERS.UTC_DAY.ge(utcDay(from))).and(ID_TIME_OUTLIERS.UTC_DAY.le(utcDay(to))));
    }

    /** Notes an outlier row (idempotent; the key includes the appliance, whose row H2's ingest holds locked). */
    static void note(DSLContext t, long customer, String appliance, Instant time) {
        t.insertInto(ID_TIME_OUTLIERS)
                .set(ID_TIME_OUTLIERS.CUSTOMER_ID, customer)
                .set(ID_TIME_OUTLIERS.UTC_DAY, utcDay(time))
                .set(ID_TIME_OUTLIERS.APPLIANCE_ID, appliance)
                .onConflictDoNothing()
                .execute();
    }
}
