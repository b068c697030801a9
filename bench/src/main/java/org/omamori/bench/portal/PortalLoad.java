package org.omamori.bench.portal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventId;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.AlertId;
import org.omamori.grading.Facts;
import org.omamori.grading.Grade;
import org.omamori.grading.InternalHost;
import org.omamori.store.AlertPage;
import org.omamori.store.AlertQuery;
import org.omamori.store.ApplianceDetections;
import org.omamori.store.Customer;
import org.omamori.store.CustomerId;
import org.omamori.store.FunctionComparison;
import org.omamori.grading.Grading;
import org.omamori.grading.GradingContext;
import org.omamori.store.Heartbeat;
import org.omamori.store.IngestStore;
import org.omamori.store.Reseller;
import org.omamori.store.ResellerId;
import org.omamori.store.SecurityStatus;
import org.omamori.store.Statistics;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;

/**
 * The portal's store queries under load (bench/README.md "Portal queries under load"): a generated
 * data set of resellers, customers, appliances and 90 days of events and alerts in PostgreSQL,
 * written through the real store (tenancy, the graded ingest path, heartbeats), then 50 concurrent
 * callers per query through the store's public API, with a raw {@code SELECT 1} and a primary-key
 * lookup through the same pool as baselines, then each query's plan ({@code auto_explain} with
 * ANALYZE and BUFFERS, read from the server's log) and the indexes it used.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.omamori.bench.portal.PortalLoad [seconds] [callers]
 *   -Dregenerate=true  -Dcustomers=1000 -Dresellers=10 -Ddays=90 -DeventsPerDay=25 -Dthreats=0.05
 *   -DalertsPerWeek=3 -DgenThreads=3 -DpoolSize=10 -Dwarmup=5 -Dqueries=select1,pk,status,...
 *   -Dmix=true -Dplans=true -DpgLog=/var/log/postgresql/postgresql-15-main.log -DplansFile=/tmp/portal-plans.txt
 *   -Dsql="CREATE INDEX ..." (run in the bench database before measuring: to try a proposed index)
 * </pre>
 */
public final class PortalLoad {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DATABASE = System.getProperty("database", "omamori_bench_portal");

    // ---- data set ----
    static final int CUSTOMERS = Integer.getInteger("customers", 1000);
    static final int RESELLERS = Integer.getInteger("resellers", 10);
    static final int DAYS = Integer.getInteger("days", 90);
    static final double EVENTS_PER_DAY = Double.parseDouble(System.getProperty("eventsPerDay", "25"));
    static final double THREAT_SHARE = Double.parseDouble(System.getProperty("threats", "0.05"));
    static final double ALERTS_PER_WEEK = Double.parseDouble(System.getProperty("alertsPerWeek", "3"));
    static final int GEN_THREADS = Integer.getInteger("genThreads", 3);
    static final long SEED = Long.getLong("seed", 20261205L);

    // ---- load ----
    static final int POOL = Integer.getInteger("poolSize", 10);
    static final int WARMUP = Integer.getInteger("warmup", 5);

    private PortalLoad() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        String jdbcUrl = SERVER + DATABASE;

        Meta meta = Boolean.getBoolean("regenerate") ? null : Meta.read(jdbcUrl);
        if (meta == null) {
            meta = generate(jdbcUrl);
        } else {
            System.out.printf(Locale.ROOT, "data set kept in %s (generated %s in %.0f s; -Dregenerate=true makes it again)%n",
                    DATABASE, meta.generatedAt, meta.generationMillis / 1000.0);
        }
        System.out.println(meta.describe(jdbcUrl));

        String extra = System.getProperty("sql", "").trim();
        if (!extra.isEmpty()) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
                for (String one : extra.split(";")) {
                    if (!one.isBlank()) {
                        long t = System.nanoTime();
                        s.execute(one);
                        System.out.printf(Locale.ROOT, "-Dsql: %s (%.1f s)%n", one.trim(), (System.nanoTime() - t) / 1e9);
                    }
                }
                s.execute("ANALYZE events");
                s.execute("ANALYZE alerts");
            }
        }

        Instant now = meta.anchor;
        long tOpen = System.nanoTime();
        Store opened;
        try {
            opened = Store.open(new StoreSettings(jdbcUrl, "postgres", "", POOL), Clock.fixed(now, ZoneOffset.UTC));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot open the kept data set with this store (a migration changed since it was"
                    + " made?): run again with -Dregenerate=true", e);
        }
        if (System.nanoTime() - tOpen > 5_000_000_000L) {
            System.out.printf(Locale.ROOT, "store opened in %.0f s (Flyway migrated the kept data set to this store's schema)%n",
                    (System.nanoTime() - tOpen) / 1e9);
        }
        try (Store store = opened) {
            Queries q = new Queries(store, now);
            q.check();
            Set<String> only = new LinkedHashSet<>(Arrays.asList(System.getProperty("queries",
                    "select1,pk,status,alerts,peers,appliances,overview").split(",")));
            Map<String, Stats> results = new LinkedHashMap<>();
            System.out.printf(Locale.ROOT, "%n%d callers (platform threads), store pool %d, %d s warm-up + %d s per query; 'now' = %s%n",
                    callers, POOL, WARMUP, seconds, now);
            for (String name : only) {
                if (!q.has(name)) {
                    System.out.println(name + ": not available in this store (skipped)");
                    continue;
                }
                Map<String, Stats> one = run(callers, WARMUP, seconds, List.of(name), q);
                results.putAll(one);
                System.out.println(one.get(name).line(name));
            }
            Map<String, Stats> mixed = Map.of();
            if (!"false".equals(System.getProperty("mix"))) {
                List<String> mix = new ArrayList<>();
                for (String[] w : new String[][] {{"status", "7"}, {"alerts", "7"}, {"peers", "2"}, {"appliances", "2"}, {"overview", "2"}}) {
                    if (q.has(w[0])) {
                        for (int i = 0; i < Integer.parseInt(w[1]); i++) {
                            mix.add(w[0]);
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "%nmixed (each call picks dashboard 35 %%, alert list 35 %%, peers, appliances, overview 10 %% each):%n");
                mixed = run(callers, WARMUP, seconds, mix, q);
                mixed.forEach((k, v) -> System.out.println(v.line(k)));
            }
            System.out.printf(Locale.ROOT, "%n| query | calls | calls/s | p50 ms | p95 ms | p99 ms | max ms | p95 / SELECT 1 p95 |%n| --- | --- | --- | --- | --- | --- | --- | --- |%n");
            Stats base = results.get("select1");
            results.forEach((k, v) -> System.out.println(v.row(k, base)));
            mixed.forEach((k, v) -> System.out.println(v.row(k + " (mixed)", base)));
        }

        if (!"false".equals(System.getProperty("plans"))) {
            Plans.capture(jdbcUrl, now);
        }
    }

    // =====================================================================================
    // Load
    // =====================================================================================

    /** 50 callers back to back: each call a random customer (or reseller); latency per call. */
    static Map<String, Stats> run(int callers, int warmup, int seconds, List<String> names, Queries q) throws InterruptedException {
        AtomicInteger phase = new AtomicInteger(0); // 0 warm-up, 1 measuring, 2 stop
        ConcurrentLinkedQueue<Map<String, long[]>> all = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(callers);
        long[] window = new long[2];
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                Map<String, long[]> mine = new TreeMap<>();
                Map<String, Integer> counts = new TreeMap<>();
                SplittableRandom r = new SplittableRandom(ThreadLocalRandom.current().nextLong());
                try {
                    int p;
                    while ((p = phase.get()) < 2) {
                        String name = names.get(r.nextInt(names.size()));
                        long t0 = System.nanoTime();
                        try {
                            q.call(name, r);
                        } catch (RuntimeException | SQLException e) {
                            if (p == 1) {
                                errors.incrementAndGet();
                            }
                            firstError.compareAndSet(null, e);
                            continue;
                        }
                        long took = System.nanoTime() - t0;
                        // a call counts when it started in the measured window, however long it took
                        if (p == 1) {
                            long[] a = mine.computeIfAbsent(name, k -> new long[1024]);
                            int n = counts.getOrDefault(name, 0);
                            if (n == a.length) {
                                a = Arrays.copyOf(a, n * 2);
                                mine.put(name, a);
                            }
                            a[n] = took;
                            counts.put(name, n + 1);
                        }
                    }
                } finally {
                    Map<String, long[]> trimmed = new TreeMap<>();
                    mine.forEach((k, v) -> trimmed.put(k, Arrays.copyOf(v, counts.get(k))));
                    all.add(trimmed);
                    done.countDown();
                }
            }, "portal-caller-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(warmup * 1000L);
        window[0] = System.nanoTime();
        phase.set(1);
        Thread.sleep(seconds * 1000L);
        phase.set(2);
        window[1] = System.nanoTime();
        done.await();
        double waited = (System.nanoTime() - window[1]) / 1e9;
        if (waited > 1) {
            System.out.printf(Locale.ROOT, "  (the last calls begun in the window ended %.1f s after it)%n", waited);
        }
        if (errors.get() > 0 || firstError.get() != null) {
            System.out.println("  errors in the window: " + errors.get() + "; first error: " + firstError.get());
        }
        Map<String, List<long[]>> merged = new TreeMap<>();
        for (Map<String, long[]> m : all) {
            m.forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        for (String name : new LinkedHashSet<>(names)) {
            List<long[]> parts = merged.getOrDefault(name, List.of());
            int n = parts.stream().mapToInt(a -> a.length).sum();
            long[] lat = new long[n];
            int at = 0;
            for (long[] a : parts) {
                System.arraycopy(a, 0, lat, at, a.length);
                at += a.length;
            }
            Arrays.sort(lat);
            out.put(name, new Stats(lat, (window[1] - window[0]) / 1e9, errors.get()));
        }
        return out;
    }

    record Stats(long[] sorted, double seconds, long errors) {
        double pct(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }

        String line(String name) {
            return String.format(Locale.ROOT, "%-11s %7d calls  %8.1f/s  p50 %8.2f  p95 %8.2f  p99 %8.2f  max %8.2f ms", name,
                    sorted.length, sorted.length / seconds, pct(50), pct(95), pct(99), pct(100));
        }

        String row(String name, Stats base) {
            String ratio = base == null || base.sorted.length == 0 ? "" : String.format(Locale.ROOT, "%.0f×", pct(95) / base.pct(95));
            return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %s |", name, sorted.length,
                    sorted.length / seconds, pct(50), pct(95), pct(99), pct(100), ratio);
        }
    }

    /** The calls: the portal's store queries, and the two baselines on the same pool. */
    static final class Queries {
        final Store store;
        final Statistics statistics;
        final DataSource pool;
        final Instant now;
        /** The dashboard's and comparisons' period as the portal asks it (Format.lastDays): 30 whole Japanese days, today's included. */
        final Instant[] month;
        /** The alert list's period: the 90 days up to now (the portal's default is the current month, fewer rows). */
        final Instant[] quarter;
        final List<CustomerId> customers;
        final List<ResellerId> resellers;
        final long[] customerIds;
        /** {@code Statistics.customerOverview(TenantScope, Instant)}, when the store has it (being added). */
        final Method overview;

        Queries(Store store, Instant now) {
            this.store = store;
            this.statistics = store.statistics();
            this.pool = store.dataSource();
            this.now = now;
            java.time.ZoneId jst = java.time.ZoneId.of("Asia/Tokyo");
            java.time.LocalDate today = java.time.LocalDate.ofInstant(now, jst);
            this.month = new Instant[] {today.minusDays(29).atStartOfDay(jst).toInstant(), today.plusDays(1).atStartOfDay(jst).toInstant()};
            this.quarter = new Instant[] {now.minus(Duration.ofDays(90)), now};
            this.customers = store.tenants().customers(TenantScope.operator()).stream().map(Customer::id).toList();
            this.resellers = store.tenants().resellers(TenantScope.operator()).stream().map(Reseller::id).toList();
            this.customerIds = customers.stream().mapToLong(CustomerId::value).toArray();
            Method m = null;
            try {
                m = Statistics.class.getMethod("customerOverview", TenantScope.class, Instant.class);
            } catch (NoSuchMethodException e) {
                // not in this store yet
            }
            this.overview = m;
        }

        boolean has(String name) {
            return switch (name) {
                case "select1", "pk", "status", "alerts", "peers", "appliances" -> true;
                case "overview" -> overview != null;
                default -> throw new IllegalArgumentException("unknown query " + name
                        + " (select1, pk, status, alerts, peers, appliances, overview)");
            };
        }

        Object call(String name, SplittableRandom r) throws SQLException {
            CustomerId c = customers.get(r.nextInt(customers.size()));
            return switch (name) {
                case "select1" -> {
                    try (Connection con = pool.getConnection(); Statement s = con.createStatement();
                         ResultSet rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                        yield rs.getInt(1);
                    }
                }
                case "pk" -> {
                    try (Connection con = pool.getConnection();
                         PreparedStatement s = con.prepareStatement("SELECT id, reseller_id, name, created_at FROM customers WHERE id = ?")) {
                        s.setLong(1, customerIds[r.nextInt(customerIds.length)]);
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            yield rs.getString(3);
                        }
                    }
                }
                case "status" -> statistics.status(TenantScope.customer(c), c, month[0], month[1]).orElseThrow();
                case "alerts" -> statistics.alerts(TenantScope.customer(c),
                        AlertQuery.period(quarter[0], quarter[1]).customer(c).limit(50));
                case "peers" -> statistics.compareWithPeers(TenantScope.customer(c), c, month[0], month[1]).orElseThrow();
                case "appliances" -> statistics.compareAppliances(TenantScope.customer(c), c, month[0], month[1]);
                case "overview" -> overview(resellers.get(r.nextInt(resellers.size())));
                default -> throw new IllegalArgumentException(name);
            };
        }

        Object overview(ResellerId reseller) {
            try {
                return overview.invoke(statistics, TenantScope.reseller(reseller), now);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }

        /** One call of each, printed: the data set answers with real rows. */
        void check() throws SQLException {
            SplittableRandom r = new SplittableRandom(SEED);
            CustomerId c = customers.get(r.nextInt(customers.size()));
            SecurityStatus s = statistics.status(TenantScope.customer(c), c, month[0], month[1]).orElseThrow();
            AlertPage page = statistics.alerts(TenantScope.customer(c), AlertQuery.period(quarter[0], quarter[1]).customer(c).limit(50));
            FunctionComparison f = statistics.compareWithPeers(TenantScope.customer(c), c, month[0], month[1]).orElseThrow();
            List<ApplianceDetections> a = statistics.compareAppliances(TenantScope.customer(c), c, month[0], month[1]);
            System.out.printf(Locale.ROOT, "check, customer %d: 30 days %d threats, %d important alerts, appliances %s, %d days;"
                            + " alert page %d rows (more: %s); peers %d participants, %s; %d appliances compared%n",
                    c.value(), s.threatTotal(), s.importantAlerts(), s.appliances(), s.days().size(), page.alerts().size(),
                    page.next().isPresent(), f.participants(), f.functions(), a.size());
            if (overview != null) {
                Object o = overview(resellers.getFirst());
                String text = String.valueOf(o);
                System.out.println("check, customer overview of reseller " + resellers.getFirst().value() + ": "
                        + (o instanceof java.util.Collection<?> col ? col.size() + " rows; " : "")
                        + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
            }
        }
    }

    // =====================================================================================
    // Data set
    // =====================================================================================

    /** What was generated, kept in the bench database's own table {@code bench_portal_meta}. */
    record Meta(Instant anchor, Instant generatedAt, long generationMillis, int customers, int resellers, int appliances,
                long events, long threats, long alerts, int days) {

        static Meta read(String jdbcUrl) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT anchor, generated_at, generation_ms, customers, resellers, appliances, events,"
                         + " threats, alerts, days FROM bench_portal_meta")) {
                if (!rs.next()) {
                    return null;
                }
                Meta m = new Meta(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getInt(10));
                if (m.customers != CUSTOMERS || m.resellers != RESELLERS || m.days != DAYS) {
                    System.out.println("the kept data set has other dimensions than asked: making it again");
                    return null;
                }
                return m;
            } catch (SQLException e) {
                return null; // no database, or no complete data set in it
            }
        }

        void write(String jdbcUrl) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bench_portal_meta (anchor TIMESTAMPTZ, generated_at TIMESTAMPTZ, generation_ms BIGINT,"
                        + " customers INT, resellers INT, appliances INT, events BIGINT, threats BIGINT, alerts BIGINT, days INT)");
                try (PreparedStatement p = c.prepareStatement("INSERT INTO bench_portal_meta VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                    p.setObject(1, anchor.atOffset(ZoneOffset.UTC));
                    p.setObject(2, generatedAt.atOffset(ZoneOffset.UTC));
                    p.setLong(3, generationMillis);
                    p.setInt(4, customers);
                    p.setInt(5, resellers);
                    p.setInt(6, appliances);
                    p.setLong(7, events);
                    p.setLong(8, threats);
                    p.setLong(9, alerts);
                    p.setInt(10, days);
                    p.executeUpdate();
                }
            }
        }

        String describe(String jdbcUrl) throws SQLException {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "data set: %d resellers, %d customers, %d appliances, %d days to %s: %,d events (%,d threats), %,d alerts",
                    resellers, customers, appliances, days, anchor, events, threats, alerts));
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_database_size(current_database())),"
                         + " (SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events'),"
                         + " current_setting('shared_buffers'), current_setting('work_mem'), version()")) {
                rs.next();
                b.append(String.format(Locale.ROOT, "; database %s, events in %d partitions; shared_buffers %s, work_mem %s; %s",
                        rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
            return b.toString();
        }
    }

    /** A clock the generator sets: registration before the period, heartbeats at their own times. */
    static final class SetClock extends Clock {
        volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    record ApplianceRow(ApplianceId id, CustomerId customer, int index) {
    }

    static Meta generate(String jdbcUrl) throws Exception {
        long t0 = System.nanoTime();
        Instant anchor = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = anchor.minus(Duration.ofDays(DAYS));
        System.out.printf(Locale.ROOT, "generating the data set into %s (drop and create): %d resellers, %d customers, %d days to %s%n",
                DATABASE, RESELLERS, CUSTOMERS, DAYS, anchor);
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        SetClock clock = new SetClock(start.minus(Duration.ofDays(10)));
        Random random = new Random(SEED);
        List<ApplianceRow> appliances = new ArrayList<>();
        long events;
        long threats;
        long alerts;
        try (Store store = Store.open(new StoreSettings(jdbcUrl, "postgres", "", GEN_THREADS + 1), clock)) {
            // Partitions of every UTC day the events' ids fall in, as the scheduler makes them ahead.
            List<String> made = store.partitions().prepare(LocalDate.ofInstant(start, ZoneOffset.UTC).minusDays(1), DAYS + 3);
            System.out.printf(Locale.ROOT, "  %d partitions of events and alerts made (%s … %s)%n", made.size(), made.getFirst(), made.getLast());

            // ---- tenancy: registered ten days before the period, so every customer is a participant ----
            List<ResellerId> resellers = new ArrayList<>();
            for (int i = 0; i < RESELLERS; i++) {
                resellers.add(store.tenants().createReseller(String.format(Locale.ROOT, "商工会議所 %02d", i + 1)));
            }
            long lastPrint = System.nanoTime();
            for (int i = 0; i < CUSTOMERS; i++) {
                CustomerId customer = store.tenants().createCustomer(resellers.get(i % RESELLERS),
                        String.format(Locale.ROOT, "株式会社 ベンチ %04d", i + 1));
                double u = random.nextDouble();
                int n = u < 0.40 ? 1 : u < 0.75 ? 2 : 3;
                for (int k = 0; k < n; k++) {
                    ApplianceId id = new ApplianceId(String.format(Locale.ROOT, "0c%010x", appliances.size() + 1));
                    store.tenants().registerAppliance(customer, id, k == 0 ? "本社" : "支店 " + k);
                    appliances.add(new ApplianceRow(id, customer, appliances.size()));
                }
                if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  tenancy: %d / %d customers, %d appliances%n", i + 1, CUSTOMERS, appliances.size());
                }
            }
            System.out.printf(Locale.ROOT, "  tenancy: %d customers, %d appliances (%.1f s)%n", CUSTOMERS, appliances.size(),
                    (System.nanoTime() - t0) / 1e9);

            // ---- events and alerts: the graded ingest path, batches of up to 1,000 events per appliance ----
            clock.now = anchor;
            double threatsPerCustomerWeek = EVENTS_PER_DAY * THREAT_SHARE * 7 * appliances.size() / CUSTOMERS;
            double alertShare = Math.min(1, ALERTS_PER_WEEK / threatsPerCustomerWeek);
            BenchGrading grading = new BenchGrading(alertShare);
            IngestStore ingest = store.ingest(grading);
            Templates templates = new Templates();
            AtomicLong stored = new AtomicLong();
            AtomicLong threatCount = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            long expected = Math.round(EVENTS_PER_DAY * DAYS * appliances.size());
            long tEvents = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < GEN_THREADS; w++) {
                Thread t = new Thread(() -> {
                    try {
                        int i;
                        while ((i = next.getAndIncrement()) < appliances.size() && failed.get() == null) {
                            ApplianceRow a = appliances.get(i);
                            List<Event> all = templates.eventsOf(a, start, anchor);
                            for (int from = 0; from < all.size(); from += 1000) {
                                List<Event> batch = all.subList(from, Math.min(all.size(), from + 1000));
                                var result = ingest.store(a.id(), batch);
                                stored.addAndGet(result.stored());
                            }
                            threatCount.addAndGet(all.stream().filter(e -> e.kind() == Kind.THREAT).count());
                        }
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                    }
                }, "portal-generator-" + w);
                t.start();
                workers.add(t);
            }
            while (workers.stream().anyMatch(Thread::isAlive)) {
                long until = System.currentTimeMillis() + 5000;
                for (Thread t : workers) {
                    t.join(Math.max(1, until - System.currentTimeMillis()));
                }
                double took = (System.nanoTime() - tEvents) / 1e9;
                long n = stored.get();
                System.out.printf(Locale.ROOT, "  events: %,d of ~%,d (%.0f %%), %,.0f events/s, %d of %d appliances, alerts %,d, ETA %.0f s%n",
                        n, expected, 100.0 * n / expected, n / took, Math.min(next.get(), appliances.size()), appliances.size(),
                        grading.opened.get(), n == 0 ? 0.0 : (expected - n) / (n / took));
            }
            if (failed.get() != null) {
                throw new IllegalStateException("generating events failed", failed.get());
            }
            events = stored.get();
            threats = threatCount.get();
            alerts = grading.opened.get();
            System.out.printf(Locale.ROOT, "  events: %,d stored (%,d threats), %,d alerts, in %.0f s (%,.0f events/s)%n", events, threats,
                    alerts, (System.nanoTime() - tEvents) / 1e9, events / ((System.nanoTime() - tEvents) / 1e9));

            // ---- heartbeats: most appliances online now, some stopped, a few never seen ----
            Map<String, String> runtime = Map.of("java", "25", "os", "Linux", "arch", "amd64");
            Map<String, String> definitions = Map.of("urlfilter", "2026.12.05.1", "ips", "2026.12.05.2", "antivirus", "27841");
            int stopped = 0;
            int never = 0;
            for (ApplianceRow a : appliances) {
                double u = random.nextDouble();
                if (u < 0.01) {
                    never++;
                    continue;
                }
                Instant at = u < 0.05 ? anchor.minus(Duration.ofMinutes(60 + random.nextInt(3 * 24 * 60)))
                        : anchor.minusSeconds(random.nextInt(300));
                if (u < 0.05) {
                    stopped++;
                }
                clock.now = at;
                ingest.heartbeat(a.id(), new Heartbeat(at, at.minus(Duration.ofDays(3)), "1.0." + (a.index() % 3), runtime, definitions,
                        Map.of("spool.pending", 0L, "uplink.sent", (long) a.index())));
            }
            clock.now = anchor;
            System.out.printf(Locale.ROOT, "  heartbeats: %d appliances (%d stopped, %d never seen)%n", appliances.size() - never, stopped, never);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            long tv = System.nanoTime();
            // Autovacuum would do this over time; the partitioned parents are analysed by hand only (autovacuum never does).
            s.execute("VACUUM (ANALYZE) events");
            s.execute("VACUUM (ANALYZE) alerts");
            s.execute("VACUUM (ANALYZE)");
            System.out.printf(Locale.ROOT, "  VACUUM (ANALYZE): %.0f s%n", (System.nanoTime() - tv) / 1e9);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Meta meta = new Meta(anchor, Instant.now(), millis, CUSTOMERS, RESELLERS, appliances.size(), events, threats, alerts, DAYS);
        meta.write(jdbcUrl);
        System.out.printf(Locale.ROOT, "generated in %.0f s%n", millis / 1000.0);
        return meta;
    }

    /**
     * Opens an alert for a share of the threat events (a few per customer a week), graded ★ / ★★ /
     * ★★★ (and a few under investigation), decided by the event id so that a run is reproducible
     * in distribution.
     */
    static final class BenchGrading implements Grading {
        final double share;
        final AtomicLong opened = new AtomicLong();

        BenchGrading(double share) {
            this.share = share;
        }

        @Override
        public void grade(GradingContext context, List<Event> threats) {
            for (Event e : threats) {
                long h = e.id().uuid().getLeastSignificantBits() * 0x9E3779B97F4A7C15L;
                double u = (h >>> 11) * 0x1.0p-53;
                if (u >= share) {
                    continue;
                }
                double g = u / share;
                Grade grade = g < 0.45 ? Grade.LOW : g < 0.75 ? Grade.MEDIUM : g < 0.95 ? Grade.HIGH : Grade.UNDER_INVESTIGATION;
                String rule = "bench-" + grade.name().toLowerCase(Locale.ROOT);
                context.save(new AlertChange(AlertChange.Type.OPENED, new Alert(AlertId.of(rule, e.appliance(), e.id()), rule, grade,
                        false, InternalHost.of(e), Facts.of(e), e.time(), e.time(), 1, List.of(e.id()), Optional.empty())));
                opened.incrementAndGet();
            }
        }
    }

    /** Event shapes: ordinary web access (URL filter, pass) and threats of the URL filter, IPS and antivirus. */
    static final class Templates {
        final InetAddress[] lan = new InetAddress[32];
        final InetAddress[] web = new InetAddress[64];
        final String[] hosts = {"www.example.jp", "news.example.co.jp", "cdn.example.net", "mail.example.com", "shop.example.jp",
                "api.example.org", "static.example.info", "www.example.test"};

        Templates() throws IOException {
            for (int i = 0; i < lan.length; i++) {
                lan[i] = InetAddress.getByName("192.168.1." + (10 + i));
            }
            for (int i = 0; i < web.length; i++) {
                web[i] = InetAddress.getByName("203.0.113." + (i + 1));
            }
        }

        /** The appliance's events of {@code [start, end)}, time order; its rate varies by appliance and by day. */
        List<Event> eventsOf(ApplianceRow a, Instant start, Instant end) {
            SplittableRandom r = new SplittableRandom(SEED * 31 + a.index());
            double rate = EVENTS_PER_DAY * (0.4 + 1.2 * r.nextDouble());
            List<Instant> times = new ArrayList<>();
            long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start);
            long span = ChronoUnit.MICROS.between(start, end);
            long dayMicros = 86_400_000_000L;
            for (long d = 0; d * dayMicros < span; d++) {
                int n = (int) Math.round(rate * (0.7 + 0.6 * r.nextDouble()));
                for (int k = 0; k < n; k++) {
                    long off = d * dayMicros + (long) (r.nextDouble() * dayMicros);
                    if (off < span) {
                        times.add(Instant.EPOCH.plus(startMicros + off, ChronoUnit.MICROS));
                    }
                }
            }
            times.sort(null);
            List<Event> out = new ArrayList<>(times.size());
            for (Instant t : times) {
                out.add(event(a.id(), t, r));
            }
            return out;
        }

        Event event(ApplianceId appliance, Instant time, SplittableRandom r) {
            // A UUIDv7 of the event's millisecond, as the appliance's EventIds makes it.
            EventId id = new EventId(new UUID((time.toEpochMilli() << 16) | 0x7000L | r.nextInt(1 << 12),
                    (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L));
            InetAddress client = lan[r.nextInt(lan.length)];
            int port = 49_152 + r.nextInt(16_000);
            if (r.nextDouble() >= THREAT_SHARE) {
                int i = r.nextInt(64);
                String host = hosts[i % hosts.length];
                return new Event(id, appliance, time, Kind.ACCESS, ZonePair.LAN_TO_WAN, client, port, web[i], i % 5 == 0 ? 80 : 443,
                        Optional.empty(), host, (i % 5 == 0 ? "http://" : "https://") + host + "/section/" + i + "/article/" + (1000 + i)
                        + ".html", "", SecurityFunction.URL_FILTERING, "urlfilter", "1.4.0",
                        "category:" + (i % 3 == 0 ? "news" : i % 3 == 1 ? "business" : "shopping"),
                        i % 3 == 0 ? "ニュース / News" : i % 3 == 1 ? "ビジネス / Business" : "ショッピング / Shopping", Result.PASS, Level.LOW,
                        100, Evidence.NONE, "");
            }
            int i = r.nextInt(12);
            double f = r.nextDouble();
            if (f < 0.5) {
                return new Event(id, appliance, time, Kind.THREAT, ZonePair.LAN_TO_WAN, client, port, web[40 + i], 80,
                        Optional.empty(), "login-bank" + i + ".phish.test", "http://login-bank" + i + ".phish.test/signin", "",
                        SecurityFunction.URL_FILTERING, "urlfilter", "1.4.0", "category:phishing", "フィッシング詐欺 / Phishing",
                        Result.BLOCK, Level.HIGH, 100, Evidence.PHISHING, "");
            } else if (f < 0.8) {
                return new Event(id, appliance, time, Kind.THREAT, new ZonePair(Zone.WAN, Zone.LAN), web[50 + i], 40_000 + i, client, 443,
                        Optional.empty(), "", "", "", SecurityFunction.IPS, "ips-hyperscan", "2.1.0", "sid:20" + (10_000 + i),
                        "ET EXPLOIT Possible CVE-2026-" + (1000 + i) + " attempt", i % 4 == 0 ? Result.PASS : Result.BLOCK, Level.CRITICAL, 90,
                        Evidence.EXPLOIT_ATTEMPT, "");
            }
            return new Event(id, appliance, time, Kind.THREAT, ZonePair.LAN_TO_WAN, client, port, web[63], 80,
                    Optional.empty(), "dl.malware.test", "http://dl.malware.test/invoice-" + i + ".zip", "",
                    SecurityFunction.ANTIVIRUS, "av-clamav", "1.0.0", "Win.Trojan.Agent-" + (7_000_000 + i),
                    "Win.Trojan.Agent-" + (7_000_000 + i), i % 6 == 0 ? Result.NEUTRALISE : Result.BLOCK, Level.HIGH, 100, Evidence.MALWARE, "");
        }
    }

    // =====================================================================================
    // Plans
    // =====================================================================================

    /**
     * Each query once more, on one connection with {@code auto_explain} (ANALYZE, BUFFERS) loaded
     * for the bench database only; the plans are read back from the server's log, each statement
     * under the query that ran it (a marker statement before each), then the indexes each used.
     */
    static final class Plans {
        static final Pattern HEADER = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*");
        static final Pattern DURATION = Pattern.compile("duration: ([0-9.]+) ms\\s+plan:");
        static final Pattern INDEX = Pattern.compile("(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\\S+)");
        static final Pattern SEQ = Pattern.compile("Seq Scan on (\\S+)");
        static final Pattern MARK = Pattern.compile("'portal-bench:([a-z0-9]+)#(\\d)'");

        record Logged(String query, int round, double ms, List<String> lines) {
            String text() {
                return lines.stream().filter(l -> l.contains("Query Text:")).findFirst().map(l -> l.replaceFirst("^\\s*Query Text:\\s*", ""))
                        .orElse("?");
            }
        }

        static void capture(String jdbcUrl, Instant now) throws Exception {
            Path log = Path.of(System.getProperty("pgLog", "/var/log/postgresql/postgresql-15-main.log"));
            if (!Files.isReadable(log)) {
                System.out.println("plans: cannot read the server's log " + log + " (set -DpgLog); no plans");
                return;
            }
            long offset = Files.size(log);
            String[] settings = {"session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 0",
                    "auto_explain.log_analyze = on", "auto_explain.log_buffers = on", "auto_explain.log_timing = on",
                    "auto_explain.log_nested_statements = off"};
            try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", ""); Statement s = c.createStatement()) {
                for (String one : settings) {
                    s.execute("ALTER DATABASE " + DATABASE + " SET " + one);
                }
            }
            List<String> names = List.of("select1", "pk", "status", "alerts", "peers", "appliances", "overview");
            try (Store store = Store.open(new StoreSettings(jdbcUrl, "postgres", "", 2), Clock.fixed(now, ZoneOffset.UTC))) {
                Queries q = new Queries(store, now);
                SplittableRandom r = new SplittableRandom(SEED + 1);
                for (String name : names) {
                    if (!q.has(name)) {
                        continue;
                    }
                    for (int round = 1; round <= 2; round++) {
                        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
                            s.execute("SELECT 'portal-bench:" + name + "#" + round + "'");
                        }
                        q.call(name, r);
                    }
                }
                try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT 'portal-bench:end#0'");
                }
            } finally {
                try (Connection c = DriverManager.getConnection(SERVER + "postgres", "postgres", ""); Statement s = c.createStatement()) {
                    s.execute("ALTER DATABASE " + DATABASE + " RESET ALL");
                }
            }
            Thread.sleep(500);
            List<Logged> statements = read(log, offset);
            Path out = Path.of(System.getProperty("plansFile", "/tmp/portal-plans.txt"));
            StringBuilder file = new StringBuilder();
            System.out.printf(Locale.ROOT, "%nPlans (auto_explain: ANALYZE, BUFFERS; second call of each, one connection, warm cache; full text in %s)%n", out);
            for (String name : names) {
                List<Logged> mine = statements.stream().filter(st -> st.query.equals(name) && st.round == 2).toList();
                if (mine.isEmpty()) {
                    continue;
                }
                double total = mine.stream().mapToDouble(Logged::ms).sum();
                System.out.printf(Locale.ROOT, "%n== %s: %d statements, %.2f ms in the database%n", name, mine.size(), total);
                Logged slowest = mine.getFirst();
                for (Logged st : mine) {
                    if (st.ms > slowest.ms) {
                        slowest = st;
                    }
                    System.out.printf(Locale.ROOT, "  %8.2f ms  %s%n             indexes: %s%n", st.ms, shorten(st.text(), 150), indexes(st.lines));
                    file.append("== ").append(name).append(String.format(Locale.ROOT, " (%.2f ms)%n", st.ms));
                    st.lines.forEach(l -> file.append(l).append('\n'));
                    file.append('\n');
                }
                System.out.printf(Locale.ROOT, "  slowest statement's plan:%n");
                List<String> plan = slowest.lines.stream().filter(l -> !l.contains("Query Text:")).toList();
                int shown = 0;
                for (String l : plan) {
                    if (shown++ >= 45) {
                        System.out.println("    … (" + (plan.size() - 45) + " more lines in " + out + ")");
                        break;
                    }
                    System.out.println("    " + l.replaceFirst("^\t", "").stripTrailing());
                }
            }
            Files.writeString(out, file.toString(), StandardCharsets.UTF_8);
        }

        static String shorten(String s, int n) {
            String one = s.replaceAll("\\s+", " ");
            return one.length() <= n ? one : one.substring(0, n) + "…";
        }

        /** Index names, partitions' indexes folded into one name per parent index with a count. */
        static String indexes(List<String> lines) {
            Map<String, Integer> used = new TreeMap<>();
            for (String l : lines) {
                Matcher m = INDEX.matcher(l);
                while (m.find()) {
                    used.merge(m.group(1) + " " + m.group(2).replaceAll("_p\\d{8}", "_p*"), 1, Integer::sum);
                }
                Matcher s = SEQ.matcher(l);
                while (s.find()) {
                    used.merge("Seq Scan " + s.group(1).replaceAll("_p\\d{8}", "_p*"), 1, Integer::sum);
                }
            }
            if (used.isEmpty()) {
                return "(none)";
            }
            List<String> out = new ArrayList<>();
            used.forEach((k, v) -> out.add(v == 1 ? k : k + " ×" + v));
            return String.join(", ", out);
        }

        static List<Logged> read(Path log, long offset) throws IOException {
            byte[] bytes;
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                long size = f.length();
                bytes = new byte[(int) Math.max(0, size - offset)];
                f.seek(offset);
                f.readFully(bytes);
            }
            List<List<String>> entries = new ArrayList<>();
            List<String> current = null;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (HEADER.matcher(line).matches()) {
                    current = line.contains("@" + DATABASE + " ") && DURATION.matcher(line).find() ? new ArrayList<>() : null;
                    if (current != null) {
                        entries.add(current);
                        current.add(line);
                    }
                } else if (current != null) {
                    current.add(line);
                }
            }
            List<Logged> out = new ArrayList<>();
            String query = null;
            int round = 0;
            for (List<String> e : entries) {
                String text = String.join("\n", e);
                Matcher mark = MARK.matcher(text);
                if (mark.find()) {
                    query = mark.group(1);
                    round = Integer.parseInt(mark.group(2));
                    continue;
                }
                Matcher d = DURATION.matcher(e.getFirst());
                if (query != null && d.find()) {
                    out.add(new Logged(query, round, Double.parseDouble(d.group(1)), e.subList(1, e.size())));
                }
            }
            return out;
        }
    }
}
