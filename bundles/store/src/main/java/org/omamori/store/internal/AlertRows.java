package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.EVENTS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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

/** Alerts (org.omamori.grading.Alert) to and from table {@code alerts} (migration V5). */
final class AlertRows {

    static final String OPEN = "OPEN";

    private AlertRows() {
    }

    /** Inserts the alert, or updates its repeats (grade, last time, count, events) when it exists. */
    static Query upsert(DSLContext t, Alert a, long customer, String appliance, Instant now) {
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
                .set(ALERTS.CREATED_AT, Times.column(now))
                .set(ALERTS.UPDATED_AT, Times.column(now))
                .onConflict(ALERTS.ID).doUpdate()
                .set(ALERTS.GRADE, a.grade().name())
                .set(ALERTS.FIRST_TIME, Times.column(a.first()))
                .set(ALERTS.LAST_TIME, Times.column(a.last()))
                .set(ALERTS.EVENT_COUNT, a.count())
                .set(ALERTS.EVENT_IDS, events)
                .set(ALERTS.UPDATED_AT, Times.column(now));
    }

    /**
     * The alerts of the rows, their facts taken again from the events that opened them. An alert
     * whose opening event is gone (retention) is left out: nothing can fold into it any more.
     */
    static List<Alert> alerts(DSLContext t, Collection<AlertsRecord> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<UUID> factIds = rows.stream().map(AlertsRecord::getFactsEvent).distinct().toList();
        Map<UUID, Facts> facts = new HashMap<>();
        t.selectFrom(EVENTS).where(EVENTS.ID.in(factIds)).fetch()
                .forEach(r -> facts.put(r.getId(), Facts.of(EventRows.stored(r).event())));
        List<Alert> alerts = new ArrayList<>(rows.size());
        for (AlertsRecord r : rows) {
            Facts f = facts.get(r.getFactsEvent());
            if (f != null) {
                alerts.add(alert(r, f));
            }
        }
        return alerts;
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
