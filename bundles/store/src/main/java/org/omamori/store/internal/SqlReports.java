package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_DAYS;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.DEFINITIONS_UPDATES;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;
import static org.omamori.store.internal.schema.Tables.MONTHLY_REPORTS;
import static org.omamori.store.internal.schema.Tables.RESELLERS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.omamori.grading.Grade;
import org.omamori.notify.Mail;
import org.omamori.report.MonthlyFigures;
import org.omamori.store.Addressee;
import org.omamori.store.ApplianceDetections;
import org.omamori.store.CustomerId;
import org.omamori.store.FunctionComparison;
import org.omamori.store.Reports;
import org.omamori.store.Statistics;
import org.omamori.store.TenantScope;

/** {@link Reports} on the tables of migration V26, the figures counted by {@link Statistics} and over the month's rows. */
public final class SqlReports implements Reports {

    private final DSLContext db;
    private final Statistics statistics;
    private final SqlOutbox outbox;
    private final Clock clock;

    public SqlReports(DSLContext db, Statistics statistics, SqlOutbox outbox, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(MonthlyFigures.ZONE).toInstant();
    }

    static Instant end(YearMonth month) {
        return start(month.plusMonths(1));
    }

    @Override
    public Optional<MonthlyFigures> figures(CustomerId customer, YearMonth month) {
        long c = customer.value();
        Record customerRow = db.select(CUSTOMERS.NAME, RESELLERS.EDITION).from(CUSTOMERS)
                .join(RESELLERS).on(RESELLERS.ID.eq(CUSTOMERS.RESELLER_ID))
                .where(CUSTOMERS.ID.eq(c)).fetchOne();
        if (customerRow == null) {
            return Optional.empty();
        }
        Instant from = start(month);
        Instant to = end(month);
        TenantScope operator = TenantScope.operator();
        FunctionComparison comparison = statistics.compareWithPeers(operator, customer, from, to).orElseThrow();
        List<MonthlyFigures.FunctionCount> functions = comparison.functions().stream()
                .filter(f -> f.own() > 0 || f.average().isPresent())
                .map(f -> new MonthlyFigures.FunctionCount(f.function().id(), f.own(),
                        f.average().isPresent() ? OptionalDouble.of(f.average().getAsDouble()) : OptionalDouble.empty()))
                .toList();

        // Appliances: detections, hours with a heartbeat, definitions updates.
        Instant until = to.isAfter(clock.instant()) ? clock.instant() : to;
        Map<String, Instant> registered = new HashMap<>();
        Map<String, Instant> definitionsSince = new HashMap<>();
        db.select(APPLIANCES.ID, APPLIANCES.REGISTERED_AT, HEARTBEATS.DEFINITIONS_SINCE).from(APPLIANCES)
                .leftJoin(HEARTBEATS).on(HEARTBEATS.APPLIANCE_ID.eq(APPLIANCES.ID))
                .where(APPLIANCES.CUSTOMER_ID.eq(c)).fetch().forEach(r -> {
                    registered.put(r.value1(), Times.instant(r.value2()));
                    if (r.value3() != null) {
                        definitionsSince.put(r.value1(), Times.instant(r.value3()));
                    }
                });
        Map<String, Long> hoursSeen = new HashMap<>();
        Map<String, Integer> updates = new HashMap<>();
        if (!registered.isEmpty()) {
            LocalDate first = month.atDay(1);
            LocalDate last = month.atEndOfMonth();
            db.select(APPLIANCE_DAYS.APPLIANCE_ID, APPLIANCE_DAYS.HOURS).from(APPLIANCE_DAYS)
                    .where(APPLIANCE_DAYS.APPLIANCE_ID.in(registered.keySet()))
                    .and(APPLIANCE_DAYS.JST_DAY.between(first, last))
                    .fetch().forEach(r -> hoursSeen.merge(r.value1(), (long) Integer.bitCount(r.value2()), Long::sum));
            db.select(DEFINITIONS_UPDATES.APPLIANCE_ID, DSL.count()).from(DEFINITIONS_UPDATES)
                    .where(DEFINITIONS_UPDATES.APPLIANCE_ID.in(registered.keySet()))
                    .and(DEFINITIONS_UPDATES.UPDATED_AT.ge(Times.column(from))).and(DEFINITIONS_UPDATES.UPDATED_AT.lt(Times.column(to)))
                    .groupBy(DEFINITIONS_UPDATES.APPLIANCE_ID)
                    .fetch().forEach(r -> updates.put(r.value1(), r.value2()));
        }
        List<MonthlyFigures.ApplianceFigures> appliances = new ArrayList<>();
        for (ApplianceDetections a : statistics.compareAppliances(operator, customer, from, to)) {
            String id = a.appliance().value();
            Map<String, Long> byFunction = new TreeMap<>();
            a.byFunction().forEach((f, n) -> byFunction.put(f.id(), n));
            Instant since = registered.getOrDefault(id, from);
            Instant counted = since.isAfter(from) ? since.truncatedTo(ChronoUnit.HOURS) : from;
            long expected = counted.isBefore(until) ? (Duration.between(counted, until).toMinutes() + 59) / 60 : 0;
            appliances.add(new MonthlyFigures.ApplianceFigures(id, a.name(), byFunction, hoursSeen.getOrDefault(id, 0L), expected,
                    updates.getOrDefault(id, 0), Optional.ofNullable(definitionsSince.get(id))));
        }

        // The ★★★ / ★★☆ alerts raised in the month, oldest first.
        var important = ALERTS.CUSTOMER_ID.eq(c)
                .and(ALERTS.FIRST_TIME.ge(Times.column(from))).and(ALERTS.FIRST_TIME.lt(Times.column(to)))
                .and(ALERTS.LAST_TIME.ge(Times.column(from))) // implied; what the index (customer_id, last_time) ranges over
                .and(ALERTS.GRADE.in(Grade.HIGH.name(), Grade.MEDIUM.name()));
        List<MonthlyFigures.ImportantAlert> alerts = db.select(ALERTS.DISPLAY_ID, ALERTS.GRADE, ALERTS.FIRST_TIME, ALERTS.SECURITY_FUNCTION,
                        ALERTS.TARGET, APPLIANCES.NAME, ALERTS.OPENING_RESULT, ALERTS.RESOLUTION, ALERTS.SUPPRESSED_BY)
                .from(ALERTS).leftJoin(APPLIANCES).on(APPLIANCES.ID.eq(ALERTS.APPLIANCE_ID))
                .where(important)
                .orderBy(ALERTS.FIRST_TIME, ALERTS.ID)
                .limit(MonthlyFigures.MAX_ALERTS)
                .fetch(r -> new MonthlyFigures.ImportantAlert(r.value1() == null ? "" : r.value1(), Grade.valueOf(r.value2()).stars(),
                        Times.instant(r.value3()), r.value4(), r.value5() == null ? "" : r.value5(), r.value6() == null ? "" : r.value6(),
                        Optional.ofNullable(r.value7()), Optional.ofNullable(r.value8()), r.value9() != null));
        long more = 0;
        if (alerts.size() == MonthlyFigures.MAX_ALERTS) {
            more = db.fetchCount(ALERTS, important) - alerts.size();
        }
        return Optional.of(new MonthlyFigures(c, customerRow.get(CUSTOMERS.NAME), Optional.ofNullable(customerRow.get(RESELLERS.EDITION)),
                month, comparison.participants(), functions, appliances, alerts, more));
    }

    @Override
    public List<CustomerId> pending(YearMonth month, long after, int limit) {
        return db.select(CUSTOMERS.ID).from(CUSTOMERS)
                .where(CUSTOMERS.ID.gt(after))
                .and(CUSTOMERS.CREATED_AT.lt(Times.column(end(month))))
                .andNotExists(DSL.selectOne().from(MONTHLY_REPORTS)
                        .where(MONTHLY_REPORTS.CUSTOMER_ID.eq(CUSTOMERS.ID)).and(MONTHLY_REPORTS.REPORT_MONTH.eq(month.atDay(1))))
                .orderBy(CUSTOMERS.ID)
                .limit(limit)
                .fetch(r -> new CustomerId(r.value1()));
    }

    @Override
    public Progress progress(YearMonth month) {
        long customers = db.fetchCount(CUSTOMERS, CUSTOMERS.CREATED_AT.lt(Times.column(end(month))));
        long made = db.fetchCount(MONTHLY_REPORTS, MONTHLY_REPORTS.REPORT_MONTH.eq(month.atDay(1)));
        return new Progress(customers, made);
    }

    @Override
    public boolean save(CustomerId customer, YearMonth month, byte[] pdf, Function<Addressee, Mail> mail) {
        Objects.requireNonNull(pdf, "pdf");
        Instant now = clock.instant();
        try {
            return db.transactionResult(tx -> {
                DSLContext t = tx.dsl();
                int stored = t.insertInto(MONTHLY_REPORTS)
                        .set(MONTHLY_REPORTS.CUSTOMER_ID, customer.value())
                        .set(MONTHLY_REPORTS.REPORT_MONTH, month.atDay(1))
                        .set(MONTHLY_REPORTS.PDF, pdf)
                        .set(MONTHLY_REPORTS.CREATED_AT, Times.column(now))
                        .onConflictDoNothing()
                        .execute();
                if (stored == 0) {
                    return false;
                }
                if (mail != null && Boolean.TRUE.equals(t.select(CUSTOMERS.REPORT_MAIL).from(CUSTOMERS)
                        .where(CUSTOMERS.ID.eq(customer.value())).fetchOne(CUSTOMERS.REPORT_MAIL))) {
                    Optional<Addressee> to = SqlMonitoring.addressee(t, customer.value());
                    if (to.isPresent()) {
                        outbox.enqueue(t, "report:" + month + ":" + customer.value(), mail.apply(to.get()), now);
                    }
                }
                return true;
            });
        } catch (IntegrityConstraintViolationException e) {
            return false; // another worker stored it meanwhile
        }
    }

    @Override
    public Optional<byte[]> get(TenantScope scope, CustomerId customer, YearMonth month) {
        return Optional.ofNullable(db.select(MONTHLY_REPORTS.PDF).from(MONTHLY_REPORTS)
                .where(MONTHLY_REPORTS.CUSTOMER_ID.eq(customer.value())).and(MONTHLY_REPORTS.REPORT_MONTH.eq(month.atDay(1)))
                .and(Scopes.customers(MONTHLY_REPORTS.CUSTOMER_ID, scope))
                .fetchOne(MONTHLY_REPORTS.PDF));
    }

    @Override
    public List<Stored> list(TenantScope scope, CustomerId customer) {
        return db.select(MONTHLY_REPORTS.REPORT_MONTH, MONTHLY_REPORTS.CREATED_AT, DSL.field("octet_length({0})", Integer.class, MONTHLY_REPORTS.PDF))
                .from(MONTHLY_REPORTS)
                .where(MONTHLY_REPORTS.CUSTOMER_ID.eq(customer.value()))
                .and(Scopes.customers(MONTHLY_REPORTS.CUSTOMER_ID, scope))
                .orderBy(MONTHLY_REPORTS.REPORT_MONTH.desc())
                .fetch(r -> new Stored(customer, YearMonth.from(r.value1()), Times.instant(r.value2()), r.value3()));
    }

    @Override
    public void setMail(CustomerId customer, boolean wanted) {
        if (db.update(CUSTOMERS).set(CUSTOMERS.REPORT_MAIL, wanted).where(CUSTOMERS.ID.eq(customer.value())).execute() == 0) {
            throw new IllegalArgumentException(customer + " does not exist");
        }
    }

    @Override
    public boolean wantsMail(TenantScope scope, CustomerId customer) {
        Boolean wanted = db.select(CUSTOMERS.REPORT_MAIL).from(CUSTOMERS).where(CUSTOMERS.ID.eq(customer.value()))
                .and(Scopes.customers(CUSTOMERS.ID, scope)).fetchOne(CUSTOMERS.REPORT_MAIL);
        return Boolean.TRUE.equals(wanted);
    }
}
