package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.EVENTS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.omamori.events.Kind;

/**
 * Threats counted over a period: the whole Japanese days from the daily roll-up {@link ThreatDays},
 * the partial days at either end from the events, each event standing for its occurrences.
 */
final class ThreatCounts {

    private static final String THREAT = Kind.THREAT.wire();

    private ThreatCounts() {
    }

    /**
     * The customer's threats of {@code [from, to)} per appliance, function, result and Japanese day:
     * the whole Japanese days from the roll-up ({@link ThreatDays}), the partial days at either end
     * (a period not on Japanese midnights; the portal asks for whole days) from the events.
     */
    static List<ThreatDays.Count> of(DSLContext db, long customer, Instant from, Instant to, boolean ranged) {
        Whole whole = Whole.of(from, to);
        List<ThreatDays.Count> counts = new ArrayList<>();
        if (whole.any()) {
            counts.addAll(ThreatDays.of(db, customer, whole.firstDay(), whole.endDay()));
        }
        Field<Long> day = ThreatDays.jstDay(EVENTS.EVENT_TIME);
        for (Instant[] part : whole.partsOutside()) {
            db.select(EVENTS.APPLIANCE_ID, EVENTS.SECURITY_FUNCTION, EVENTS.RESULT, day, occurrences())
                    .from(EVENTS).where(threats(EVENTS.CUSTOMER_ID.eq(customer), part[0], part[1], ranged))
                    .groupBy(EVENTS.APPLIANCE_ID, EVENTS.SECURITY_FUNCTION, EVENTS.RESULT, day)
                    .fetch().forEach(r -> counts.add(new ThreatDays.Count(r.value1(), r.value2(), r.value3(), r.value4(), r.value5())));
        }
        return counts;
    }

    /** A period {@code [from, to)} and the whole Japanese days {@code [firstDay, endDay)} within it (none when {@code firstDay >= endDay}). */
    record Whole(Instant from, Instant to, long firstDay, long endDay) {

        static Whole of(Instant from, Instant to) {
            long first = ThreatDays.jstDay(from);
            if (ThreatDays.start(first).isBefore(from)) {
                first++;
            }
            return new Whole(from, to, first, ThreatDays.jstDay(to));
        }

        boolean any() {
            return firstDay < endDay;
        }

        /** The parts of the period outside the whole days: none, one or two ranges. */
        List<Instant[]> partsOutside() {
            if (!any()) {
                return List.<Instant[]>of(new Instant[] {from, to});
            }
            List<Instant[]> parts = new ArrayList<>(2);
            Instant wholeFrom = ThreatDays.start(firstDay);
            Instant wholeTo = ThreatDays.start(endDay);
            if (from.isBefore(wholeFrom)) {
                parts.add(new Instant[] {from, wholeFrom});
            }
            if (wholeTo.isBefore(to)) {
                parts.add(new Instant[] {wholeTo, to});
            }
            return parts;
        }
    }

    /** Threat events of the customers {@code whose} selects in {@code [from, to)}. */
    static Condition threats(Condition whose, Instant from, Instant to, boolean ranged) {
        return whose
                .and(EVENTS.EVENT_TIME.ge(Times.column(from)))
                .and(EVENTS.EVENT_TIME.lt(Times.column(to)))
                .and(EVENTS.KIND.eq(THREAT))
                .and(ranged ? IdRanges.within(EVENTS.ID, from, to, IdRanges.EVENT_SLACK) : DSL.noCondition());
    }

    static Map<String, Long> byFunction(DSLContext db, Condition where) {
        Map<String, Long> map = new HashMap<>();
        db.select(EVENTS.SECURITY_FUNCTION, occurrences()).from(EVENTS).where(where)
                .groupBy(EVENTS.SECURITY_FUNCTION)
                .fetch().forEach(r -> map.put(r.value1(), r.value2()));
        return map;
    }

    /**
     * What a group of events stands for: the sum of their counts (an event may fold several
     * occurrences, V32, decision 0028), not the number of rows.
     */
    private static Field<Long> occurrences() {
        return DSL.sum(EVENTS.OCCURRENCES).cast(SQLDataType.BIGINT);
    }
}
