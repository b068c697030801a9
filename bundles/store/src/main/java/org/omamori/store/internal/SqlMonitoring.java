package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_WATCH;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;
import static org.omamori.store.internal.schema.Tables.MAIL_OUTBOX;
import static org.omamori.store.internal.schema.Tables.PENDING_ALERT_MAIL;
import static org.omamori.store.internal.schema.Tables.RECIPIENTS;
import static org.omamori.store.internal.schema.Tables.RESELLERS;
import static org.omamori.store.internal.schema.Tables.SUPPRESSIONS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.events.ApplianceId;
import org.omamori.grading.Alert;
import org.omamori.grading.Grade;
import org.omamori.grading.Resolution;
import org.omamori.grading.Suppression;
import org.omamori.notify.ApplianceRef;
import org.omamori.notify.Mail;
import org.omamori.notify.PendingAlert;
import org.omamori.notify.Recipients;
import org.omamori.notify.Watch;
import org.omamori.store.Addressee;
import org.omamori.store.CustomerId;
import org.omamori.store.Investigation;
import org.omamori.store.Monitoring;
import org.omamori.store.QueuedMail;
import org.omamori.store.TenantScope;
import org.omamori.store.internal.schema.tables.records.AlertsRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Monitoring} on the store's tables (migration V5) and the outbox. */
public final class SqlMonitoring implements Monitoring {

    private static final Logger LOG = LoggerFactory.getLogger(SqlMonitoring.class);

    private final DSLContext db;
    private final SqlOutbox outbox;

    public SqlMonitoring(DSLContext db, SqlOutbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    @Override
    public List<CustomerId> alertMailQueued(Instant queuedBy) {
        return db.select(PENDING_ALERT_MAIL.CUSTOMER_ID).from(PENDING_ALERT_MAIL)
                .groupBy(PENDING_ALERT_MAIL.CUSTOMER_ID)
                .having(DSL.min(PENDING_ALERT_MAIL.QUEUED_AT).le(Times.column(queuedBy)))
                .orderBy(DSL.min(PENDING_ALERT_MAIL.QUEUED_AT))
                .fetch(r -> new CustomerId(r.value1()));
    }

    @Override
    public int mailQueuedAlerts(CustomerId customer, Instant now, AlertMailPlanner planner) {
        Objects.requireNonNull(planner, "planner");
        long c = customer.value();
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            // Locks the customer's row: grading and a second run for it wait.
            String name = t.select(CUSTOMERS.NAME).from(CUSTOMERS).where(CUSTOMERS.ID.eq(c)).forUpdate().fetchOne(CUSTOMERS.NAME);
            if (name == null) {
                return 0; // erased meanwhile
            }
            Map<UUID, Instant> queued = new HashMap<>();
            t.select(PENDING_ALERT_MAIL.ALERT_ID, PENDING_ALERT_MAIL.QUEUED_AT).from(PENDING_ALERT_MAIL)
                    .where(PENDING_ALERT_MAIL.CUSTOMER_ID.eq(c))
                    .forEach(r -> queued.put(r.get(PENDING_ALERT_MAIL.ALERT_ID), Times.instant(r.get(PENDING_ALERT_MAIL.QUEUED_AT))));
            if (queued.isEmpty()) {
                return 0; // another node mailed them meanwhile
            }
            List<AlertsRecord> alertRows = t.selectFrom(ALERTS).where(ALERTS.CUSTOMER_ID.eq(c)).and(ALERTS.ID.in(queued.keySet())).fetch();
            Map<UUID, String> applianceOf = new HashMap<>();
            alertRows.forEach(r -> applianceOf.put(r.getId(), r.getApplianceId()));
            Map<String, String> applianceNames = new HashMap<>();
            t.select(APPLIANCES.ID, APPLIANCES.NAME).from(APPLIANCES).where(APPLIANCES.CUSTOMER_ID.eq(c))
                    .forEach(r -> applianceNames.put(r.get(APPLIANCES.ID), r.get(APPLIANCES.NAME)));
            List<PendingAlert> pending = new ArrayList<>();
            for (Alert a : AlertRows.alerts(t, alertRows)) {
                String appliance = applianceOf.get(a.id().uuid());
                pending.add(new PendingAlert(name, new ApplianceRef(new ApplianceId(appliance), applianceNames.getOrDefault(appliance, "")),
                        a, queued.get(a.id().uuid())));
            }
            AlertMailPlan plan = planner.plan(pending, addressee(t, c));
            for (Keyed m : plan.mails()) {
                outbox.enqueue(t, m.key(), m.mail(), now);
            }
            if (plan.dequeue()) {
                // Alerts gone meanwhile (retention) leave the queue too.
                t.deleteFrom(PENDING_ALERT_MAIL).where(PENDING_ALERT_MAIL.CUSTOMER_ID.eq(c))
                        .and(PENDING_ALERT_MAIL.ALERT_ID.in(queued.keySet())).execute();
            }
            return plan.mails().size();
        });
    }

    @Override
    public List<Investigation> investigations(String fingerprint, int limit) {
        var investigating = ALERTS.GRADE.eq(Grade.UNDER_INVESTIGATION.name()).and(ALERTS.STATE.eq(AlertRows.OPEN));
        db.update(ALERTS).set(ALERTS.EVALUATED_WITH, fingerprint).where(investigating).and(ALERTS.EVALUATED_WITH.isNull()).execute();
        List<AlertsRecord> rows = db.selectFrom(ALERTS).where(investigating).and(ALERTS.EVALUATED_WITH.ne(fingerprint))
                .orderBy(ALERTS.FIRST_TIME).limit(limit).fetch();
        Map<String, String> names = new HashMap<>();
        db.select(APPLIANCES.ID, APPLIANCES.NAME).from(APPLIANCES)
                .where(APPLIANCES.ID.in(rows.stream().map(AlertsRecord::getApplianceId).distinct().toList()))
                .forEach(r -> names.put(r.get(APPLIANCES.ID), r.get(APPLIANCES.NAME)));
        Map<Long, String> editions = new HashMap<>();
        db.select(CUSTOMERS.ID, RESELLERS.EDITION).from(CUSTOMERS).join(RESELLERS).on(RESELLERS.ID.eq(CUSTOMERS.RESELLER_ID))
                .where(CUSTOMERS.ID.in(rows.stream().map(AlertsRecord::getCustomerId).distinct().toList()))
                .forEach(r -> editions.put(r.get(CUSTOMERS.ID), r.get(RESELLERS.EDITION)));
        List<Investigation> out = new ArrayList<>();
        for (AlertRows.Loaded loaded : AlertRows.loaded(db, rows)) {
            AlertsRecord r = loaded.row();
            out.add(new Investigation(loaded.alert(), new CustomerId(r.getCustomerId()),
                    new ApplianceRef(new ApplianceId(r.getApplianceId()), names.getOrDefault(r.getApplianceId(), "")),
                    Optional.ofNullable(editions.get(r.getCustomerId()))));
        }
        return out;
    }

    @Override
    public void settle(Investigation investigation, Resolution resolution, String fingerprint, FollowUpComposer composer) {
        UUID id = investigation.alert().id().uuid();
        long customer = investigation.customer().value(); // an alert id is unique per customer only
        Instant at = resolution.at();
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            if (!resolution.mails()) {
                t.update(ALERTS).set(ALERTS.EVALUATED_WITH, fingerprint).set(ALERTS.UPDATED_AT, Times.column(at))
                        .where(ALERTS.ID.eq(id)).and(ALERTS.CUSTOMER_ID.eq(customer)).execute();
                return;
            }
            int changed = t.update(ALERTS)
                    .set(ALERTS.GRADE, resolution.alert().grade().name())
                    .set(ALERTS.STATE, "RESOLVED")
                    .set(ALERTS.RESOLUTION, resolution.outcome().name())
                    .set(ALERTS.RESOLVED_AT, Times.column(at))
                    .set(ALERTS.EVALUATED_WITH, fingerprint)
                    .set(ALERTS.UPDATED_AT, Times.column(at))
                    .where(ALERTS.ID.eq(id)).and(ALERTS.CUSTOMER_ID.eq(customer)).and(ALERTS.STATE.eq(AlertRows.OPEN))
                    .execute();
            if (changed == 0) {
                return; // another node settled it
            }
            AlertVersions.moved(t, customer).execute();
            Optional<Addressee> to = addressee(t, customer);
            if (to.isEmpty() || investigation.alert().suppressed()) {
                return;
            }
            outbox.enqueue(t, "follow-up:" + customer + ":" + id, composer.compose(resolution, investigation.appliance(), to.get()), at);
        });
    }

    @Override
    public List<Watched> watches() {
        return db.select(APPLIANCES.ID, APPLIANCES.CUSTOMER_ID, APPLIANCES.NAME, HEARTBEATS.RECEIVED_AT,
                        APPLIANCE_WATCH.MONITORED, APPLIANCE_WATCH.SILENT_SINCE, APPLIANCE_WATCH.NOTICED_AT,
                        APPLIANCE_WATCH.REMINDED_AT)
                .from(APPLIANCES)
                .leftJoin(HEARTBEATS).on(HEARTBEATS.APPLIANCE_ID.eq(APPLIANCES.ID))
                .leftJoin(APPLIANCE_WATCH).on(APPLIANCE_WATCH.APPLIANCE_ID.eq(APPLIANCES.ID))
                .fetch(r -> {
                    ApplianceId id = new ApplianceId(r.get(APPLIANCES.ID));
                    Optional<Watch.Stop> stop = r.get(APPLIANCE_WATCH.NOTICED_AT) == null ? Optional.empty()
                            : Optional.of(new Watch.Stop(Times.instant(r.get(APPLIANCE_WATCH.SILENT_SINCE)),
                            Times.instant(r.get(APPLIANCE_WATCH.NOTICED_AT)),
                            Optional.ofNullable(r.get(APPLIANCE_WATCH.REMINDED_AT)).map(Times::instant)));
                    Watch watch = new Watch(id, !Boolean.FALSE.equals(r.get(APPLIANCE_WATCH.MONITORED)),
                            Optional.ofNullable(r.get(HEARTBEATS.RECEIVED_AT)).map(Times::instant), stop);
                    return new Watched(new CustomerId(r.get(APPLIANCES.CUSTOMER_ID)), new ApplianceRef(id, r.get(APPLIANCES.NAME)), watch);
                });
    }

    @Override
    public int saveWatch(CustomerId customer, Watch next, Instant now, java.util.function.Function<Optional<Addressee>, List<Keyed>> mails) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(mails, "mails");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            List<Keyed> out = mails.apply(addressee(t, customer.value()));
            for (Keyed m : out) {
                outbox.enqueue(t, m.key(), m.mail(), now);
            }
            save(t, next);
            return out.size();
        });
    }

    @Override
    public void monitor(ApplianceId appliance, boolean monitored) {
        Objects.requireNonNull(appliance, "appliance");
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            if (t.fetchCount(APPLIANCES, APPLIANCES.ID.eq(appliance.value())) == 0) {
                throw new IllegalArgumentException("appliance " + appliance + " is not registered");
            }
            // Only the flag: the next check forgets a stop while in maintenance (Liveness) and notices a silence after.
            t.insertInto(APPLIANCE_WATCH).set(APPLIANCE_WATCH.APPLIANCE_ID, appliance.value()).set(APPLIANCE_WATCH.MONITORED, monitored)
                    .onConflict(APPLIANCE_WATCH.APPLIANCE_ID).doUpdate().set(APPLIANCE_WATCH.MONITORED, monitored)
                    .execute();
        });
    }

    @Override
    public java.util.Set<ApplianceId> inMaintenance() {
        java.util.Set<ApplianceId> ids = new java.util.HashSet<>();
        db.select(APPLIANCE_WATCH.APPLIANCE_ID).from(APPLIANCE_WATCH).where(APPLIANCE_WATCH.MONITORED.isFalse())
                .fetch(APPLIANCE_WATCH.APPLIANCE_ID).forEach(id -> ids.add(new ApplianceId(id)));
        return ids;
    }

    private static void save(DSLContext t, Watch w) {
        var stop = w.stop();
        t.insertInto(APPLIANCE_WATCH)
                .set(APPLIANCE_WATCH.APPLIANCE_ID, w.appliance().value())
                .set(APPLIANCE_WATCH.MONITORED, w.monitored())
                .set(APPLIANCE_WATCH.SILENT_SINCE, stop.map(s -> Times.column(s.silentSince())).orElse(null))
                .set(APPLIANCE_WATCH.NOTICED_AT, stop.map(s -> Times.column(s.noticedAt())).orElse(null))
                .set(APPLIANCE_WATCH.REMINDED_AT, stop.flatMap(Watch.Stop::remindedAt).map(Times::column).orElse(null))
                .onConflict(APPLIANCE_WATCH.APPLIANCE_ID).doUpdate()
                // not MONITORED: only monitor() changes it, and a check that read it before must not undo that
                .set(APPLIANCE_WATCH.SILENT_SINCE, stop.map(s -> Times.column(s.silentSince())).orElse(null))
                .set(APPLIANCE_WATCH.NOTICED_AT, stop.map(s -> Times.column(s.noticedAt())).orElse(null))
                .set(APPLIANCE_WATCH.REMINDED_AT, stop.flatMap(Watch.Stop::remindedAt).map(Times::column).orElse(null))
                .execute();
    }

    /** Whom a customer's mail goes to, read in {@code t}: its recipients and its reseller's edition; empty when it gave no address. */
    static Optional<Addressee> addressee(DSLContext t, long customer) {
        return recipients(t, customer).map(to -> new Addressee(new CustomerId(customer), edition(t, customer), to));
    }

    /** The edition of the customer's reseller, read in {@code t}; empty: the neutral default. */
    static Optional<String> edition(DSLContext t, long customer) {
        return Optional.ofNullable(t.select(RESELLERS.EDITION).from(CUSTOMERS).join(RESELLERS).on(RESELLERS.ID.eq(CUSTOMERS.RESELLER_ID))
                .where(CUSTOMERS.ID.eq(customer)).fetchOne(RESELLERS.EDITION));
    }

    /** A customer's mail addresses in their order, read in {@code t}; empty when it gave none. */
    static Optional<Recipients> recipients(DSLContext t, long customer) {
        List<String> addresses = t.select(RECIPIENTS.ADDRESS).from(RECIPIENTS).where(RECIPIENTS.CUSTOMER_ID.eq(customer))
                .orderBy(RECIPIENTS.POSITION).fetch(RECIPIENTS.ADDRESS);
        return addresses.isEmpty() ? Optional.empty() : Optional.of(new Recipients(addresses));
    }

    @Override
    public void recipients(CustomerId customer, Recipients recipients) {
        Objects.requireNonNull(recipients, "recipients");
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            if (t.fetchCount(CUSTOMERS, CUSTOMERS.ID.eq(customer.value())) == 0) {
                throw new IllegalArgumentException("customer " + customer.value() + " does not exist");
            }
            t.deleteFrom(RECIPIENTS).where(RECIPIENTS.CUSTOMER_ID.eq(customer.value())).execute();
            for (int i = 0; i < recipients.addresses().size(); i++) {
                t.insertInto(RECIPIENTS).set(RECIPIENTS.CUSTOMER_ID, customer.value()).set(RECIPIENTS.POSITION, i + 1)
                        .set(RECIPIENTS.ADDRESS, recipients.addresses().get(i)).execute();
            }
        });
    }

    @Override
    public Optional<Recipients> recipients(TenantScope scope, CustomerId customer) {
        if (db.fetchCount(CUSTOMERS, CUSTOMERS.ID.eq(customer.value()).and(Scopes.customers(CUSTOMERS.ID, scope))) == 0) {
            return Optional.empty();
        }
        return recipients(db, customer.value());
    }

    @Override
    public UUID suppress(CustomerId customer, Suppression s) {
        if (db.fetchCount(CUSTOMERS, CUSTOMERS.ID.eq(customer.value())) == 0) {
            throw new IllegalArgumentException("customer " + customer.value() + " does not exist");
        }
        UUID id = UUID.randomUUID();
        db.insertInto(SUPPRESSIONS)
                .set(SUPPRESSIONS.ID, id)
                .set(SUPPRESSIONS.CUSTOMER_ID, customer.value())
                .set(SUPPRESSIONS.RULE, s.rule())
                .set(SUPPRESSIONS.HOST, s.host().orElse(null))
                .set(SUPPRESSIONS.REASON, s.reason())
                .set(SUPPRESSIONS.DECIDED_BY, s.by())
                .set(SUPPRESSIONS.VALID_FROM, Times.column(s.from()))
                .set(SUPPRESSIONS.VALID_UNTIL, Times.column(s.until()))
                .set(SUPPRESSIONS.CREATED_AT, Times.column(Instant.now()))
                .execute();
        return id;
    }

    @Override
    public List<Suppression> suppressions(TenantScope scope, CustomerId customer) {
        return db.selectFrom(SUPPRESSIONS)
                .where(SUPPRESSIONS.CUSTOMER_ID.eq(customer.value())).and(Scopes.customers(SUPPRESSIONS.CUSTOMER_ID, scope))
                .orderBy(SUPPRESSIONS.CREATED_AT.desc())
                .fetch(SqlGradingContext::suppression);
    }

    @Override
    public List<QueuedMail> outbox(int limit) {
        return db.selectFrom(MAIL_OUTBOX).orderBy(MAIL_OUTBOX.CREATED_AT.desc(), MAIL_OUTBOX.ID).limit(limit)
                .fetch(r -> new QueuedMail(r.getId(), r.getMailKey(), r.getState(), Times.instant(r.getCreatedAt()),
                        r.getAttempts(), Optional.ofNullable(r.getSentAt()).map(Times::instant),
                        Optional.ofNullable(r.getLastError()),
                        SqlOutbox.mail(r)));
    }

    @Override
    public int pendingAlertMail() {
        return db.fetchCount(PENDING_ALERT_MAIL);
    }
}
