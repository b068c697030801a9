package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.PENDING_ALERT_MAIL;
import static org.omamori.store.internal.schema.Tables.SUPPRESSIONS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.jooq.DSLContext;
import org.jooq.Query;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.Suppression;
import org.omamori.store.CustomerId;
import org.omamori.store.GradingContext;
import org.omamori.store.internal.schema.tables.records.SuppressionsRecord;

/** {@link GradingContext} over the ingest transaction {@code t}, the customer's row locked. */
final class SqlGradingContext implements GradingContext {

    /** The most threat events a rebuilt grader reads: a day of a beacon every second is 86,400. */
    static final int MAX_THREATS = 100_000;

    private final DSLContext t;
    private final long customer;
    private final ApplianceId appliance;
    private final long sequence;
    private final Instant now;
    private final Set<UUID> batch;
    final List<Consumer<Boolean>> afterCompletion = new ArrayList<>(1);
    private final List<Query> writes = new ArrayList<>();

    SqlGradingContext(DSLContext t, long customer, ApplianceId appliance, long sequence, Instant now, Set<UUID> batch) {
        this.t = t;
        this.customer = customer;
        this.appliance = appliance;
        this.sequence = sequence;
        this.now = now;
        this.batch = batch;
    }

    @Override
    public CustomerId customer() {
        return new CustomerId(customer);
    }

    @Override
    public ApplianceId appliance() {
        return appliance;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public List<Alert> alertsSince(Instant since) {
        return AlertRows.alerts(t, t.selectFrom(ALERTS)
                .where(ALERTS.CUSTOMER_ID.eq(customer)).and(ALERTS.LAST_TIME.ge(Times.column(since)))
                .orderBy(ALERTS.FIRST_TIME).fetch());
    }

    @Override
    public List<Event> threatsSince(Instant since) {
        List<Event> events = new ArrayList<>();
        t.selectFrom(EVENTS)
                .where(EVENTS.CUSTOMER_ID.eq(customer)).and(EVENTS.EVENT_TIME.ge(Times.column(since)))
                .and(EVENTS.KIND.eq(Kind.THREAT.wire()))
                .orderBy(EVENTS.EVENT_TIME).limit(MAX_THREATS).fetch()
                .forEach(r -> {
                    // The batch's ids are the batch appliance's: another appliance may use the same id.
                    if (!(batch.contains(r.getId()) && r.getApplianceId().equals(appliance.value()))) {
                        events.add(EventRows.stored(r).event());
                    }
                });
        return events;
    }

    @Override
    public List<Suppression> suppressions(Instant at) {
        return t.selectFrom(SUPPRESSIONS)
                .where(SUPPRESSIONS.CUSTOMER_ID.eq(customer))
                .and(SUPPRESSIONS.VALID_FROM.le(Times.column(at))).and(SUPPRESSIONS.VALID_UNTIL.gt(Times.column(at)))
                .fetch(SqlGradingContext::suppression);
    }

    static Suppression suppression(SuppressionsRecord r) {
        return new Suppression(r.getId().toString(), r.getRule(), Optional.ofNullable(r.getHost()),
                r.getReason(), r.getDecidedBy(), Times.instant(r.getValidFrom()), Times.instant(r.getValidUntil()));
    }

    @Override
    public void save(AlertChange change) {
        writes.add(AlertRows.upsert(t, change.alert(), customer, appliance.value(), now));
        if (change.mails()) {
            writes.add(t.insertInto(PENDING_ALERT_MAIL)
                    .set(PENDING_ALERT_MAIL.ALERT_ID, change.alert().id().uuid())
                    .set(PENDING_ALERT_MAIL.CUSTOMER_ID, customer)
                    .set(PENDING_ALERT_MAIL.QUEUED_AT, Times.column(now))
                    .onConflict(PENDING_ALERT_MAIL.CUSTOMER_ID, PENDING_ALERT_MAIL.ALERT_ID).doNothing());
        }
    }

    /** Sends the saved changes in one JDBC batch, in the order they were made: one round trip, not one per threat. */
    void flush() {
        if (!writes.isEmpty()) {
            t.batch(writes).execute();
            writes.clear();
        }
    }

    @Override
    public void afterCompletion(Consumer<Boolean> action) {
        afterCompletion.add(action);
    }
}
