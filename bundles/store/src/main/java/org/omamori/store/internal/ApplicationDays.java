package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLICATION_DAYS;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.Event;
import org.omamori.events.Kind;

/**
 * The applications roll-up (V33, docs/store.md "Application days"): connections per customer,
 * appliance, Japanese day, application and client, added to in the ingest transaction from the
 * application identifications a batch really inserted, as {@link ThreatDays} is for threats.
 */
final class ApplicationDays {

    private ApplicationDays() {
    }

    /** Whether an event is an application identification (an access-log event of that function). */
    static boolean counts(Event e) {
        return e.kind() == Kind.ACCESS && e.function().equals(SecurityFunction.APPLICATION_IDENTIFICATION)
                && !e.ruleId().isEmpty();
    }

    private record Key(long day, String ruleId, String client) {
    }

    private static final Comparator<Key> KEY_ORDER = Comparator.comparingLong(Key::day)
            .thenComparing(Key::ruleId).thenComparing(Key::client);

    /**
     * Adds a batch's newly inserted identifications of one appliance. Keys in one order, so two
     * batches adding to the same rows lock them in the same order (no deadlock).
     */
    static void add(DSLContext t, long customer, String appliance, List<Event> identified) {
        if (identified.isEmpty()) {
            return;
        }
        Map<Key, long[]> counts = new TreeMap<>(KEY_ORDER);
        Map<String, String> names = new TreeMap<>();
        for (Event e : identified) {
            counts.computeIfAbsent(new Key(ThreatDays.jstDay(e.time()), e.ruleId(), e.source().getHostAddress()),
                    k -> new long[1])[0] += e.count();
            names.put(e.ruleId(), e.ruleName());
        }
        var insert = t.insertInto(APPLICATION_DAYS, APPLICATION_DAYS.CUSTOMER_ID, APPLICATION_DAYS.APPLIANCE_ID,
                APPLICATION_DAYS.JST_DAY, APPLICATION_DAYS.RULE_ID, APPLICATION_DAYS.CLIENT, APPLICATION_DAYS.APP_NAME,
                APPLICATION_DAYS.CONNECTIONS);
        for (var c : counts.entrySet()) {
            Key k = c.getKey();
            insert = insert.values(customer, appliance, k.day(), k.ruleId(), k.client(), names.get(k.ruleId()), c.getValue()[0]);
        }
        insert.onConflict(APPLICATION_DAYS.CUSTOMER_ID, APPLICATION_DAYS.APPLIANCE_ID, APPLICATION_DAYS.JST_DAY,
                        APPLICATION_DAYS.RULE_ID, APPLICATION_DAYS.CLIENT)
                .doUpdate()
                .set(APPLICATION_DAYS.CONNECTIONS, APPLICATION_DAYS.CONNECTIONS.plus(DSL.excluded(APPLICATION_DAYS.CONNECTIONS)))
                .set(APPLICATION_DAYS.APP_NAME, DSL.excluded(APPLICATION_DAYS.APP_NAME))
                .execute();
    }

    /** Retention: the days before the first kept (UTC) day go with their events. */
    static int removeBefore(DSLContext t, LocalDate firstKept) {
        return t.deleteFrom(APPLICATION_DAYS).where(APPLICATION_DAYS.JST_DAY.lt(firstKept.toEpochDay())).execute();
    }
}
