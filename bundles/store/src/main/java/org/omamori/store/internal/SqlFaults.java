package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.FAULTS;
import static org.omamori.store.internal.schema.Tables.FAULT_NOTICES;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;
import static org.omamori.store.internal.schema.Tables.MAIL_OUTBOX;
import static org.omamori.store.internal.schema.Tables.SCHEDULED_TASKS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.omamori.events.ApplianceId;
import org.omamori.notify.ApplianceRef;
import org.omamori.notify.Fault;
import org.omamori.store.Addressee;
import org.omamori.store.CustomerId;
import org.omamori.store.Faults;
import org.omamori.store.internal.schema.tables.records.FaultsRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Faults} on the tables of migration V8 and the outbox. Each step that mails enqueues in the
 * transaction that records why, holding the fault's row lock, so nodes racing on one fault mail once.
 */
public final class SqlFaults implements Faults {

    private static final Logger LOG = LoggerFactory.getLogger(SqlFaults.class);
    /** db-scheduler's instance name of a recurring job's single row. */
    private static final String RECURRING = "recurring";

    private final DSLContext db;
    private final SqlOutbox outbox;
    private final Clock clock;

    public SqlFaults(DSLContext db, SqlOutbox outbox, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Recorded observe(Observation o, Instant now) {
        Objects.requireNonNull(o, "observation");
        Objects.requireNonNull(now, "now");
        for (int attempt = 1; ; attempt++) {
            try {
                return db.transactionResult(tx -> observeOnce(tx.dsl(), o, now));
            } catch (IntegrityConstraintViolationException e) {
                // Another node opened this key's fault meanwhile (open_key is unique): refresh theirs.
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private Recorded observeOnce(DSLContext t, Observation o, Instant now) {
        FaultsRecord open = t.selectFrom(FAULTS).where(FAULTS.OPEN_KEY.eq(o.key())).forUpdate().fetchOne();
        String customers = customerIds(o.affected());
        if (open == null) {
            long id = t.insertInto(FAULTS)
                    .set(FAULTS.FAULT_LEVEL, o.level().name())
                    .set(FAULTS.COMPONENT, o.component().name())
                    .set(FAULTS.FAULT_KEY, o.key())
                    .set(FAULTS.OPEN_KEY, o.key())
                    .set(FAULTS.APPLIANCE_ID, o.appliance().map(ApplianceId::value).orElse(null))
                    .set(FAULTS.SUMMARY, o.summary())
                    .set(FAULTS.AFFECTS_ALL, o.affected().all())
                    .set(FAULTS.CUSTOMER_IDS, customers)
                    .set(FAULTS.DETECTED_AT, Times.column(now))
                    .set(FAULTS.LAST_SEEN_AT, Times.column(now))
                    .returning(FAULTS.ID).fetchOne().getId();
            return new Recorded(entry(t, id).orElseThrow(), true, false);
        }
        Fault.Level was = Fault.Level.valueOf(open.getFaultLevel());
        Fault.Level level = was.worse(o.level());
        boolean escalated = level != was;
        var update = t.update(FAULTS)
                .set(FAULTS.FAULT_LEVEL, level.name())
                .set(FAULTS.SUMMARY, o.summary())
                .set(FAULTS.AFFECTS_ALL, o.affected().all())
                .set(FAULTS.CUSTOMER_IDS, customers)
                .set(FAULTS.LAST_SEEN_AT, Times.column(now));
        if (escalated) {
            // What the operator confirmed was a lesser fault: the new level waits for its own confirmation.
            update = update.setNull(FAULTS.CONFIRMED_AT).setNull(FAULTS.CONFIRMED_BY);
        }
        update.where(FAULTS.ID.eq(open.getId())).execute();
        return new Recorded(entry(t, open.getId()).orElseThrow(), false, escalated);
    }

    @Override
    public int confirm(long id, String by, Composer composer) {
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(composer, "composer");
        if (by.isBlank() || by.length() > 200) {
            throw new IllegalArgumentException("who confirms is named in 1..200 characters");
        }
        Instant now = clock.instant();
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            FaultsRecord r = t.selectFrom(FAULTS).where(FAULTS.ID.eq(id)).forUpdate().fetchOne();
            if (r == null) {
                throw new IllegalArgumentException("no fault " + id);
            }
            if (r.getConfirmedAt() != null) {
                return 0; // confirmed before: it mailed then
            }
            t.update(FAULTS).set(FAULTS.CONFIRMED_AT, Times.column(now)).set(FAULTS.CONFIRMED_BY, by)
                    .where(FAULTS.ID.eq(id)).execute();
            Entry e = entry(t, id).orElseThrow();
            if (!e.level().notifiesCustomers()) {
                LOG.info("fault {} (level Z, {}) confirmed by {}: customers are not told (000 §9.3)", id, e.key(), by);
                return 0;
            }
            List<Long> customers = e.affected().all()
                    ? t.select(CUSTOMERS.ID).from(CUSTOMERS).orderBy(CUSTOMERS.ID).fetch(CUSTOMERS.ID)
                    : e.affected().customers().stream().map(CustomerId::value).sorted().toList();
            int mails = 0;
            for (long customer : customers) {
                if (t.fetchExists(FAULT_NOTICES, FAULT_NOTICES.FAULT_ID.eq(id).and(FAULT_NOTICES.CUSTOMER_ID.eq(customer)))) {
                    continue; // told at an earlier level of this fault
                }
                Optional<Addressee> to = SqlMonitoring.addressee(t, customer);
                if (to.isEmpty()) {
                    LOG.warn("customer {} has no mail address: fault {} not mailed to it", customer, id);
                    continue;
                }
                outbox.enqueue(t, "fault:" + id + ":" + customer, composer.compose(e.fault().recovered().isPresent()
                        ? new Fault(e.level(), e.fault().component(), e.fault().since(), Optional.empty(), e.fault().appliance())
                        : e.fault(), to.get()), now);
                mails++;
                Instant recovered = e.resolvedAt().orElse(null);
                if (recovered != null) {
                    // Confirmed after it ended: the customer hears of both at once.
                    outbox.enqueue(t, "fault-recovered:" + id + ":" + customer, composer.compose(e.fault(), to.get()), now);
                    mails++;
                }
                t.insertInto(FAULT_NOTICES).set(FAULT_NOTICES.FAULT_ID, id).set(FAULT_NOTICES.CUSTOMER_ID, customer)
                        .set(FAULT_NOTICES.NOTIFIED_AT, Times.column(now))
                        .set(FAULT_NOTICES.RECOVERED_AT, recovered == null ? null : Times.column(now))
                        .execute();
            }
            if (mails > 0) {
                t.update(FAULTS).set(FAULTS.NOTIFIED_AT, Times.column(now)).where(FAULTS.ID.eq(id)).execute();
            }
            LOG.info("fault {} (level {}, {}) confirmed by {}: {} mails put in the outbox", id, e.level(), e.key(), by, mails);
            return mails;
        });
    }

    @Override
    public Optional<Entry> resolveKey(String key, Instant now, String by, Composer composer) {
        Objects.requireNonNull(key, "key");
        return resolveWhere(FAULTS.OPEN_KEY.eq(key), now, by, composer);
    }

    @Override
    public Optional<Entry> resolve(long id, String by, Composer composer) {
        return resolveWhere(FAULTS.ID.eq(id), clock.instant(), by, composer);
    }

    private Optional<Entry> resolveWhere(Condition which, Instant now, String by, Composer composer) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(composer, "composer");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            FaultsRecord r = t.selectFrom(FAULTS).where(which).forUpdate().fetchOne();
            if (r == null) {
                return Optional.empty();
            }
            if (r.getResolvedAt() != null) {
                return entry(t, r.getId()); // resolved before: its recovery mail went then
            }
            t.update(FAULTS).set(FAULTS.RESOLVED_AT, Times.column(now)).set(FAULTS.RESOLVED_BY, by.length() > 200 ? by.substring(0, 200) : by)
                    .setNull(FAULTS.OPEN_KEY).where(FAULTS.ID.eq(r.getId())).execute();
            Entry e = entry(t, r.getId()).orElseThrow();
            int mails = 0;
            if (e.level().notifiesCustomers() && e.confirmedAt().isPresent()) {
                List<Long> told = t.select(FAULT_NOTICES.CUSTOMER_ID).from(FAULT_NOTICES)
                        .where(FAULT_NOTICES.FAULT_ID.eq(e.id())).and(FAULT_NOTICES.RECOVERED_AT.isNull())
                        .orderBy(FAULT_NOTICES.CUSTOMER_ID).fetch(FAULT_NOTICES.CUSTOMER_ID);
                for (long customer : told) {
                    Optional<Addressee> to = SqlMonitoring.addressee(t, customer);
                    if (to.isPresent()) {
                        outbox.enqueue(t, "fault-recovered:" + e.id() + ":" + customer, composer.compose(e.fault(), to.get()), now);
                        mails++;
                    }
                }
                t.update(FAULT_NOTICES).set(FAULT_NOTICES.RECOVERED_AT, Times.column(now))
                        .where(FAULT_NOTICES.FAULT_ID.eq(e.id())).and(FAULT_NOTICES.RECOVERED_AT.isNull()).execute();
            }
            LOG.info("fault {} (level {}, {}) resolved by {} after {}{}", e.id(), e.level(), e.key(), by,
                    Duration.between(e.detectedAt(), now), mails > 0 ? ": " + mails + " recovery mails put in the outbox" : "");
            return Optional.of(e);
        });
    }

    @Override
    public Optional<Entry> fault(long id) {
        return entry(db, id);
    }

    @Override
    public List<Entry> open() {
        return entries(db, FAULTS.RESOLVED_AT.isNull(), Integer.MAX_VALUE, FAULTS.FAULT_LEVEL.asc(), FAULTS.DETECTED_AT.asc(), FAULTS.ID.asc());
    }

    @Override
    public List<Entry> recent(Instant since, int limit) {
        return entries(db, FAULTS.RESOLVED_AT.isNull().or(FAULTS.RESOLVED_AT.ge(Times.column(since))), Math.max(0, limit),
                FAULTS.DETECTED_AT.desc(), FAULTS.ID.desc());
    }

    @Override
    public List<Entry> during(Instant from, Instant to) {
        return entries(db, FAULTS.DETECTED_AT.lt(Times.column(to))
                        .and(FAULTS.RESOLVED_AT.isNull().or(FAULTS.RESOLVED_AT.gt(Times.column(from)))),
                100_000, FAULTS.DETECTED_AT.asc(), FAULTS.ID.asc());
    }

    private static Optional<Entry> entry(DSLContext t, long id) {
        return entries(t, FAULTS.ID.eq(id), 1, FAULTS.ID.asc()).stream().findFirst();
    }

    private static List<Entry> entries(DSLContext t, Condition where, int limit, org.jooq.SortField<?>... order) {
        return t.select(FAULTS.asterisk(), APPLIANCES.NAME).from(FAULTS)
                .leftJoin(APPLIANCES).on(APPLIANCES.ID.eq(FAULTS.APPLIANCE_ID))
                .where(where).orderBy(order).limit(limit)
                .fetch(SqlFaults::entry);
    }

    private static Entry entry(Record r) {
        Optional<ApplianceRef> appliance = Optional.ofNullable(r.get(FAULTS.APPLIANCE_ID))
                .map(a -> new ApplianceRef(new ApplianceId(a), Objects.requireNonNullElse(r.get(APPLIANCES.NAME), "")));
        Optional<Instant> resolved = Optional.ofNullable(Times.instant(r.get(FAULTS.RESOLVED_AT)));
        Fault fault = new Fault(Fault.Level.valueOf(r.get(FAULTS.FAULT_LEVEL)), Fault.Component.valueOf(r.get(FAULTS.COMPONENT)),
                Times.instant(r.get(FAULTS.DETECTED_AT)), resolved, appliance);
        String ids = r.get(FAULTS.CUSTOMER_IDS);
        Affected affected = r.get(FAULTS.AFFECTS_ALL) ? Affected.everyone()
                : new Affected(false, ids.isBlank() ? java.util.Set.of() : Arrays.stream(ids.trim().split(" "))
                        .map(s -> new CustomerId(Long.parseLong(s))).collect(Collectors.toSet()));
        return new Entry(r.get(FAULTS.ID), r.get(FAULTS.FAULT_KEY), fault, r.get(FAULTS.SUMMARY), affected,
                Times.instant(r.get(FAULTS.DETECTED_AT)), Times.instant(r.get(FAULTS.LAST_SEEN_AT)),
                Optional.ofNullable(Times.instant(r.get(FAULTS.CONFIRMED_AT))), Optional.ofNullable(r.get(FAULTS.CONFIRMED_BY)),
                Optional.ofNullable(Times.instant(r.get(FAULTS.NOTIFIED_AT))), resolved, Optional.ofNullable(r.get(FAULTS.RESOLVED_BY)));
    }

    private static String customerIds(Affected affected) {
        String ids = affected.customers().stream().map(CustomerId::value).sorted().map(String::valueOf).collect(Collectors.joining(" "));
        if (ids.length() > 4000) {
            throw new IllegalArgumentException("too many customers listed for one fault (" + affected.customers().size()
                    + "): say it affects everyone");
        }
        return ids;
    }

    // ---- readings ----

    @Override
    public void ping(Duration timeout) {
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        db.selectOne().queryTimeout(seconds).fetch();
    }

    @Override
    public OutboxReading outbox(Instant stuckBefore, Instant givenUpSince) {
        Record stuck = db.select(DSL.count(), DSL.min(MAIL_OUTBOX.CREATED_AT)).from(MAIL_OUTBOX)
                .where(MAIL_OUTBOX.STATE.eq(SqlOutbox.PENDING)).and(MAIL_OUTBOX.CREATED_AT.lt(Times.column(stuckBefore)))
                .fetchOne();
        var givenUp = MAIL_OUTBOX.STATE.eq(SqlOutbox.GIVEN_UP).and(MAIL_OUTBOX.LAST_ATTEMPT_AT.ge(Times.column(givenUpSince)));
        int retried = db.fetchCount(MAIL_OUTBOX, givenUp.and(MAIL_OUTBOX.ATTEMPTS.gt(1)));
        int refused = db.fetchCount(MAIL_OUTBOX, givenUp.and(MAIL_OUTBOX.ATTEMPTS.le(1)));
        return new OutboxReading(stuck.get(0, Integer.class), Optional.ofNullable(Times.instant(stuck.get(1, java.time.OffsetDateTime.class))),
                retried, refused);
    }

    @Override
    public List<JobReading> jobs() {
        return db.selectFrom(SCHEDULED_TASKS).where(SCHEDULED_TASKS.TASK_INSTANCE.eq(RECURRING)).orderBy(SCHEDULED_TASKS.TASK_NAME)
                .fetch(r -> new JobReading(r.getTaskName(), Times.instant(r.getExecutionTime()), Boolean.TRUE.equals(r.getPicked()),
                        Optional.ofNullable(r.getPickedBy()), Optional.ofNullable(Times.instant(r.getLastSuccess())),
                        Optional.ofNullable(Times.instant(r.getLastFailure())),
                        r.getConsecutiveFailures() == null ? 0 : r.getConsecutiveFailures(),
                        Optional.ofNullable(Times.instant(r.getLastHeartbeat()))));
    }

    @Override
    public boolean eventsMadeSince(Instant since) {
        // An event id is a UUIDv7: its first 48 bits are the milliseconds it was made.
        return db.fetchExists(EVENTS, EVENTS.ID.ge(new UUID(since.toEpochMilli() << 16, 0L)));
    }

    @Override
    public List<HeartbeatReading> heartbeatsSince(Instant since) {
        return db.select(HEARTBEATS.APPLIANCE_ID, APPLIANCES.CUSTOMER_ID, HEARTBEATS.RECEIVED_AT, HEARTBEATS.STARTED_AT,
                        HEARTBEATS.COUNTERS_JSON)
                .from(HEARTBEATS).join(APPLIANCES).on(APPLIANCES.ID.eq(HEARTBEATS.APPLIANCE_ID))
                .where(HEARTBEATS.RECEIVED_AT.ge(Times.column(since)))
                .orderBy(HEARTBEATS.APPLIANCE_ID)
                .fetch(r -> new HeartbeatReading(new ApplianceId(r.get(HEARTBEATS.APPLIANCE_ID)), new CustomerId(r.get(APPLIANCES.CUSTOMER_ID)),
                        Times.instant(r.get(HEARTBEATS.RECEIVED_AT)), Times.instant(r.get(HEARTBEATS.STARTED_AT)),
                        JsonMaps.readLongs(r.get(HEARTBEATS.COUNTERS_JSON))));
    }
}
