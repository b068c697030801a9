package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_DAYS;
import static org.omamori.store.internal.schema.Tables.DEFINITIONS_UPDATES;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.grading.Grading;
import org.omamori.store.Heartbeat;
import org.omamori.store.IngestResult;
import org.omamori.store.IngestStore;
import org.omamori.store.internal.schema.tables.records.EventsRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest API's storage: activation, token lookup, idempotent batches, heartbeats. */
public final class SqlIngestStore implements IngestStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqlIngestStore.class);

    /** Rows per INSERT: 1,000 × 26 columns stays well under PostgreSQL's 65,535 bind values. */
    static final int ROWS_PER_STATEMENT = 1000;

    private final DSLContext db;
    private final Clock clock;

    private final boolean postgres;
    private final Grading grading;

    /** @param grading called in each batch's transaction with its new threat events; null for none */
    public SqlIngestStore(DSLContext db, Clock clock, boolean postgres, Grading grading) {
        this(db, clock, postgres, grading, new TokenCache());
    }

    /** @param cache the tokens found valid, shared with the store's other ingest stores and its RMAs */
    public SqlIngestStore(DSLContext db, Clock clock, boolean postgres, Grading grading, TokenCache cache) {
        this.tokens = cache.tokens;
        this.db = db;
        this.clock = clock;
        this.postgres = postgres;
        this.grading = grading;
    }

    private static List<EventsRecord> rows(List<Event> events, long customer, Instant now) {
        List<EventsRecord> rows = new ArrayList<>(events.size());
        for (Event e : events) {
            rows.add(EventRows.row(e, customer, now));
        }
        return rows;
    }

    /**
     * H2 (no ON CONFLICT outside its PostgreSQL mode): the appliance's ids already stored are looked
     * up, the others inserted in one multi-row INSERT. Race-free because the transaction holds the
     * appliance's row lock ({@link #customerLocked}): a concurrent batch of the same appliance waits
     * and then finds these ids stored, and no other appliance can hold the same key.
     */
    private static Set<UUID> insertNewH2(DSLContext t, ApplianceId appliance, List<EventsRecord> chunk) {
        Set<UUID> ids = new HashSet<>();
        for (EventsRecord r : chunk) {
            ids.add(r.getId());
        }
        // By id alone, the key's first column (a condition on appliance_id lets H2 pick the
        // (appliance_id, event_time) index and scan the appliance's rows); other appliances' rows dropped here.
        Set<UUID> known = new HashSet<>();
        t.select(EVENTS.ID, EVENTS.APPLIANCE_ID).from(EVENTS).where(EVENTS.ID.in(ids)).fetch()
                .forEach(r -> {
                    if (appliance.value().equals(r.value2())) {
                        known.add(r.value1());
                    }
                });
        List<EventsRecord> fresh = chunk.stream().filter(r -> !known.contains(r.getId())).toList();
        if (!fresh.isEmpty()) {
            t.insertInto(EVENTS).columns(EVENTS.fields()).valuesOfRecords(fresh).execute();
        }
        Set<UUID> inserted = new HashSet<>();
        fresh.forEach(r -> inserted.add(r.getId()));
        return inserted;
    }

    @Override
    public Optional<String> activate(ApplianceId appliance, String activationCode) {
        Objects.requireNonNull(appliance, "appliance");
        if (activationCode == null || activationCode.isEmpty()) {
            return Optional.empty();
        }
        String token = Secrets.newDeviceToken();
        // One statement: the code is checked and spent atomically, so two racing activations
        // cannot both win.
        int updated = db.update(APPLIANCES)
                .set(APPLIANCES.TOKEN_HASH, Secrets.hash(token))
                .setNull(APPLIANCES.ACTIVATION_CODE_HASH)
                .set(APPLIANCES.ACTIVATED_AT, Times.column(clock.instant()))
                .where(APPLIANCES.ID.eq(appliance.value()))
                .and(APPLIANCES.ACTIVATION_CODE_HASH.eq(Secrets.hash(activationCode)))
                .execute();
        if (updated == 1) {
            tokens.values().removeIf(k -> k.appliance().equals(appliance)); // the replaced token ends here at once
            return Optional.of(token);
        }
        return Optional.empty();
    }

    @Override
    public Optional<ApplianceId> authenticate(String deviceToken) {
        if (deviceToken == null || deviceToken.isEmpty()) {
            return Optional.empty();
        }
        String hash = Secrets.hash(deviceToken);
        long now = System.nanoTime();
        KnownToken known = tokens.get(hash);
        if (known != null && now - known.checkedAt() < TOKEN_CACHE_NANOS) {
            return Optional.of(known.appliance());
        }
        Optional<ApplianceId> found = db.select(APPLIANCES.ID).from(APPLIANCES)
                .where(APPLIANCES.TOKEN_HASH.eq(hash))
                .fetchOptional(APPLIANCES.ID)
                .map(ApplianceId::new);
        if (found.isPresent()) {
            if (tokens.size() >= MAX_CACHED_TOKENS) {
                tokens.clear(); // a bound, not a policy: the next calls look up again
            }
            tokens.put(hash, new KnownToken(found.get(), now));
        } else {
            tokens.remove(hash);
        }
        return found;
    }

    /** A token found valid, by its hash, and when: every batch of every appliance authenticates. */
    record KnownToken(ApplianceId appliance, long checkedAt) {
    }

    /**
     * The tokens found valid lately, shared by every ingest store of one {@link org.omamori.store.Store}
     * so that a revocation on this node (an RMA's swap, {@link #forget}) ends the token at once in all of them.
     */
    public static final class TokenCache {
        final java.util.concurrent.ConcurrentHashMap<String, KnownToken> tokens = new java.util.concurrent.ConcurrentHashMap<>();

        /** The appliance's cached tokens are forgotten: the next call looks its token up again. */
        public void forget(ApplianceId appliance) {
            tokens.values().removeIf(k -> k.appliance().equals(appliance));
        }
    }

    /**
     * How long a token found valid is taken as valid without asking the database: a token replaced by a
     * new activation ends at once on the node that activated, and within this time on the others.
     */
    static final long TOKEN_CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    static final int MAX_CACHED_TOKENS = 100_000;
    private final java.util.concurrent.ConcurrentHashMap<String, KnownToken> tokens;
    /** Appliance to customer, as registered (never changed): one query less per batch. */
    private final java.util.concurrent.ConcurrentHashMap<ApplianceId, Long> customerOf = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public IngestResult store(ApplianceId appliance, List<Event> events) {
        Objects.requireNonNull(appliance, "appliance");
        for (int i = 0; i < events.size(); i++) {
            ApplianceId other = events.get(i).appliance();
            if (!other.equals(appliance)) {
                throw new IllegalArgumentException("events[" + i + "].appliance: " + other
                        + " is not the appliance of this batch (" + appliance + "); nothing of the batch was stored");
            }
        }
        if (events.isEmpty()) {
            return new IngestResult(0, 0, 0);
        }
        // A batch that repeats an id counts the repeat as a duplicate, as a replay would be.
        Map<UUID, Event> unique = new LinkedHashMap<>();
        for (Event e : events) {
            unique.putIfAbsent(e.id().uuid(), e);
        }
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            try {
                return storeOnce(appliance, unique, events.size(), now);
            } catch (DataAccessException e) {
                if (attempt >= ATTEMPTS || !transient_(e)) {
                    throw e;
                }
                LOG.debug("batch of {} retried after a transient database error: {}", appliance, e.sqlState());
            }
        }
    }

    /**
     * H2: the appliance's customer, its row locked until the batch commits, so batches of one
     * appliance are stored one after the other (PostgreSQL needs no lock: ON CONFLICT DO NOTHING
     * waits for a racing insert of the same key and then skips it). Null when not registered.
     */
    private static Long customerLocked(DSLContext t, ApplianceId appliance) {
        return t.select(APPLIANCES.CUSTOMER_ID).from(APPLIANCES)
                .where(APPLIANCES.ID.eq(appliance.value()))
                .forUpdate()
                .fetchOne(APPLIANCES.CUSTOMER_ID);
    }

    /** Tries a batch this often when the database says a retry can succeed. */
    static final int ATTEMPTS = 3;

    /**
     * Errors a second try can get past: a row routed to the default partition while a day's
     * partition was attached (check violation), a serialization failure, a deadlock, H2's lock
     * timeout (a batch of the same appliance held the lock too long).
     */
    private static boolean transient_(DataAccessException e) {
        String state = e.sqlState();
        return "23514".equals(state) || "40001".equals(state) || "40P01".equals(state) || "HYT00".equals(state);
    }

    private IngestResult storeOnce(ApplianceId appliance, Map<UUID, Event> unique, int received, Instant now) {
        List<SqlGradingContext> graded = new ArrayList<>(1);
        int stored;
        try {
            stored = db.transactionResult(tx -> {
                DSLContext t = tx.dsl();
                Long customer = postgres ? customerOf.get(appliance) : customerLocked(t, appliance);
                if (customer == null && postgres) {
                    customer = t.select(APPLIANCES.CUSTOMER_ID).from(APPLIANCES)
                            .where(APPLIANCES.ID.eq(appliance.value()))
                            .fetchOne(APPLIANCES.CUSTOMER_ID);
                }
                if (customer == null) {
                    throw new IllegalArgumentException("appliance " + appliance + " is not registered; register it with Tenants first");
                }
                customerOf.putIfAbsent(appliance, customer); // an appliance never changes customer
                List<Event> all = List.copyOf(unique.values());
                Set<UUID> inserted = new HashSet<>();
                for (int from = 0; from < all.size(); from += ROWS_PER_STATEMENT) {
                    List<Event> chunk = all.subList(from, Math.min(all.size(), from + ROWS_PER_STATEMENT));
                    inserted.addAll(postgres ? PostgresInsert.insertNew(t, chunk, customer, now)
                            : insertNewH2(t, appliance, rows(chunk, customer, now)));
                }
                // Rows whose id is not near their time are noted, so dated reads know to read without the id range.
                Set<Long> outlierDays = new HashSet<>();
                for (Event e : all) {
                    if (inserted.contains(e.id().uuid()) && IdRanges.outlier(e.id().uuid(), e.time(), IdRanges.EVENT_SLACK)
                            && outlierDays.add(IdRanges.utcDay(e.time()))) {
                        IdRanges.note(t, customer, appliance.value(), e.time());
                    }
                }
                List<Event> threats = unique.values().stream()
                        .filter(e -> e.kind() == Kind.THREAT && inserted.contains(e.id().uuid()))
                        .sorted(Comparator.comparing(Event::time)).toList();
                ThreatDays.add(t, customer, appliance.value(), threats);
                ApplicationDays.add(t, customer, appliance.value(), unique.values().stream()
                        .filter(e -> ApplicationDays.counts(e) && inserted.contains(e.id().uuid())).toList());
                if (grading != null && !threats.isEmpty()) {
                    graded.add(grade(t, customer, appliance, now, threats));
                }
                return inserted.size();
            });
        } catch (RuntimeException e) {
            graded.forEach(g -> g.afterCompletion.forEach(a -> a.accept(false)));
            throw e;
        }
        graded.forEach(g -> g.afterCompletion.forEach(a -> a.accept(true)));
        return new IngestResult(received, stored, received - stored);
    }

    /**
     * Locks the customer's row (one customer is graded by one node at a time), grades, and moves
     * the customer's grading sequence on, all in the ingest transaction {@code t}.
     */
    private SqlGradingContext grade(DSLContext t, long customer, ApplianceId appliance, Instant now, List<Event> threats) {
        // One statement locks the row and moves the sequence on; the grader is current if it saw the one before.
        var locked = t.update(CUSTOMERS).set(CUSTOMERS.GRADING_SEQ, CUSTOMERS.GRADING_SEQ.plus(1))
                .where(CUSTOMERS.ID.eq(customer))
                .returningResult(CUSTOMERS.GRADING_SEQ, CUSTOMERS.ALERT_DISPLAY_PREFIX, CUSTOMERS.ALERT_DISPLAY_SEQ).fetchSingle();
        long sequence = locked.value1() - 1;
        Set<UUID> batch = new HashSet<>();
        threats.forEach(e -> batch.add(e.id().uuid()));
        // The row stays locked until the batch commits: display ids are given one batch at a time.
        DisplayIds displayIds = new DisplayIds(locked.value2(), locked.value3());
        SqlGradingContext context = new SqlGradingContext(t, customer, appliance, sequence, now, batch, displayIds);
        grading.grade(context, threats);
        context.flush();
        return context;
    }

    @Override
    public void heartbeat(ApplianceId appliance, Heartbeat h) {
        Objects.requireNonNull(appliance, "appliance");
        Objects.requireNonNull(h, "heartbeat");
        OffsetDateTime now = Times.column(clock.instant());
        String runtime = JsonMaps.write(h.runtime());
        String definitions = JsonMaps.write(h.definitions());
        String counters = JsonMaps.write(h.counters());
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            int known = t.fetchCount(APPLIANCES, APPLIANCES.ID.eq(appliance.value()));
            if (known == 0) {
                throw new IllegalArgumentException("appliance " + appliance + " is not registered; register it with Tenants first");
            }
            // The history the monthly report reads (V26): the hour's bit of the Japanese day, once per hour,
            // and a definitions update whenever the versions differ from the last heartbeat's.
            var before = t.select(HEARTBEATS.RECEIVED_AT, HEARTBEATS.DEFINITIONS_JSON).from(HEARTBEATS)
                    .where(HEARTBEATS.APPLIANCE_ID.eq(appliance.value())).fetchOne();
            java.time.ZonedDateTime jst = now.atZoneSameInstant(org.omamori.report.MonthlyFigures.ZONE);
            if (before == null || !before.value1().atZoneSameInstant(org.omamori.report.MonthlyFigures.ZONE)
                    .truncatedTo(java.time.temporal.ChronoUnit.HOURS).equals(jst.truncatedTo(java.time.temporal.ChronoUnit.HOURS))) {
                int bit = 1 << jst.getHour();
                t.insertInto(APPLIANCE_DAYS)
                        .set(APPLIANCE_DAYS.APPLIANCE_ID, appliance.value())
                        .set(APPLIANCE_DAYS.JST_DAY, jst.toLocalDate())
                        .set(APPLIANCE_DAYS.HOURS, bit)
                        .onConflict(APPLIANCE_DAYS.APPLIANCE_ID, APPLIANCE_DAYS.JST_DAY).doUpdate()
                        .set(APPLIANCE_DAYS.HOURS, APPLIANCE_DAYS.HOURS.bitOr(bit))
                        .execute();
            }
            if (before != null && !before.value2().equals(definitions)) {
                t.insertInto(DEFINITIONS_UPDATES).set(DEFINITIONS_UPDATES.APPLIANCE_ID, appliance.value())
                        .set(DEFINITIONS_UPDATES.UPDATED_AT, now).onConflictDoNothing().execute();
            }
            t.insertInto(HEARTBEATS)
                    .set(HEARTBEATS.APPLIANCE_ID, appliance.value())
                    .set(HEARTBEATS.RECEIVED_AT, now)
                    .set(HEARTBEATS.SENT_AT, Times.column(h.time()))
                    .set(HEARTBEATS.STARTED_AT, Times.column(h.startedAt()))
                    .set(HEARTBEATS.FIRMWARE_VERSION, h.firmwareVersion())
                    .set(HEARTBEATS.RUNTIME_JSON, runtime)
                    .set(HEARTBEATS.DEFINITIONS_JSON, definitions)
                    .set(HEARTBEATS.COUNTERS_JSON, counters)
                    .set(HEARTBEATS.DEFINITIONS_SINCE, now)
                    .onConflict(HEARTBEATS.APPLIANCE_ID).doUpdate()
                    // before definitions_json is set: compares the stored versions with the new ones
                    .set(HEARTBEATS.DEFINITIONS_SINCE, DSL.when(HEARTBEATS.DEFINITIONS_JSON.eq(definitions), HEARTBEATS.DEFINITIONS_SINCE)
                            .otherwise(now))
                    .set(HEARTBEATS.RECEIVED_AT, now)
                    .set(HEARTBEATS.SENT_AT, Times.column(h.time()))
                    .set(HEARTBEATS.STARTED_AT, Times.column(h.startedAt()))
                    .set(HEARTBEATS.FIRMWARE_VERSION, h.firmwareVersion())
                    .set(HEARTBEATS.RUNTIME_JSON, runtime)
                    .set(HEARTBEATS.DEFINITIONS_JSON, definitions)
                    .set(HEARTBEATS.COUNTERS_JSON, counters)
                    .execute();
        });
    }
}
