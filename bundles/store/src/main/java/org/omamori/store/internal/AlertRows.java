package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.EVENTS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.Query;
import org.omamori.api.engine.MacAddress;
import org.omamori.events.EventId;
import org.omamori.events.IpLiteral;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertId;
import org.omamori.grading.Facts;
import org.omamori.grading.Grade;
import org.omamori.grading.InternalHost;
import org.omamori.store.internal.schema.tables.records.AlertsRecord;
import org.omamori.store.internal.schema.tables.records.EventsRecord;

/** Alerts (org.omamori.grading.Alert) to and from table {@code alerts} (migration V5). */
final class AlertRows {

    static final String OPEN = "OPEN";

    private AlertRows() {
    }

    /** Inserts the alert, or updates its repeats (grade, last time, count, events) when it exists. */
    static Query upsert(DSLContext t, Alert a, long customer, String appliance, Instant now, String displayId) {
        String events = a.events().stream().map(EventId::toString).collect(Collectors.joining(" "));
        return t.insertInto(ALERTS)
                .set(ALERTS.ID, a.id().uuid())
                .set(ALERTS.CUSTOMER_ID, customer)
                .set(ALERTS.APPLIANCE_ID, appliance)
                .set(ALERTS.RULE, a.rule())
                .set(ALERTS.GRADE, a.grade().name())
                .set(ALERTS.ACCUMULATED, a.accumulated())
                .set(ALERTS.HOST, a.host().address().getHostAddress())
                .set(ALERTS.HOST_MAC, a.host().mac().map(MacAddress::toString).orElse(""))
                .set(ALERTS.SECURITY_FUNCTION, a.facts().function().id())
                .set(ALERTS.ENGINE_RULE, clip(a.facts().ruleId(), 512))
                .set(ALERTS.TARGET, clip(a.facts().target(), 2048))
                .set(ALERTS.FACTS_EVENT, a.events().getFirst().uuid())
                .set(ALERTS.FIRST_TIME, Times.column(a.first()))
                .set(ALERTS.LAST_TIME, Times.column(a.last()))
                .set(ALERTS.EVENT_COUNT, a.count())
                .set(ALERTS.EVENT_IDS, events)
                .set(ALERTS.SUPPRESSED_BY, a.suppressedBy().orElse(null))
                .set(ALERTS.STATE, OPEN)
                .set(ALERTS.DISPLAY_ID, displayId) // only ever inserted: a repeat keeps the first one
                .set(ALERTS.OPENING_RESULT, a.facts().result().wire()) // the opening event's: a repeat keeps it
                .set(ALERTS.CREATED_AT, Times.column(now))
                .set(ALERTS.UPDATED_AT, Times.column(now))
                .onConflict(ALERTS.ID, ALERTS.CUSTOMER_ID).doUpdate()
                .set(ALERTS.GRADE, a.grade().name())
                .set(ALERTS.FIRST_TIME, Times.column(a.first()))
                .set(ALERTS.LAST_TIME, Times.column(a.last()))
                .set(ALERTS.EVENT_COUNT, a.count())
                .set(ALERTS.EVENT_IDS, events)
                .set(ALERTS.UPDATED_AT, Times.column(now));
    }

    /** An alert as read with the row it came from (its customer and appliance). */
    record Loaded(AlertsRecord row, Alert alert) {
    }

    /**
     * The alerts of the rows, their facts taken again from the events that opened them. An alert
     * whose opening event is gone (retention) is left out: nothing can fold into it any more.
     */
    static List<Alert> alerts(DSLContext t, Collection<AlertsRecord> rows) {
        return loaded(t, rows).stream().map(Loaded::alert).toList();
    }

    /**
     * As {@link #alerts}, with each alert's row. An event id is unique per appliance only: the
     * opening event is looked up within the alert's customer, the alert's own appliance first.
     */
    static List<Loaded> loaded(DSLContext t, Collection<AlertsRecord> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<FactsKey, EventsRecord> events = facts(t, rows.stream()
                .map(r -> new FactsKey(r.getCustomerId(), r.getFactsEvent(), r.getApplianceId())).toList());
        List<Loaded> alerts = new ArrayList<>(rows.size());
        for (AlertsRecord r : rows) {
            EventsRecord e = opening(events, new FactsKey(r.getCustomerId(), r.getFactsEvent(), r.getApplianceId()));
            if (e != null) {
                alerts.add(new Loaded(r, alert(r, Facts.of(EventRows.stored(e).event()))));
            }
        }
        return alerts;
    }

    /** An alert's opening event: its customer, the event id, the appliance it most likely came from. */
    record FactsKey(long customer, UUID event, String appliance) {
    }

    /** The events of the keys, each key's customer only, by (customer, id, appliance). */
    static Map<FactsKey, EventsRecord> facts(DSLContext t, Collection<FactsKey> keys) {
        Map<FactsKey, EventsRecord> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        List<UUID> ids = keys.stream().map(FactsKey::event).distinct().toList();
        List<Long> customers = keys.stream().map(FactsKey::customer).distinct().toList();
        t.selectFrom(EVENTS).where(EVENTS.ID.in(ids)).and(EVENTS.CUSTOMER_ID.in(customers)).fetch()
                .forEach(r -> found.put(new FactsKey(r.getCustomerId(), r.getId(), r.getApplianceId()), r));
        return found;
    }

    /**
     * The event of the key: of the key's appliance, else of another appliance of the same customer
     * (a grader rebuilt from stored events may open an alert on another appliance's event).
     */
    static EventsRecord opening(Map<FactsKey, EventsRecord> facts, FactsKey key) {
        EventsRecord own = facts.get(key);
        if (own != null) {
            return own;
        }
        return facts.entrySet().stream()
                .filter(e -> e.getKey().customer() == key.customer() && e.getKey().event().equals(key.event()))
                .map(Map.Entry::getValue).sorted(Comparator.comparing(EventsRecord::getApplianceId)).findFirst().orElse(null);
    }

    static Alert alert(AlertsRecord r, Facts facts) {
        List<EventId> events = Arrays.stream(r.getEventIds().split(" ")).filter(s -> !s.isEmpty()).map(EventId::parse).toList();
        Optional<MacAddress> mac = r.getHostMac().isEmpty() ? Optional.empty() : Optional.of(MacAddress.parse(r.getHostMac()));
        return new Alert(new AlertId(r.getId()), r.getRule(), Grade.valueOf(r.getGrade()), r.getAccumulated(),
                new InternalHost(IpLiteral.parse(r.getHost()), mac), facts, Times.instant(r.getFirstTime()),
                Times.instant(r.getLastTime()), r.getEventCount(), events, Optional.ofNullable(r.getSuppressedBy()));
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
