package org.omamori.bench.report;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.backoffice.edition.Editions;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.monitor.MonthlyReports;
import org.omamori.report.ReportPdf;
import org.omamori.store.CustomerId;
import org.omamori.store.Heartbeat;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * The monthly reports of many customers (docs/reports.md, bench/README.md): a fresh store (H2 in a
 * temporary folder) with {@code customers} customers, each with one or two
 * appliances, a month of threat events (through the ingest API), ★★★/★★☆ alerts, a heartbeat per
 * hour and definitions updates; then {@link MonthlyReports#run} timed, and run again (all skipped).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.report.MonthlyReportsBench [customers] [threads]</pre>
 */
public final class MonthlyReportsBench {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    static final YearMonth MONTH = YearMonth.of(2026, 5);
    static final Duration BUDGET = Duration.ofMinutes(30);

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("omamori-reports-bench");
        // A third argument names an empty PostgreSQL database (e.g. jdbc:postgresql://127.0.0.1:5432/reports_bench, user postgres).
        StoreSettings settings = args.length > 2 ? new StoreSettings(args[2], "postgres", "", 10) : StoreSettings.h2File(dir.resolve("omamori"));
        Instant start = MONTH.atDay(1).atStartOfDay(JST).toInstant();
        Instant end = MONTH.plusMonths(1).atDay(1).atStartOfDay(JST).toInstant();
        MutableClock clock = new MutableClock(start.minus(Duration.ofDays(1)));
        try (Store store = Store.open(settings, clock)) {
            System.out.printf("store %s, %d customers, %d workers, %d cores%n", store.database(), customers, threads,
                    Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            List<ApplianceId> appliances = generate(store, customers, start, clock);
            System.out.printf("generated in %.1f s (%d appliances)%n", (System.nanoTime() - t0) / 1e9, appliances.size());

            clock.set(end.plus(Duration.ofHours(3)));
            Editions editions = new Editions();
            editions.install(new NiigataEdition(), "bench");
            long t1 = System.nanoTime();
            ReportPdf pdf = ReportPdf.withDebianFont();
            MonthlyReports reports = new MonthlyReports(store.reports(), store.faults(), pdf, editions::of, null, threads, Clock.systemUTC());
            MonthlyReports.Run run = reports.run(MONTH);
            double seconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("run: %d made, %d skipped, %d failed in %.1f s: %.1f customers/s; 10,000 customers would take %.1f min,"
                            + " %.1f %% of the 30-minute budget%n", run.made(), run.skipped(), run.failed(), seconds, run.made() / seconds,
                    10_000 / (run.made() / seconds) / 60, 100.0 * 10_000 / (run.made() / seconds) / BUDGET.toSeconds());
            long t2 = System.nanoTime();
            MonthlyReports.Run again = reports.run(MONTH);
            System.out.printf("rerun: %d made, %d skipped in %.1f s%n", again.made(), again.skipped(), (System.nanoTime() - t2) / 1e9);
            long bytes = 0;
            try (Connection c = store.dataSource().getConnection(); var s = c.createStatement();
                 var r = s.executeQuery("SELECT SUM(OCTET_LENGTH(pdf)) FROM monthly_reports")) {
                r.next();
                bytes = r.getLong(1);
            }
            System.out.printf("stored %.1f MB of PDF (%.1f KB each)%n", bytes / 1e6, bytes / 1e3 / Math.max(1, run.made()));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Customers of 20 resellers (half Niigata's edition), 1–2 appliances each, a month of data. */
    static List<ApplianceId> generate(Store store, int customers, Instant start, MutableClock clock) throws Exception {
        List<ResellerId> resellers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            resellers.add(store.tenants().createReseller("商工会議所 " + i, i % 2 == 0 ? Optional.of("niigata") : Optional.empty()));
        }
        Random random = new Random(42);
        List<ApplianceId> appliances = new ArrayList<>();
        List<CustomerId> owners = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            CustomerId c = store.tenants().createCustomer(resellers.get(i % resellers.size()), "株式会社ベンチ" + i);
            int n = random.nextInt(4) == 0 ? 2 : 1;
            for (int k = 0; k < n; k++) {
                ApplianceId a = new ApplianceId(String.format("%012x", (long) i * 4 + k + 1));
                store.tenants().registerAppliance(c, a, k == 0 ? "本社" : "支店");
                appliances.add(a);
                owners.add(c);
            }
        }
        System.out.printf("  tenants made%n");
        // Threat events of the month through the ingest API, 2 workers.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        SecurityFunction[] functions = {SecurityFunction.IPS, SecurityFunction.ANTIVIRUS, SecurityFunction.URL_FILTERING};
        for (int i = 0; i < appliances.size(); i++) {
            ApplianceId a = appliances.get(i);
            long seed = i;
            done.add(pool.submit(() -> {
                Random r = new Random(seed);
                List<Event> events = new ArrayList<>();
                int count = 5 + r.nextInt(40);
                for (int e = 0; e < count; e++) {
                    Instant t = start.plus(Duration.ofMinutes(r.nextInt(31 * 24 * 60))).truncatedTo(ChronoUnit.MICROS);
                    events.add(event(a, t, functions[r.nextInt(functions.length)], r.nextBoolean() ? Result.BLOCK : Result.PASS));
                }
                store.ingest().store(a, events);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("  events stored%n");
        // One heartbeat each (definitions_since), then the month's hours and updates as the heartbeats would have left them.
        for (ApplianceId a : appliances) {
            store.ingest().heartbeat(a, new Heartbeat(clock.instant(), start, "1.0.0", Map.of(), Map.of("ips", "2026.05.01"), Map.of()));
        }
        try (Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement days = c.prepareStatement("INSERT INTO appliance_days (appliance_id, jst_day, hours) VALUES (?, ?, ?)");
                 PreparedStatement updates = c.prepareStatement("INSERT INTO definitions_updates (appliance_id, updated_at) VALUES (?, ?)");
                 PreparedStatement alerts = c.prepareStatement("INSERT INTO alerts (id, customer_id, appliance_id, rule, grade, accumulated, host,"
                         + " host_mac, security_function, engine_rule, target, facts_event, opening_result, display_id, first_time, last_time,"
                         + " event_count, event_ids, state, created_at, updated_at) VALUES (?, ?, ?, 'rule', ?, FALSE, '192.168.1.10', '',"
                         + " 'antivirus', 'sid:1', 'http://bad.example/x.exe', ?, 'block', ?, ?, ?, 1, '', 'OPEN', ?, ?)")) {
                for (int i = 0; i < appliances.size(); i++) {
                    ApplianceId a = appliances.get(i);
                    Random r = new Random(i);
                    for (int d = 1; d <= MONTH.lengthOfMonth(); d++) {
                        days.setString(1, a.value());
                        days.setObject(2, LocalDate.of(MONTH.getYear(), MONTH.getMonth(), d));
                        days.setInt(3, r.nextInt(50) == 0 ? 0x00ffff : 0xffffff);
                        days.addBatch();
                    }
                    for (int u = 0; u < 1 + r.nextInt(4); u++) {
                        updates.setString(1, a.value());
                        updates.setObject(2, start.plus(Duration.ofDays(1 + u * 7)).atOffset(ZoneOffset.UTC));
                        updates.addBatch();
                    }
                    for (int k = 0; k < r.nextInt(3); k++) {
                        Instant first = start.plus(Duration.ofMinutes(r.nextInt(30 * 24 * 60)));
                        UUID id = new UUID((first.toEpochMilli() << 16) | 0x8000L | r.nextInt(0x1000),
                                (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
                        alerts.setObject(1, id);
                        alerts.setLong(2, owners.get(i).value());
                        alerts.setString(3, a.value());
                        alerts.setString(4, k == 0 ? "HIGH" : "MEDIUM");
                        alerts.setObject(5, UUID.randomUUID());
                        alerts.setString(6, first.getEpochSecond() + "-" + (k + 1));
                        alerts.setObject(7, first.atOffset(ZoneOffset.UTC));
                        alerts.setObject(8, first.plusSeconds(60).atOffset(ZoneOffset.UTC));
                        alerts.setObject(9, first.atOffset(ZoneOffset.UTC));
                        alerts.setObject(10, first.atOffset(ZoneOffset.UTC));
                        alerts.addBatch();
                    }
                    if (i % 1000 == 999) {
                        days.executeBatch();
                        updates.executeBatch();
                        alerts.executeBatch();
                    }
                }
                days.executeBatch();
                updates.executeBatch();
                alerts.executeBatch();
            }
            c.commit();
        }
        return appliances;
    }

    static Event event(ApplianceId appliance, Instant time, SecurityFunction function, Result result) {
        try {
            return new Event(new EventIds(Clock.fixed(time, ZoneOffset.UTC)).next(), appliance, time, Kind.THREAT, ZonePair.LAN_TO_WAN,
                    InetAddress.getByName("192.168.1.10"), 51515, InetAddress.getByName("203.0.113.5"), 80, Optional.empty(),
                    "example.jp", "http://example.jp/", "", function, "engine", "1.0.0", "sid:1", "rule", result, Level.HIGH, 90,
                    Evidence.EXPLOIT_ATTEMPT, "");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
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
}
