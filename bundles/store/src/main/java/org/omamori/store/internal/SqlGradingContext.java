package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.ALERT_DISPLAY_IDS;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
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
import org.omamori.grading.GradingContext;
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
    /** The saved changes, in order; turned into statements by {@link #flush}. */
    private final List<AlertChange> changes = new ArrayList<>();
    private final DisplayIds displayIds;

    SqlGradingContext(DSLContext t, long customer, ApplianceId appliance, long sequence, Instant now, Set<UUID> batch,
            DisplayIds displayIds) {
        this.t = t;
        this.customer = customer;
        this.appliance = appliance;
        this.sequence = sequence;
        this.now = now;
        this.batch = batch;
        this.displayIds = displayIds;
    }

    @Override
    public Optional<String> edition() {
        return SqlMonitoring.edition(t, customer);
    }

    @Override
    public long customer() {
        return customer;
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
        changes.add(change);
    }

    /**
     * Sends the saved changes in one JDBC batch, in the order they were made: one round trip, not one
     * per threat. Alerts whose row does not exist yet get their display id here (one query finds
     * which), in the order they were first saved; the customer's counter moves on in the same batch.
     */
    void flush() {
        if (changes.isEmpty()) {
            return;
        }
        Set<UUID> saved = new java.util.LinkedHashSet<>();
        changes.forEach(c -> saved.add(c.alert().id().uuid()));
        Set<UUID> existing = new java.util.HashSet<>(t.select(ALERTS.ID).from(ALERTS)
                .where(ALERTS.CUSTOMER_ID.eq(customer)).and(ALERTS.ID.in(saved)).fetch(ALERTS.ID));
        java.util.Map<UUID, String> given = new java.util.HashMap<>();
        long second = now.getEpochSecond();
        for (UUID id : saved) {
            if (!existing.contains(id)) {
                given.put(id, displayIds.next(second));
            }
        }
        List<Query> writes = new ArrayList<>();
        for (AlertChange change : changes) {
            UUID id = change.alert().id().uuid();
            String displayId = given.remove(id); // the first write of a new alert inserts it with its id
            writes.add(AlertRows.upsert(t, change.alert(), customer, appliance.value(), now, displayId));
            if (IdRanges.outlier(id, change.alert().first(), IdRanges.ALERT_SLACK)) {
                IdRanges.note(t, customer, appliance.value(), change.alert().first()); // dated reads then skip the id range
            }
            if (displayId != null) {
                writes.add(t.insertInto(ALERT_DISPLAY_IDS).set(ALERT_DISPLAY_IDS.CUSTOMER_ID, customer)
                        .set(ALERT_DISPLAY_IDS.DISPLAY_ID, displayId).set(ALERT_DISPLAY_IDS.ALERT_ID, id));
            }
            if (change.mails()) {
                writes.add(t.insertInto(PENDING_ALERT_MAIL)
                        .set(PENDING_ALERT_MAIL.ALERT_ID, id)
                        .set(PENDING_ALERT_MAIL.CUSTOMER_ID, customer)
                        .set(PENDING_ALERT_MAIL.QUEUED_AT, Times.column(now))
                        .onConflict(PENDING_ALERT_MAIL.CUSTOMER_ID, PENDING_ALERT_MAIL.ALERT_ID).doNothing());
            }
        }
        if (displayIds.moved()) {
            writes.add(t.update(CUSTOMERS).set(CUSTOMERS.ALERT_DISPLAY_PREFIX, displayIds.prefix())
                    .set(CUSTOMERS.ALERT_DISPLAY_SEQ, displayIds.seq()).where(CUSTOMERS.ID.eq(customer)));
        }
        writes.add(AlertVersions.moved(t, customer)); // counts kept of these alerts are counted again
        t.batch(writes).execute();
        changes.clear();
    }

    @Override
    public void afterCompletion(Consumer<Boolean> action) {
        afterCompletion.add(action);
    }
}
