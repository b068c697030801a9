package org.omamori.store.internal;

import static org.omamori.store.Statistics.DAYS;
import static org.omamori.store.Statistics.MAX_DAYS;
import static org.omamori.store.Statistics.MIN_PEERS;
import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.ID_TIME_OUTLIERS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Result;
import org.omamori.grading.Grade;
import org.omamori.store.ApplianceDetections;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.Fleet;
import org.omamori.store.FunctionComparison;
import org.omamori.store.SecurityStatus;
import org.omamori.store.TenantScope;

/**
 * A customer's threats and alerts over a period for {@link SqlStatistics}: its security status
 * (threats per function and result, important alerts per grade, both per Japanese day, its fleet),
 * the comparison with its peers per function ({@link PeerTotals}) and per appliance.
 */
final class ThreatStatistics {

    private static final String NONE = Grade.NONE.name();

    private final DSLContext db;
    private final Fleet fleet;
    private final Clock clock;
    private final PeerTotals peers;

    ThreatStatistics(DSLContext db, Fleet fleet, Clock clock) {
        this.db = db;
        this.fleet = fleet;
        this.clock = clock;
        this.peers = new PeerTotals(db, clock);
    }

    Optional<SecurityStatus> status(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        List<LocalDate> days = days(from, to);
        Seen seen = seen(scope, customer, from, to);
        if (!seen.visible()) {
            return Optional.empty();
        }
        long c = customer.value();
        Condition raised = raised(c, from, to, seen.ranged());
        Map<String, long[]> byFunctionResult = new TreeMap<>();
        Map<LocalDate, Long> threatDays = new HashMap<>();
        for (ThreatDays.Count n : ThreatCounts.of(db, c, from, to, seen.ranged())) {
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
        Field<Long> alertDay = ThreatDays.jstDay(ALERTS.FIRST_TIME);
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

    Optional<FunctionComparison> compareWithPeers(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        days(from, to);
        Seen seen = seen(scope, customer, from, to);
        if (!seen.visible()) {
            return Optional.empty();
        }
        Map<String, Long> own = new HashMap<>();
        ThreatCounts.of(db, customer.value(), from, to, seen.ranged()).forEach(n -> own.merge(n.function(), n.threats(), Long::sum));
        PeerTotals.Peers peers = this.peers.of(from, to);
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

    List<ApplianceDetections> compareAppliances(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        days(from, to);
        Seen seen = seen(scope, customer, from, to);
        if (!seen.visible()) {
            return List.of();
        }
        Map<String, TreeMap<String, Long>> counts = new HashMap<>();
        ThreatCounts.of(db, customer.value(), from, to, seen.ranged())
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

    /** {@code ranged}: the rows may be looked for by the period's id range (partitions pruned). */
    private record Seen(boolean visible, boolean ranged) {
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
