package org.omamori.scheduler;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.omamori.metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.VoidExecutionHandler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;

/**
 * Recurring jobs that run once per planned execution across every node on one database: each
 * node polls the table {@code scheduled_tasks} and claims a due execution with an optimistic
 * update, so exactly one node runs it (db-scheduler). Adding a cloud node needs no coordination.
 *
 * <pre>{@code
 * Jobs jobs = Jobs.on(store.dataSource())
 *         .every("alert-mail", Duration.ofSeconds(30), at -> mailer.flush(at))
 *         .dailyAt("stopped-reminders", LocalTime.of(9, 0), ZoneId.of("Asia/Tokyo"), at -> reminders.send(at))
 *         .start();
 * ...
 * jobs.close();
 * }</pre>
 *
 * A job that throws is logged and runs again at its next scheduled time; it never stops the
 * scheduler or the other jobs. A node that dies while running a job stops its heartbeat; after
 * {@code heartbeatInterval × 6} another node runs that execution again (so jobs must be idempotent).
 * A job's row survives restarts: a restarted cluster continues the plan, and a job whose schedule
 * changed in code is re-planned at start.
 */
public final class Jobs implements AutoCloseable {

    /** How often a node looks for due executions: the most a job starts late. */
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(5);
    /** How often a node marks its running executions alive; 6 missed ones and another node takes over. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    /** Jobs running at the same time on one node: cloud nodes have 2 cores, and these jobs mostly wait on the database. */
    public static final int DEFAULT_THREADS = 2;
    /** How long {@link #close()} lets running jobs finish before interrupting them. */
    public static final Duration DEFAULT_SHUTDOWN_WAIT = Duration.ofSeconds(30);
    /** The longest job name: the width of {@code scheduled_tasks.task_name}. */
    public static final int MAX_NAME_LENGTH = 255;

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final Scheduler scheduler;
    private final Set<String> names;
    private final String nodeName;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Jobs(Scheduler scheduler, Set<String> names, String nodeName) {
        this.scheduler = scheduler;
        this.names = names;
        this.nodeName = nodeName;
    }

    /** Jobs on this database, with the system clock. */
    public static Builder on(DataSource dataSource) {
        return on(dataSource, Clock.systemUTC());
    }

    /**
     * Jobs on this database, planned with {@code clock}. For tests: the scheduler waits and
     * plans by this clock, so it must move on (a fixed clock plans once and then runs nothing).
     */
    public static Builder on(DataSource dataSource, Clock clock) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), Objects.requireNonNull(clock, "clock"));
    }

    /** The names of this node's jobs, in the order they were added. */
    public Set<String> names() {
        return names;
    }

    /**
     * Whether this node's scheduler runs: started, not stopping and not closed. A node that is not
     * running leaves its jobs to the other nodes (and, alone, nobody runs them).
     */
    public boolean running() {
        var state = scheduler.getSchedulerState();
        return !closed.get() && state.isStarted() && !state.isShuttingDown() && !state.isPaused();
    }

    /** The name this node writes into {@code scheduled_tasks.picked_by} while it runs a job. */
    public String nodeName() {
        return nodeName;
    }

    /**
     * When the job runs next (read from the database, so any node's plan): the planned time of its
     * next execution, or of the one running now; empty for a name this node does not know.
     */
    public Optional<Instant> nextRun(String name) {
        if (!names.contains(name)) {
            return Optional.empty();
        }
        return scheduler.getScheduledExecution(TaskInstanceId.of(name, RecurringTask.INSTANCE))
                .map(execution -> execution.getExecutionTime());
    }

    /**
     * Stops polling, lets running jobs finish for up to the shutdown wait, then interrupts them and
     * waits up to as long again. Their executions stay planned in the database for the other nodes.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            scheduler.stop();
        }
    }

    /** Collects the jobs and settings of one node; {@link #start()} starts it. */
    public static final class Builder {

        private final DataSource dataSource;
        private final Clock clock;
        private final Map<String, Planned> tasks = new LinkedHashMap<>();
        private Meters meters = Meters.shared();
        private Duration pollingInterval = DEFAULT_POLLING_INTERVAL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private int threads = DEFAULT_THREADS;
        private Duration shutdownWait = DEFAULT_SHUTDOWN_WAIT;
        private String nodeName;

        private Builder(DataSource dataSource, Clock clock) {
            this.dataSource = dataSource;
            this.clock = clock;
        }

        /**
         * Runs {@code job} again {@code interval} after its previous run ended (so a slow run never
         * overlaps the next); the first run is due as soon as the job is new in the database.
         */
        public Builder every(String name, Duration interval, Job job) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval of job " + name + " must be positive: " + interval);
            }
            return add(name, Schedules.fixedDelay(interval), job);
        }

        /** Runs {@code job} every day at {@code time} in {@code zone} (e.g. 09:00 Asia/Tokyo = 00:00 UTC). */
        public Builder dailyAt(String name, LocalTime time, ZoneId zone, Job job) {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(zone, "zone");
            return add(name, Schedules.daily(zone, time), job);
        }

        /** How often to look for due executions (default {@link Jobs#DEFAULT_POLLING_INTERVAL}). */
        public Builder pollingInterval(Duration interval) {
            this.pollingInterval = positive(interval, "pollingInterval");
            return this;
        }

        /** How often to mark running executions alive (default {@link Jobs#DEFAULT_HEARTBEAT_INTERVAL}). */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeatInterval");
            return this;
        }

        /** How many jobs this node runs at the same time (default {@link Jobs#DEFAULT_THREADS}). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** How long {@link Jobs#close()} lets running jobs finish (default {@link Jobs#DEFAULT_SHUTDOWN_WAIT}). */
        public Builder shutdownWait(Duration wait) {
            this.shutdownWait = positive(wait, "shutdownWait");
            return this;
        }

        /** Where each job's runs, failures and time are counted (default {@link Meters#shared()}; docs/metrics.md). */
        public Builder meters(Meters meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** This node's name in {@code scheduled_tasks.picked_by} (default: host name and process id). */
        public Builder nodeName(String name) {
            this.nodeName = checkName(name, "nodeName");
            return this;
        }

        /** Plans the jobs new to the database and starts polling. */
        public Jobs start() {
            String node = nodeName != null ? nodeName : defaultNodeName();
            var builder = Scheduler.create(dataSource)
                    .startTasks(new ArrayList<>(tasks.values().stream().map(p -> Tasks.recurring(p.name(), p.schedule())
                            .execute(guarded(p.name(), p.job(), new JobMeters(meters, p.name())))).toList()))
                    .schedulerName(new SchedulerName.Fixed(node))
                    .clock(clock::instant)
                    .pollingInterval(pollingInterval)
                    .heartbeatInterval(heartbeatInterval)
                    .threads(threads)
                    // Heartbeats and dead-node checks are a query each now and then: one thread, not db-scheduler's three.
                    .housekeeperExecutor(housekeeper())
                    .shutdownMaxWait(shutdownWait)
                    // Failures are logged by guarded() below, once, with the job's name.
                    .failureLogging(LogLevel.OFF, false);
            if (isH2()) {
                // Our columns are TIMESTAMP WITH TIME ZONE, db-scheduler's default mapping; saying so
                // spares the warning its detection logs for a database it has no overrides for.
                builder.jdbcCustomization(new DefaultJdbcCustomization(false));
            }
            Scheduler scheduler = builder.build();
            scheduler.start();
            LOG.info("jobs started on node {}: {}", node, tasks.keySet());
            return new Jobs(scheduler, Collections.unmodifiableSet(new LinkedHashSet<>(tasks.keySet())), node);
        }

        private Builder add(String name, Schedule schedule, Job job) {
            checkName(name, "job name");
            Objects.requireNonNull(job, "job");
            if (tasks.containsKey(name)) {
                throw new IllegalArgumentException("two jobs named " + name);
            }
            tasks.put(name, new Planned(name, schedule, job));
            return this;
        }

        private boolean isH2() {
            try (Connection c = dataSource.getConnection()) {
                return "H2".equals(c.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                return false; // db-scheduler detects the database itself, and reports what fails
            }
        }
    }

    private record Planned(String name, Schedule schedule, Job job) {
    }

    /**
     * The job as db-scheduler runs it: gets the planned time, counts the run and its time, logs a failure once, and rethrows it so
     * db-scheduler counts it ({@code consecutive_failures}, {@code last_failure}) and plans the next
     * run by the schedule (its default for recurring tasks).
     */
    private static VoidExecutionHandler<Void> guarded(String name, Job job, JobMeters meters) {
        return (instance, context) -> {
            Instant scheduledAt = context.getExecution().getExecutionTime();
            long start = System.nanoTime();
            try {
                job.run(scheduledAt);
                meters.ran(true, System.nanoTime() - start);
            } catch (Throwable failure) {
                meters.ran(false, System.nanoTime() - start);
                LOG.warn("job {} planned for {} failed; it runs again at its next scheduled time", name, scheduledAt, failure);
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (failure instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (failure instanceof Error error) {
                    throw error;
                }
                throw new JobFailed(name, failure);
            }
        };
    }

    /** A checked exception of a job, carried through db-scheduler (which logs nothing of it). */
    private static final class JobFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JobFailed(String name, Throwable cause) {
            super("job " + name + " failed", cause, false, false);
        }
    }

    private static ScheduledExecutorService housekeeper() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "db-scheduler-housekeeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        String name = host + "#" + ProcessHandle.current().pid();
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(name.length() - MAX_NAME_LENGTH);
    }

    private static String checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH || !name.strip().equals(name)) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_NAME_LENGTH
                    + " characters without leading or trailing white space: '" + name + "'");
        }
        return name;
    }

    private static Duration positive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }
}
