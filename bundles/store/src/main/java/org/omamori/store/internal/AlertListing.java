package org.omamori.store.internal;

import static org.omamori.store.Statistics.DISPLAY_ID;
import static org.omamori.store.Statistics.MAX_ALERT_EVENTS;
import static org.omamori.store.Statistics.MAX_SEARCH;
import static org.omamori.store.Statistics.MAX_SEARCH_TEXT;
import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.ID_TIME_OUTLIERS;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Result;
import org.omamori.grading.AlertId;
import org.omamori.grading.Grade;
import org.omamori.store.AlertCursor;
import org.omamori.store.AlertPage;
import org.omamori.store.AlertQuery;
import org.omamori.store.AlertRow;
import org.omamori.store.CustomerId;
import org.omamori.store.StoredEvent;
import org.omamori.store.TenantScope;

/**
 * The portal's alert lists for {@link SqlStatistics}: a page of alerts by period and filters
 * (index alerts(customer_id, last_time), partitions pruned by the period's id range), one alert by
 * id or display id, the events that made one, and the search over display ids, hosts, targets and
 * rules.
 */
final class AlertListing {

    private final DSLContext db;

    AlertListing(DSLContext db) {
        this.db = db;
    }

    AlertPage alerts(TenantScope scope, AlertQuery q) {
        Condition where = Scopes.customers(ALERTS.CUSTOMER_ID, scope)
                .and(ALERTS.FIRST_TIME.ge(Times.column(q.from())))
                .and(ALERTS.FIRST_TIME.lt(Times.column(q.to())))
                // implied (last >= first), and what the index (customer_id, last_time) can range over
                .and(ALERTS.LAST_TIME.ge(Times.column(q.from())));
        Condition outliers = Scopes.customers(ID_TIME_OUTLIERS.CUSTOMER_ID, scope);
        if (q.customer().isPresent()) {
            where = where.and(ALERTS.CUSTOMER_ID.eq(q.customer().get().value()));
            outliers = outliers.and(ID_TIME_OUTLIERS.CUSTOMER_ID.eq(q.customer().get().value()));
        }
        if (!db.fetchValue(DSL.field(IdRanges.noted(outliers, q.from(), q.to())))) {
            where = where.and(IdRanges.within(ALERTS.ID, q.from(), q.to(), IdRanges.ALERT_SLACK)); // prunes partitions
        }
        if (q.function().isPresent()) {
            where = where.and(ALERTS.SECURITY_FUNCTION.eq(q.function().get().id()));
        }
        if (q.appliance().isPresent()) {
            where = where.and(ALERTS.APPLIANCE_ID.eq(q.appliance().get().value()));
        }
        if (q.grade().isPresent()) {
            where = where.and(ALERTS.GRADE.eq(q.grade().get().name()));
        }
        if (q.after().isPresent()) {
            AlertCursor cursor = q.after().get();
            where = where.and(DSL.row(ALERTS.FIRST_TIME, ALERTS.ID).lt(Times.column(cursor.first()), cursor.id().uuid()));
        }
        List<Record> rows = alertsWithNames()
                .where(where)
                .orderBy(ALERTS.FIRST_TIME.desc(), ALERTS.ID.desc())
                .limit(q.limit() + 1)
                .fetch();
        boolean more = rows.size() > q.limit();
        // The opening events, each within its alert's customer (an event id is unique per appliance only).
        List<AlertRow> page = rows(more ? rows.subList(0, q.limit()) : rows);
        Optional<AlertCursor> next = more
                ? Optional.of(new AlertCursor(page.getLast().first(), page.getLast().id()))
                : Optional.empty();
        return new AlertPage(page, next);
    }

    /** The page's rows as {@link AlertRow}s, each with the result of its opening event (kept on the alert, V17). */
    private static List<AlertRow> rows(List<Record> shown) {
        return shown.stream().map(r -> {
            String result = r.get(ALERTS.OPENING_RESULT);
            return row(r, result == null ? Optional.empty() : Optional.of(Result.fromWire(result)));
        }).toList();
    }

    private org.jooq.SelectOnConditionStep<Record> alertsWithNames() {
        return db.select(ALERTS.fields()).select(APPLIANCES.NAME)
                .from(ALERTS)
                .leftJoin(APPLIANCES).on(APPLIANCES.ID.eq(ALERTS.APPLIANCE_ID));
    }

    Optional<AlertRow> alert(TenantScope scope, AlertId id) {
        Objects.requireNonNull(id, "id");
        List<Record> found = alertsWithNames()
                .where(Scopes.customers(ALERTS.CUSTOMER_ID, scope).and(ALERTS.ID.eq(id.uuid()))).limit(2).fetch();
        return found.size() == 1 ? Optional.of(rows(found).getFirst()) : Optional.empty();
    }

    Optional<AlertRow> alertByDisplayId(TenantScope scope, String displayId) {
        return byDisplayId(scope, null, displayId);
    }

    Optional<AlertRow> alertByDisplayId(TenantScope scope, CustomerId customer, String displayId) {
        Objects.requireNonNull(customer, "customer");
        return byDisplayId(scope, customer, displayId);
    }

    private Optional<AlertRow> byDisplayId(TenantScope scope, CustomerId customer, String displayId) {
        if (displayId == null || !DISPLAY_ID.matcher(displayId).matches()) {
            throw new IllegalArgumentException("an alert ID is 10 digits, '-' and 1 to 9 digits");
        }
        Condition where = Scopes.customers(ALERTS.CUSTOMER_ID, scope).and(ALERTS.DISPLAY_ID.eq(displayId));
        if (customer != null) {
            where = where.and(ALERTS.CUSTOMER_ID.eq(customer.value()));
        }
        List<Record> found = alertsWithNames().where(where).limit(2).fetch();
        return found.size() == 1 ? Optional.of(rows(found).getFirst()) : Optional.empty();
    }

    List<StoredEvent> alertEvents(TenantScope scope, AlertId alert, int limit) {
        Objects.requireNonNull(alert, "alert");
        if (limit < 1 || limit > MAX_ALERT_EVENTS) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_ALERT_EVENTS + ": " + limit);
        }
        // An alert id is unique per customer: each visible alert of this id, its events within its customer.
        Set<String> wanted = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        Set<Long> customers = new HashSet<>();
        db.select(ALERTS.CUSTOMER_ID, ALERTS.EVENT_IDS).from(ALERTS)
                .where(ALERTS.ID.eq(alert.uuid())).and(Scopes.customers(ALERTS.CUSTOMER_ID, scope))
                .fetch().forEach(r -> {
                    customers.add(r.value1());
                    for (String id : r.value2().split(" ")) {
                        if (!id.isEmpty()) {
                            UUID uuid = UUID.fromString(id);
                            ids.add(uuid);
                            wanted.add(r.value1() + "/" + uuid);
                        }
                    }
                });
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.selectFrom(EVENTS).where(EVENTS.ID.in(ids)).and(EVENTS.CUSTOMER_ID.in(customers))
                .orderBy(EVENTS.EVENT_TIME.desc(), EVENTS.ID.desc(), EVENTS.APPLIANCE_ID)
                .fetch().stream()
                .filter(r -> wanted.contains(r.getCustomerId() + "/" + r.getId()))
                .limit(limit)
                .map(EventRows::stored)
                .toList();
    }

    List<AlertRow> search(TenantScope scope, String text, int limit) {
        if (limit < 1 || limit > MAX_SEARCH) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_SEARCH + ": " + limit);
        }
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String t = text.strip();
        if (t.length() > MAX_SEARCH_TEXT) {
            throw new IllegalArgumentException("a search is at most " + MAX_SEARCH_TEXT + " characters");
        }
        String literal = likeLiteral(t);
        Condition match = ALERTS.DISPLAY_ID.like(literal + "%", LIKE_ESCAPE)
                .or(ALERTS.HOST.likeIgnoreCase(literal + "%", LIKE_ESCAPE))
                .or(ALERTS.TARGET.likeIgnoreCase("%" + literal + "%", LIKE_ESCAPE))
                .or(ALERTS.RULE.likeIgnoreCase("%" + literal + "%", LIKE_ESCAPE))
                .or(ALERTS.ENGINE_RULE.likeIgnoreCase("%" + literal + "%", LIKE_ESCAPE));
        return rows(alertsWithNames()
                .where(Scopes.customers(ALERTS.CUSTOMER_ID, scope)).and(match)
                .orderBy(ALERTS.FIRST_TIME.desc(), ALERTS.ID.desc())
                .limit(limit)
                .fetch());
    }

    /** The escape character of {@link #search}'s LIKE patterns. */
    static final char LIKE_ESCAPE = '!';

    /** Text as a LIKE pattern that matches just itself: the escape character, % and _ escaped. */
    static String likeLiteral(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == LIKE_ESCAPE || c == '%' || c == '_') {
                b.append(LIKE_ESCAPE);
            }
            b.append(c);
        }
        return b.toString();
    }

    private static AlertRow row(Record r, Optional<Result> result) {
        String name = r.get(APPLIANCES.NAME);
        String displayId = r.get(ALERTS.DISPLAY_ID);
        return new AlertRow(new AlertId(r.get(ALERTS.ID)), displayId == null ? "" : displayId, new CustomerId(r.get(ALERTS.CUSTOMER_ID)),
                new ApplianceId(r.get(ALERTS.APPLIANCE_ID)), name == null ? "" : name, r.get(ALERTS.RULE),
                Grade.valueOf(r.get(ALERTS.GRADE)), r.get(ALERTS.HOST), new SecurityFunction(r.get(ALERTS.SECURITY_FUNCTION)),
                r.get(ALERTS.TARGET), Times.instant(r.get(ALERTS.FIRST_TIME)), Times.instant(r.get(ALERTS.LAST_TIME)),
                r.get(ALERTS.EVENT_COUNT), Optional.ofNullable(r.get(ALERTS.SUPPRESSED_BY)), r.get(ALERTS.STATE),
                Optional.ofNullable(r.get(ALERTS.RESOLUTION)), result);
    }
}
