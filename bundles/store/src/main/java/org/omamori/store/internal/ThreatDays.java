package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.THREAT_DAYS;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.omamori.events.Event;

/**
 * The threat roll-up (V16, docs/store.md "Threat days"): threat occurrences (the events' counts, V32) per customer,
 * Japanese day, appliance, function and result, added to in the ingest transaction from the events a
 * batch really inserted, read by the portal's counts for whole Japanese days.
 */
final class ThreatDays {

    private ThreatDays() {
    }

    /** Japan keeps +09:00 all year (no daylight saving since 1951). */
    static final long JST_OFFSET_SECONDS = 9 * 3600;
    static final long DAY_SECONDS = 86_400;

    /** One row of the roll-up, or of the same grouping read from events. */
    record Count(String appliance, String function, String result, long jstDay, long threats) {
    }

    /** The Japanese day number (days since 1970-01-01 in Japan) of an instant. */
    static long jstDay(Instant t) {
        return Math.floorDiv(t.getEpochSecond() + JST_OFFSET_SECONDS, DAY_SECONDS);
    }

    /**
     * The Japanese day of {@code time} as its number since 1970-01-01, computed by the database: Japan
     * keeps +09:00 all year (no daylight saving since 1951), so the day is the epoch second plus nine
     * hours, divided by a day. Portable where {@code AT TIME ZONE} and casts to DATE are not (H2 casts
     * in the session's zone).
     */
    static Field<Long> jstDay(Field<OffsetDateTime> time) {
        return DSL.field("floor((extract(epoch from {0}) + " + JST_OFFSET_SECONDS + ") / 86400)", SQLDataType.BIGINT, time);
    }

    /** The instant a Japanese day begins. */
    static Instant start(long jstDay) {
        return Instant.ofEpochSecond(jstDay * DAY_SECONDS - JST_OFFSET_SECONDS);
    }

    private record Key(long day, String function, String result) {
    }

    private static final java.util.Comparator<Key> KEY_ORDER = java.util.Comparator.comparingLong(Key::day)
            .thenComparing(Key::function).thenComparing(Key::result);

    /**
     * Adds a batch's newly inserted threat events of one appliance. Keys in one order, so two
     * batches of a customer adding to the same rows lock them in the same order (no deadlock).
     */
    static void add(DSLContext t, long customer, String appliance, List<Event> threats) {
        if (threats.isEmpty()) {
            return;
        }
        Map<Key, long[]> counts = new TreeMap<>(KEY_ORDER);
        for (Event e : threats) {
            // occurrences, not rows: a folded event stands for its count (V32, decision 0028)
            counts.computeIfAbsent(new Key(jstDay(e.time()), e.function().id(), e.result().wire()), k -> new long[1])[0] += e.count();
        }
        var insert = t.insertInto(THREAT_DAYS, THREAT_DAYS.CUSTOMER_ID, THREAT_DAYS.JST_DAY, THREAT_DAYS.APPLIANCE_ID,
                THREAT_DAYS.SECURITY_FUNCTION, THREAT_DAYS.RESULT, THREAT_DAYS.THREATS);
        for (var c : counts.entrySet()) {
            Key k = c.getKey();
            insert = insert.values(customer, k.day(), appliance, k.function(), k.result(), c.getValue()[0]);
        }
        insert.onConflict(THREAT_DAYS.CUSTOMER_ID, THREAT_DAYS.JST_DAY, THREAT_DAYS.APPLIANCE_ID,
                        THREAT_DAYS.SECURITY_FUNCTION, THREAT_DAYS.RESULT)
                .doUpdate().set(THREAT_DAYS.THREATS, THREAT_DAYS.THREATS.plus(DSL.excluded(THREAT_DAYS.THREATS)))
                .execute();
    }

    /** The customer's rows of the Japanese days {@code [firstDay, endDay)}. */
    static List<Count> of(DSLContext db, long customer, long firstDay, long endDay) {
        return db.select(THREAT_DAYS.APPLIANCE_ID, THREAT_DAYS.SECURITY_FUNCTION, THREAT_DAYS.RESULT, THREAT_DAYS.JST_DAY,
                        THREAT_DAYS.THREATS)
                .from(THREAT_DAYS)
                .where(THREAT_DAYS.CUSTOMER_ID.eq(customer))
                .and(THREAT_DAYS.JST_DAY.ge(firstDay)).and(THREAT_DAYS.JST_DAY.lt(endDay))
                .fetch(r -> new Count(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }

    /** Every participant's threats per function over the Japanese days {@code [firstDay, endDay)}. */
    static Map<String, Long> totals(DSLContext db, Condition participants, long firstDay, long endDay) {
        Map<String, Long> totals = new HashMap<>();
        Field<java.math.BigDecimal> sum = DSL.sum(THREAT_DAYS.THREATS);
        db.select(THREAT_DAYS.SECURITY_FUNCTION, sum).from(THREAT_DAYS)
                .where(THREAT_DAYS.JST_DAY.ge(firstDay)).and(THREAT_DAYS.JST_DAY.lt(endDay)).and(participants)
                .groupBy(THREAT_DAYS.SECURITY_FUNCTION)
                .fetch().forEach(r -> totals.merge(r.value1(), r.value2().longValue(), Long::sum));
        return totals;
    }

    /** Retention: the days before the first kept (UTC) day go with their events. */
    static int removeBefore(DSLContext t, LocalDate firstKept) {
        return t.deleteFrom(THREAT_DAYS).where(THREAT_DAYS.JST_DAY.lt(firstKept.toEpochDay())).execute();
    }
}
