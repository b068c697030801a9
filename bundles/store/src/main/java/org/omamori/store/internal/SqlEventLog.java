package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.EVENTS;

import java.util.List;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.store.EventCursor;
import org.omamori.store.EventLog;
import org.omamori.store.EventPage;
import org.omamori.store.EventQuery;
import org.omamori.store.StoredEvent;
import org.omamori.store.TenantScope;

/** Events for the portal and grading, newest first, paged by keyset. */
public final class SqlEventLog implements EventLog {

    private final DSLContext db;

    public SqlEventLog(DSLContext db) {
        this.db = db;
    }

    @Override
    public EventPage events(TenantScope scope, EventQuery q) {
        Condition where = matching(scope, q);
        if (q.after().isPresent()) {
            EventCursor c = q.after().get();
            where = where.and(DSL.row(EVENTS.EVENT_TIME, EVENTS.ID, EVENTS.APPLIANCE_ID)
                    .lt(Times.column(c.time()), c.id().uuid(), c.appliance().value()));
        }
        List<StoredEvent> page = db.selectFrom(EVENTS).where(where)
                .orderBy(EVENTS.EVENT_TIME.desc(), EVENTS.ID.desc(), EVENTS.APPLIANCE_ID.desc())
                .limit(q.limit() + 1)
                .fetch(EventRows::stored);
        if (page.size() <= q.limit()) {
            return new EventPage(page, Optional.empty());
        }
        List<StoredEvent> shown = List.copyOf(page.subList(0, q.limit()));
        StoredEvent last = shown.getLast();
        return new EventPage(shown, Optional.of(new EventCursor(last.event().time(), last.event().id(), last.event().appliance())));
    }

    @Override
    public long count(TenantScope scope, EventQuery q) {
        return db.fetchCount(EVENTS, matching(scope, q));
    }

    @Override
    public long occurrences(TenantScope scope, EventQuery q) {
        java.math.BigDecimal sum = db.select(DSL.sum(EVENTS.OCCURRENCES)).from(EVENTS).where(matching(scope, q)).fetchOne().value1();
        return sum == null ? 0 : sum.longValueExact();
    }

    private static Condition matching(TenantScope scope, EventQuery q) {
        Condition where = Scopes.customers(EVENTS.CUSTOMER_ID, scope)
                .and(EVENTS.EVENT_TIME.ge(Times.column(q.from())))
                .and(EVENTS.EVENT_TIME.lt(Times.column(q.to())));
        if (q.function().isPresent()) {
            where = where.and(EVENTS.SECURITY_FUNCTION.eq(q.function().get().id()));
        }
        if (q.appliance().isPresent()) {
            where = where.and(EVENTS.APPLIANCE_ID.eq(q.appliance().get().value()));
        }
        if (q.kind().isPresent()) {
            where = where.and(EVENTS.KIND.eq(q.kind().get().wire()));
        }
        return where;
    }

}
