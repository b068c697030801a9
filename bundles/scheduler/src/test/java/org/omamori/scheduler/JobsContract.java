package org.omamori.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omamori.store.Store;

/**
 * What {@link Jobs} promises, on a real database with the store's schema (Flyway, V7). Subclasses
 * give the database and how many nodes (each a {@link Store}, so each its own HikariCP pool) share
 * it. Assertions are on behaviour, timeouts generous: a loaded 2-core CI machine must pass them.
 */
abstract class JobsContract {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A store on this test's database (the same database on every call); closed after the test. */
    abstract Store openStore() throws Exception;

    /** How many nodes the cluster test runs on this database. */
    abstract int nodes();

    /** Drops the test's database, after every store and job is closed. */
    abstract void dispose() throws Exception;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        dispose();
    }

    private Store store() throws Exception {
        Store store = openStore();
        opened.add(store);
        return store;
    }

    private Jobs started(Jobs.Builder builder) {
        Jobs jobs = builder.start();
        opened.add(jobs);
        return jobs;
    }

    @Test
    void eachPlannedExecutionOfARecurringJobRunsOnceAcrossTheNodes() throws Exception {
        List<Store> stores = new ArrayList<>();
        for (int i = 0; i < nodes(); i++) {
            stores.add(store());
        }
        DataSource first = stores.get(0).dataSource();
        try (Connection c = first.getConnection(); Statement s = c.createStatement()) {
            // The unique key is the proof: a second run of one planned execution cannot be recorded.
            s.execute("CREATE TABLE job_runs (job VARCHAR(32) NOT NULL, scheduled_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,"
                    + " node VARCHAR(32) NOT NULL, PRIMARY KEY (job, scheduled_at))");
        }
        AtomicInteger duplicates = new AtomicInteger();
        List<Jobs> cluster = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            DataSource pool = stores.get(i).dataSource();
            String node = "node-" + (char) ('a' + i);
            Jobs.Builder builder = Jobs.on(pool).nodeName(node)
                    .pollingInterval(Duration.ofMillis(200))
                    .heartbeatInterval(Duration.ofSeconds(2))
                    .shutdownWait(Duration.ofSeconds(20));
            for (String job : List.of("tick", "tock")) {
                builder.every(job, Duration.ofSeconds(1), at -> record(pool, job, at, node, duplicates));
            }
            cluster.add(started(builder));
        }

        Thread.sleep(8_000);
        await().atMost(PATIENCE).until(() -> runs("tick").size() >= 5 && runs("tock").size() >= 5);
        cluster.forEach(Jobs::close);

        assertThat(duplicates).as("planned executions that ran twice").hasValue(0);
        Map<String, Integer> byNode = new TreeMap<>();
        for (String job : List.of("tick", "tock")) {
            List<Run> runs = runs(job);
            for (int i = 1; i < runs.size(); i++) {
                Duration gap = Duration.between(runs.get(i - 1).at(), runs.get(i).at());
                // Fixed delay: the next run is planned 1 s after the previous one ended, never sooner...
                assertThat(gap).as(job + " run " + i).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                // ...and always planned again: no execution lost between nodes.
                assertThat(gap).as(job + " run " + i).isLessThan(Duration.ofSeconds(20));
            }
            runs.forEach(r -> byNode.merge(r.node(), 1, Integer::sum));
        }
        System.out.println("runs per node on " + getClass().getSimpleName() + ": " + byNode);
    }

    @Test
    void aJobThatThrowsKeepsBeingScheduledAndTheOthersRun() throws Exception {
        DataSource pool = store().dataSource();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger steady = new AtomicInteger();
        started(Jobs.on(pool).pollingInterval(Duration.ofMillis(100))
                .every("flaky", Duration.ofMillis(300), at -> {
                    switch (attempts.incrementAndGet() % 3) {
                        case 0 -> throw new IllegalStateException("unchecked failure (test)");
                        case 1 -> throw new IOException("checked failure (test)");
                        default -> throw new AssertionError("an Error (test)");
                    }
                })
                .every("steady", Duration.ofMillis(300), at -> steady.incrementAndGet()));

        await().atMost(PATIENCE).until(() -> attempts.get() >= 4 && steady.get() >= 4);
        // db-scheduler counts them: operators see a failing job in scheduled_tasks.
        await().atMost(PATIENCE).until(() -> consecutiveFailures(pool, "flaky") >= 3);
        assertThat(consecutiveFailures(pool, "steady")).isZero();
    }

    @Test
    void eachJobsRunsAndFailuresAreCountedAndTheSchedulerSaysWhetherItRuns() throws Exception {
        DataSource pool = store().dataSource();
        org.omamori.metrics.Meters meters = org.omamori.metrics.Meters.isolated();
        AtomicInteger attempts = new AtomicInteger();
        Jobs jobs = started(Jobs.on(pool).pollingInterval(Duration.ofMillis(100)).meters(meters)
                .every("odd", Duration.ofMillis(200), at -> {
                    if (attempts.incrementAndGet() % 2 == 0) {
                        throw new IllegalStateException("every other run fails (test)");
                    }
                }));
        assertThat(jobs.running()).isTrue();

        await().atMost(PATIENCE).until(() -> attempts.get() >= 4);
        jobs.close();
        String scrape = meters.scrape();
        double ok = sample(scrape, "omamori_cloud_job_runs_total{job=\"odd\",result=\"success\"}");
        double failed = sample(scrape, "omamori_cloud_job_runs_total{job=\"odd\",result=\"failure\"}");
        assertThat(ok).isGreaterThanOrEqualTo(2);
        assertThat(failed).isGreaterThanOrEqualTo(2);
        assertThat(ok + failed).isEqualTo(attempts.get());
        assertThat(sample(scrape, "omamori_cloud_job_duration_seconds_count{job=\"odd\"}")).isEqualTo(attempts.get());
        assertThat(jobs.running()).as("closed").isFalse();
    }

    static double sample(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void aDailyJobRunsAtItsLocalTimeInTokyoAndIsPlannedForTheNextDay() throws Exception {
        DataSource pool = store().dataSource();
        MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:00:00Z")); // 19:00 in Tokyo
        List<Instant> runs = new CopyOnWriteArrayList<>();
        Jobs jobs = started(Jobs.on(pool, clock).pollingInterval(Duration.ofMillis(100))
                .dailyAt("morning-reminders", LocalTime.of(9, 0), TOKYO, runs::add));

        Instant nineInTokyo = Instant.parse("2026-11-24T00:00:00Z");
        assertThat(jobs.nextRun("morning-reminders")).contains(nineInTokyo);
        assertThat(nineInTokyo.atZone(TOKYO).toLocalDateTime()).hasToString("2026-11-24T09:00");
        assertThat(jobs.nextRun("unknown")).isEmpty();

        clock.set(nineInTokyo.plusSeconds(1));
        await().atMost(PATIENCE).until(() -> !runs.isEmpty());
        assertThat(runs).containsExactly(nineInTokyo);
        await().atMost(PATIENCE).until(() -> jobs.nextRun("morning-reminders").orElseThrow()
                .equals(Instant.parse("2026-11-25T00:00:00Z")));
        assertThat(runs).hasSize(1);
    }

    @Test
    void closeLetsARunningJobFinish() throws Exception {
        DataSource pool = store().dataSource();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> outcome = new AtomicReference<>("not run");
        Jobs jobs = started(Jobs.on(pool).pollingInterval(Duration.ofMillis(100)).shutdownWait(Duration.ofSeconds(30))
                .every("slow", Duration.ofHours(1), at -> {
                    started.countDown();
                    try {
                        Thread.sleep(1_500);
                        outcome.set("finished");
                    } catch (InterruptedException e) {
                        outcome.set("interrupted");
                    }
                }));
        assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("slow job started").isTrue();

        jobs.close();

        assertThat(outcome).hasValue("finished");
        // Its completion is recorded: the next run is planned an hour on, and no node holds it.
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT picked, execution_time FROM scheduled_tasks WHERE task_name = ?")) {
            p.setString(1, "slow");
            try (ResultSet r = p.executeQuery()) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBoolean(1)).as("picked").isFalse();
                assertThat(r.getObject(2, OffsetDateTime.class).toInstant()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
            }
        }
    }

    record Run(Instant at, String node) {
    }

    private List<Run> runs(String job) throws Exception {
        try (Connection c = opened.stream().filter(Store.class::isInstance).map(Store.class::cast).findFirst()
                .orElseThrow().dataSource().getConnection();
                PreparedStatement p = c.prepareStatement("SELECT scheduled_at, node FROM job_runs WHERE job = ? ORDER BY scheduled_at")) {
            p.setString(1, job);
            List<Run> runs = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    runs.add(new Run(r.getObject(1, OffsetDateTime.class).toInstant(), r.getString(2)));
                }
            }
            return runs;
        }
    }

    private static void record(DataSource pool, String job, Instant at, String node, AtomicInteger duplicates) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("INSERT INTO job_runs (job, scheduled_at, node) VALUES (?, ?, ?)")) {
            p.setString(1, job);
            p.setObject(2, at.atOffset(ZoneOffset.UTC));
            p.setString(3, node);
            p.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) { // unique violation, on H2 and PostgreSQL
                duplicates.incrementAndGet();
            }
            throw e;
        }
    }

    private static int consecutiveFailures(DataSource pool, String job) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT consecutive_failures FROM scheduled_tasks WHERE task_name = ?")) {
            p.setString(1, job);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getInt(1) : -1;
            }
        }
    }

    /**
     * A clock the test sets forward, and that runs on from there as real time does: the scheduler
     * waits and plans by it, and a frozen clock is not what any scheduler is built for (a daily job
     * once missed its run on a loaded CI machine with the clock standing still).
     */
    static final class MovableClock extends Clock {
        private record Mark(Instant at, long nanos) {
        }

        private final AtomicReference<Mark> mark;

        MovableClock(Instant start) {
            this.mark = new AtomicReference<>(new Mark(start, System.nanoTime()));
        }

        void set(Instant instant) {
            mark.set(new Mark(instant, System.nanoTime()));
        }

        @Override
        public Instant instant() {
            Mark m = mark.get();
            return m.at().plusNanos(System.nanoTime() - m.nanos());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
