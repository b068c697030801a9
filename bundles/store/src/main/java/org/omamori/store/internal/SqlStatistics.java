package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;
import static org.omamori.store.internal.schema.Tables.ID_TIME_OUTLIERS;
import static org.omamori.store.internal.schema.Tables.THREAT_DAYS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.grading.AlertId;
import org.omamori.grading.Grade;
import org.omamori.store.AlertCursor;
import org.omamori.store.AlertPage;
import org.omamori.store.AlertQuery;
import org.omamori.store.AlertRow;
import org.omamori.store.ApplianceDetections;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.CustomerOverview;
import org.omamori.store.ResellerId;
import org.omamori.store.Fleet;
import org.omamori.store.FunctionComparison;
import org.omamori.store.SecurityStatus;
import org.omamori.store.Statistics;
import org.omamori.store.StoredEvent;
import org.omamori.store.TenantScope;

/**
 * The portal's statistics, counted by the database: threats from the daily roll-up {@link ThreatDays}
 * (whole Japanese days; the partial days of a period not on Japanese midnights from the events),
 * alerts grouped over the customer's rows of the period (index alerts(customer_id, last_time)), the
 * peers' totals over every participant's days of the period, computed once a minute per period.
 */
public final class SqlStatistics implements Statistics {

    private static final String THREAT = Kind.THREAT.wire();
    private static final String NONE = Grade.NONE.name();

    private final DSLContext db;
    private final Fleet fleet;
    private final Clock clock;

    public SqlStatistics(DSLContext db, Fleet fleet, Clock clock) {
        this.db = db;
        this.fleet = fleet;
        this.clock = clock;
    }

    @Override
    public Optional<SecurityStatus> status(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        List<LocalDate> days = days(from, to);
        Seen seen = seen(scope, customer, from, to);
        if (!seen.visible()) {
            return Optional.empty();
        }
        long c = customer.value();
        Condition raised = raised(c, from, to, seen.ranged());
        Map<String, long[]> byFunctionResult = new TreeMap<>();
        Map<LocalDate, Long> threatDays = new HashMap<>();
        for (ThreatDays.Count n : threatCounts(c, from, to, seen.ranged())) {
            byFunctionResult.computeIfAbsent(n.function() + " " + n.result(), k -> new long[1])[0] += n.threats();
            threatDays.merge(LocalDate.ofEpochDay(n.jstDay()), n.threats(), Long::sum);
        }
        List<SecurityStatus.ThreatCount> counts = new ArrayList<>();
        byFunctionResult.forEach((k, n) -> {
            int space = k.indexOf(' ');
            counts.add(new SecurityStatus.ThreatCount(new SecurityFunction(k.substring(0, space)),
                    Result.fromWire(k.substring(space + 1)), n[0]));
        });
        counts.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
                : (a.function().id() + " " + a.result().wire()).compareTo(b.function().id() + " " + b.result().wire()));

        Field<Boolean> suppressed = DSL.field(ALERTS.SUPPRESSED_BY.isNotNull());
        Field<Long> alertDay = jstDay(ALERTS.FIRST_TIME);
        Map<Grade, Long> grades = new EnumMap<>(Grade.class);
        Map<LocalDate, Long> alertDays = new HashMap<>();
        long[] silenced = {0};
        db.select(ALERTS.GRADE, suppressed, alertDay, DSL.count()).from(ALERTS).where(raised)
                .groupBy(ALERTS.GRADE, suppressed, alertDay)
                .fetch().forEach(r -> {
                    if (Boolean.TRUE.equals(r.value2())) {
                        silenced[0] += r.value4();
                    } else {
                        grades.merge(Grade.valueOf(r.value1()), (long) r.value4(), Long::sum);
                        alertDays.merge(LocalDate.ofEpochDay(r.value3()), (long) r.value4(), Long::sum);
                    }
                });
        List<SecurityStatus.Day> series = days.stream()
                .map(d -> new SecurityStatus.Day(d, threatDays.getOrDefault(d, 0L), alertDays.getOrDefault(d, 0L)))
                .toList();

        int online = 0;
        int stopped = 0;
        int never = 0;
        for (ApplianceStatus a : fleet.status(TenantScope.customer(customer), clock.instant())) {
            switch (a.liveness()) {
                case ONLINE -> online++;
                case STOPPED -> stopped++;
                case NEVER_SEEN -> never++;
            }
        }
        return Optional.of(new SecurityStatus(customer, from, to, counts, grades, silenced[0],
                new SecurityStatus.Appliances(online, stopped, never), series));
    }

    @Override
    public AlertPage alerts(TenantScope scope, AlertQuery q) {
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

    @Override
    public Optional<AlertRow> alert(TenantScope scope, AlertId id) {
        Objects.requireNonNull(id, "id");
        List<Record> found = alertsWithNames()
                .where(Scopes.customers(ALERTS.CUSTOMER_ID, scope).and(ALERTS.ID.eq(id.uuid()))).limit(2).fetch();
        return found.size() == 1 ? Optional.of(rows(found).getFirst()) : Optional.empty();
    }

    @Override
    public Optional<AlertRow> alertByDisplayId(TenantScope scope, String displayId) {
        return byDisplayId(scope, null, displayId);
    }

    @Override
    public Optional<AlertRow> alertByDisplayId(TenantScope scope, CustomerId customer, String displayId) {
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

    @Override
    public List<StoredEvent> alertEvents(TenantScope scope, AlertId alert, int limit) {
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

    @Override
    public List<CustomerOverview> customerOverview(TenantScope scope, Instant now) {
        Objects.requireNonNull(now, "now");
        // The scope's customers with their fleets and alert versions, in name order; then the open
        // alerts of those whose counts kept here are not current (OpenCount), by customer id. Joined in
        // one statement, a reseller's scope made PostgreSQL read every customer's open alerts to keep a tenth.
        var silentSince = Times.column(now.minus(Fleet.STOPPED_AFTER));
        Field<Long> fleetCustomer = APPLIANCES.CUSTOMER_ID.as("customer_id");
        Field<Integer> total = DSL.count().as("total");
        Field<Integer> stopped = DSL.count().filterWhere(HEARTBEATS.RECEIVED_AT.le(silentSince)).as("stopped");
        Field<Integer> never = DSL.count().filterWhere(HEARTBEATS.RECEIVED_AT.isNull()).as("never");
        Field<OffsetDateTime> last = DSL.max(HEARTBEATS.RECEIVED_AT).as("last_contact");
        Field<OffsetDateTime> definitions = DSL.min(HEARTBEATS.DEFINITIONS_SINCE).as("definitions_since");
        var fleet = DSL.select(fleetCustomer, total, stopped, never, last, definitions).from(APPLIANCES)
                .leftJoin(HEARTBEATS).on(HEARTBEATS.APPLIANCE_ID.eq(APPLIANCES.ID))
                .where(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope))
                .groupBy(APPLIANCES.CUSTOMER_ID).asTable("fleet");
        var rows = db.select(CUSTOMERS.ID, CUSTOMERS.NAME, CUSTOMERS.RESELLER_ID,
                        DSL.coalesce(fleet.field(total), 0), DSL.coalesce(fleet.field(stopped), 0),
                        DSL.coalesce(fleet.field(never), 0), fleet.field(last), fleet.field(definitions), CUSTOMERS.ALERTS_VERSION)
                .from(CUSTOMERS)
                .leftJoin(fleet).on(fleet.field(fleetCustomer).eq(CUSTOMERS.ID))
                .where(Scopes.customers(CUSTOMERS.ID, scope))
                .orderBy(CUSTOMERS.NAME, CUSTOMERS.ID)
                .fetch();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> versions = new HashMap<>();
        rows.forEach(r -> versions.put(r.value1(), r.value9()));
        Map<Long, OpenCount> counts = openCounts(versions, now);
        List<CustomerOverview> counted = new ArrayList<>(rows.size());
        for (var r : rows) {
            OpenCount n = counts.get(r.value1());
            counted.add(new CustomerOverview(new CustomerId(r.value1()), r.value2(), new ResellerId(r.value3()), n.high(), n.medium(),
                    r.value4(), r.value5(), r.value6(), Optional.ofNullable(Times.instant(r.value7())),
                    Optional.ofNullable(Times.instant(r.value8()))));
        }
        // A stable sort keeps the database's name order among equals.
        counted.sort(Comparator.comparingLong(CustomerOverview::openHigh).reversed()
                .thenComparing(Comparator.comparingLong(CustomerOverview::openMedium).reversed())
                .thenComparing(Comparator.comparingInt(CustomerOverview::stopped).reversed()));
        return counted;
    }

    /**
     * A customer's open important alerts as counted at {@code counted} ("now" of that count) when its
     * alerts were at {@code version}. Still right at a later {@code now} while the version has not moved
     * and no counted alert has left the window: until the oldest one's first time + {@link #OPEN_WITHIN}.
     */
    private record OpenCount(long version, Instant counted, Instant until, long high, long medium) {

        boolean currentAt(long version, Instant now) {
            return this.version == version && !now.isBefore(counted) && now.isBefore(until);
        }
    }

    /** Counts kept per customer (any scope: counts are the customer's own); bounded, cleared when full. */
    private final java.util.concurrent.ConcurrentHashMap<Long, OpenCount> openCounts = new java.util.concurrent.ConcurrentHashMap<>();
    static final int OPEN_COUNTS_KEPT = 200_000;

    /** The open ★★★ / ★★☆ counts of the customers (id → alerts version), counting only those not kept current. */
    private Map<Long, OpenCount> openCounts(Map<Long, Long> versions, Instant now) {
        Map<Long, OpenCount> result = new HashMap<>();
        List<Long> stale = new ArrayList<>();
        versions.forEach((customer, version) -> {
            OpenCount kept = openCounts.get(customer);
            if (kept != null && kept.currentAt(version, now)) {
                result.put(customer, kept);
            } else {
                stale.add(customer);
            }
        });
        if (stale.isEmpty()) {
            return result;
        }
        var since = Times.column(now.minus(OPEN_WITHIN));
        Map<Long, Record> found = new HashMap<>();
        // No id range: 90 days are every alert month retention keeps.
        db.select(ALERTS.CUSTOMER_ID, DSL.count().filterWhere(ALERTS.GRADE.eq(DSL.inline(Grade.HIGH.name()))), DSL.count(),
                        DSL.min(ALERTS.FIRST_TIME))
                .from(ALERTS)
                .where(ALERTS.CUSTOMER_ID.eq(DSL.any(stale.toArray(Long[]::new))))
                // literals, not binds: any plan then matches the partial index alerts_open_important (PostgreSQL, V14_2)
                .and(ALERTS.STATE.eq(DSL.inline(AlertRows.OPEN))).and(ALERTS.SUPPRESSED_BY.isNull())
                .and(ALERTS.GRADE.in(DSL.inline(Grade.HIGH.name()), DSL.inline(Grade.MEDIUM.name())))
                .and(ALERTS.FIRST_TIME.ge(since)).and(ALERTS.LAST_TIME.ge(since)) // implied; bounds H2's (customer_id, last_time) scan
                .groupBy(ALERTS.CUSTOMER_ID)
                .fetch().forEach(r -> found.put(r.value1(), r));
        if (openCounts.size() > OPEN_COUNTS_KEPT) {
            openCounts.clear(); // a bound, not a policy: the next pages count again
        }
        for (Long customer : stale) {
            Record r = found.get(customer);
            OpenCount n = r == null
                    ? new OpenCount(versions.get(customer), now, Instant.MAX, 0, 0)
                    : new OpenCount(versions.get(customer), now, Times.instant(r.get(3, OffsetDateTime.class)).plus(OPEN_WITHIN),
                            r.get(1, Integer.class), r.get(2, Integer.class) - r.get(1, Integer.class));
            openCounts.put(customer, n);
            result.put(customer, n);
        }
        return result;
    }

    @Override
    public List<AlertRow> search(TenantScope scope, String text, int limit) {
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

    @Override
    public Optional<FunctionComparison> compareWithPeers(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        days(from, to);
        Seen seen = seen(scope, customer, from, to);
        if (!seen.visible()) {
            return Optional.empty();
        }
        Map<String, Long> own = new HashMap<>();
        threatCounts(customer.value(), from, to, seen.ranged()).forEach(n -> own.merge(n.function(), n.threats(), Long::sum));
        Peers peers = peers(from, to);
        int participants = peers.participants();
        Map<String, Long> all = peers.totals();
        TreeSet<String> functions = new TreeSet<>(own.keySet());
        functions.addAll(all.keySet());
        List<FunctionComparison.FunctionCount> rows = new ArrayList<>();
        for (String f : functions) {
            OptionalDouble average = participants >= MIN_PEERS
                    ? OptionalDouble.of(all.getOrDefault(f, 0L) / (double) participants)
                    : OptionalDouble.empty();
            rows.add(new FunctionComparison.FunctionCount(new SecurityFunction(f), own.getOrDefault(f, 0L), average));
        }
        return Optional.of(new FunctionComparison(customer, from, to, participants, rows));
    }

    /** The participants and their threat events per function in a period: the same for every customer who asks. */
    private record Peers(int participants, Map<String, Long> totals) {
    }

    /** How long the peers' totals of a period are reused (docs/store.md: an average up to this old). */
    static final Duration PEERS_FOR = Duration.ofSeconds(60);
    /** Periods whose peers' totals are kept at once; the oldest goes first. */
    static final int PEERS_KEPT = 32;

    private record Period(Instant from, Instant to) {
    }

    private record Computed(java.util.concurrent.CompletableFuture<Peers> peers, Instant madeAt) {
    }

    private final LinkedHashMap<Period, Computed> peers = new LinkedHashMap<>();

    /**
     * The peers' totals of the period, computed once and reused for {@link #PEERS_FOR} (each caller's
     * own counts stay live): one scan of every participant's threats per period and minute, not one per
     * call. Callers asking while it is computed wait for that computation rather than start their own.
     */
    private Peers peers(Instant from, Instant to) {
        Period key = new Period(from, to);
        java.util.concurrent.CompletableFuture<Peers> mine;
        Computed found;
        Instant now = clock.instant(); // the store's clock: tests move it
        synchronized (peers) {
            found = peers.get(key);
            if (found != null && !found.peers().isCompletedExceptionally() && (!found.peers().isDone()
                    || !now.isBefore(found.madeAt()) && now.isBefore(found.madeAt().plus(PEERS_FOR)))) {
                mine = null;
            } else {
                mine = new java.util.concurrent.CompletableFuture<>();
                found = new Computed(mine, now);
                peers.remove(key);
                peers.put(key, found);
                while (peers.size() > PEERS_KEPT) {
                    peers.remove(peers.keySet().iterator().next());
                }
            }
        }
        if (mine != null) {
            try {
                mine.complete(computePeers(from, to));
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                synchronized (peers) {
                    peers.remove(key, found);
                }
                throw e;
            }
        }
        try {
            return found.peers().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private Peers computePeers(Instant from, Instant to) {
        // Participants: customers with an appliance registered before the period's end. Only their
        // number and their totals leave the database, never who they are.
        var participating = DSL.select(APPLIANCES.CUSTOMER_ID).from(APPLIANCES)
                .where(APPLIANCES.REGISTERED_AT.lt(Times.column(to)));
        int participants = db.fetchValue(DSL.select(DSL.countDistinct(APPLIANCES.CUSTOMER_ID)).from(APPLIANCES)
                .where(APPLIANCES.REGISTERED_AT.lt(Times.column(to))));
        Map<String, Long> all = Map.of();
        if (participants >= MIN_PEERS) {
            Condition theirs = THREAT_DAYS.CUSTOMER_ID.in(participating);
            Map<String, Long> totals = new HashMap<>();
            Whole whole = Whole.of(from, to);
            if (whole.any()) {
                ThreatDays.totals(db, theirs, whole.firstDay(), whole.endDay()).forEach((f, n) -> totals.merge(f, n, Long::sum));
            }
            for (Instant[] part : whole.partsOutside()) {
                boolean ranged = !db.fetchValue(DSL.field(IdRanges.noted(DSL.noCondition(), part[0], part[1])));
                byFunction(threats(EVENTS.CUSTOMER_ID.in(participating), part[0], part[1], ranged))
                        .forEach((f, n) -> totals.merge(f, n, Long::sum));
            }
            all = Map.copyOf(totals);
        }
        return new Peers(participants, all);
    }

    @Override
    public List<ApplianceDetections> compareAppliances(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        days(from, to);
        Seen seen = seen(scope, customer, from, to);
        if (!seen.visible()) {
            return List.of();
        }
        Map<String, TreeMap<String, Long>> counts = new HashMap<>();
        threatCounts(customer.value(), from, to, seen.ranged())
                .forEach(n -> counts.computeIfAbsent(n.appliance(), k -> new TreeMap<>()).merge(n.function(), n.threats(), Long::sum));
        return db.select(APPLIANCES.ID, APPLIANCES.NAME).from(APPLIANCES)
                .where(APPLIANCES.CUSTOMER_ID.eq(customer.value()))
                .orderBy(APPLIANCES.ID)
                .fetch(r -> {
                    Map<SecurityFunction, Long> map = new LinkedHashMap<>();
                    counts.getOrDefault(r.value1(), new TreeMap<>()).forEach((f, n) -> map.put(new SecurityFunction(f), n));
                    return new ApplianceDetections(new ApplianceId(r.value1()), r.value2(), Collections.unmodifiableMap(map));
                });
    }

    // ---- helpers ----

    /**
     * Whether the scope may see the customer, and whether its rows of the period may be looked for by
     * the period's id range ({@link IdRanges}: no outlier noted on the period's days), in one statement.
     */
    private Seen seen(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        var r = db.select(
                        DSL.field(DSL.exists(DSL.selectOne().from(CUSTOMERS)
                                .where(CUSTOMERS.ID.eq(customer.value()).and(Scopes.customers(CUSTOMERS.ID, scope))))),
                        DSL.field(IdRanges.noted(ID_TIME_OUTLIERS.CUSTOMER_ID.eq(customer.value()), from, to)))
                .fetchSingle();
        return new Seen(Boolean.TRUE.equals(r.value1()), !Boolean.TRUE.equals(r.value2()));
    }

    /**
     * The customer's threats of {@code [from, to)} per appliance, function, result and Japanese day:
     * the whole Japanese days from the roll-up ({@link ThreatDays}), the partial days at either end
     * (a period not on Japanese midnights; the portal asks for whole days) from the events.
     */
    private List<ThreatDays.Count> threatCounts(long customer, Instant from, Instant to, boolean ranged) {
        Whole whole = Whole.of(from, to);
        List<ThreatDays.Count> counts = new ArrayList<>();
        if (whole.any()) {
            counts.addAll(ThreatDays.of(db, customer, whole.firstDay(), whole.endDay()));
        }
        Field<Long> day = jstDay(EVENTS.EVENT_TIME);
        for (Instant[] part : whole.partsOutside()) {
            db.select(EVENTS.APPLIANCE_ID, EVENTS.SECURITY_FUNCTION, EVENTS.RESULT, day, occurrences())
                    .from(EVENTS).where(threats(EVENTS.CUSTOMER_ID.eq(customer), part[0], part[1], ranged))
                    .groupBy(EVENTS.APPLIANCE_ID, EVENTS.SECURITY_FUNCTION, EVENTS.RESULT, day)
                    .fetch().forEach(r -> counts.add(new ThreatDays.Count(r.value1(), r.value2(), r.value3(), r.value4(), r.value5())));
        }
        return counts;
    }

    /** A period {@code [from, to)} and the whole Japanese days {@code [firstDay, endDay)} within it (none when {@code firstDay >= endDay}). */
    private record Whole(Instant from, Instant to, long firstDay, long endDay) {

        static Whole of(Instant from, Instant to) {
            long first = ThreatDays.jstDay(from);
            if (ThreatDays.start(first).isBefore(from)) {
                first++;
            }
            return new Whole(from, to, first, ThreatDays.jstDay(to));
        }

        boolean any() {
            return firstDay < endDay;
        }

        /** The parts of the period outside the whole days: none, one or two ranges. */
        List<Instant[]> partsOutside() {
            if (!any()) {
                return List.<Instant[]>of(new Instant[] {from, to});
            }
            List<Instant[]> parts = new ArrayList<>(2);
            Instant wholeFrom = ThreatDays.start(firstDay);
            Instant wholeTo = ThreatDays.start(endDay);
            if (from.isBefore(wholeFrom)) {
                parts.add(new Instant[] {from, wholeFrom});
            }
            if (wholeTo.isBefore(to)) {
                parts.add(new Instant[] {wholeTo, to});
            }
            return parts;
        }
    }

    /** {@code ranged}: the rows may be looked for by the period's id range (partitions pruned). */
    private record Seen(boolean visible, boolean ranged) {
    }

    /** Threat events of the customers {@code whose} selects in {@code [from, to)}. */
    private static Condition threats(Condition whose, Instant from, Instant to, boolean ranged) {
        return whose
                .and(EVENTS.EVENT_TIME.ge(Times.column(from)))
                .and(EVENTS.EVENT_TIME.lt(Times.column(to)))
                .and(EVENTS.KIND.eq(THREAT))
                .and(ranged ? IdRanges.within(EVENTS.ID, from, to, IdRanges.EVENT_SLACK) : DSL.noCondition());
    }

    /** Important alerts (not NONE) of the customer raised in the period. */
    private static Condition raised(long customer, Instant from, Instant to, boolean ranged) {
        return ALERTS.CUSTOMER_ID.eq(customer)
                .and(ALERTS.FIRST_TIME.ge(Times.column(from)))
                .and(ALERTS.FIRST_TIME.lt(Times.column(to)))
                .and(ALERTS.LAST_TIME.ge(Times.column(from)))
                .and(ALERTS.GRADE.ne(NONE))
                .and(ranged ? IdRanges.within(ALERTS.ID, from, to, IdRanges.ALERT_SLACK) : DSL.noCondition());
    }

    private Map<String, Long> byFunction(Condition where) {
        Map<String, Long> map = new HashMap<>();
        db.select(EVENTS.SECURITY_FUNCTION, occurrences()).from(EVENTS).where(where)
                .groupBy(EVENTS.SECURITY_FUNCTION)
                .fetch().forEach(r -> map.put(r.value1(), r.value2()));
        return map;
    }

    /**
     * What a group of events stands for: the sum of their counts (an event may fold several
     * occurrences, V32, decision 0028), not the number of rows.
     */
    private static Field<Long> occurrences() {
        return DSL.sum(EVENTS.OCCURRENCES).cast(SQLDataType.BIGINT);
    }

    /**
     * The Japanese day of {@code time} as its number since 1970-01-01, computed by the database: Japan
     * keeps +09:00 all year (no daylight saving since 1951), so the day is the epoch second plus nine
     * hours, divided by a day. Portable where {@code AT TIME ZONE} and casts to DATE are not (H2 casts
     * in the session's zone).
     */
    private static Field<Long> jstDay(Field<OffsetDateTime> time) {
        return DSL.field("floor((extract(epoch from {0}) + " + ThreatDays.JST_OFFSET_SECONDS + ") / 86400)", SQLDataType.BIGINT, time);
    }

    /** The Japanese days {@code [from, to)} touches; checks the period. */
    private static List<LocalDate> days(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the period is empty: from " + from + " is not before to " + to);
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw new IllegalArgumentException("the period is longer than " + MAX_DAYS + " days: " + from + " to " + to);
        }
        LocalDate first = LocalDate.ofInstant(from, DAYS);
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), DAYS);
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }
}
