package org.omamori.monitor.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.monitor.health.HealthRules;
import org.omamori.monitor.health.HealthSettings;
import org.omamori.store.Faults;

/**
 * The {@code scheduler} check of the cloud's {@code /health} (docs/metrics.md): degraded when this
 * node's scheduler is not running, or when any job (planned by any node: one table) is overdue by
 * the fault rules' threshold or failed that many times in a row. The rules are the fault check's
 * ({@link HealthRules#jobs}) with every job counted as essential: the endpoint names any job that
 * does not run, the fault rules decide what customers hear of. Not essential: jobs run on any node,
 * so a load balancer taking this one out would not help.
 */
public final class SchedulerHealth implements HealthCheck {

    private final BooleanSupplier running;
    private final Cached<List<Faults.Observation>> jobs;

    /** @param running whether this node's scheduler runs ({@code Jobs::running}) */
    public SchedulerHealth(BooleanSupplier running, Faults faults, HealthSettings settings, Clock clock) {
        this.running = running;
        Instant watchingSince = clock.instant();
        this.jobs = new Cached<>(() -> {
            List<Faults.JobReading> all = faults.jobs();
            HealthSettings s = withEssential(settings, all);
            // No job is "self" here: the health job itself is judged too.
            return HealthRules.jobs(all, clock.instant(), s, "", watchingSince).stream()
                    .filter(o -> o.level() == org.omamori.notify.Fault.Level.A).toList();
        }, CloudGauges.TTL, clock);
    }

    private static HealthSettings withEssential(HealthSettings s, List<Faults.JobReading> jobs) {
        return new HealthSettings(s.smtpConfigured(), s.mailStuckAfter(), s.givenUpWindow(),
                jobs.stream().map(Faults.JobReading::name).collect(java.util.stream.Collectors.toSet()), s.jobOverdue(), s.jobFailures(),
                s.nodeDeadAfter(), s.heartbeatFresh(), s.ingestSilence(), s.spoolBacklog(), s.databaseTimeout(), s.databaseOutageA());
    }

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public Health check() {
        if (!running.getAsBoolean()) {
            return Health.degraded("the scheduler is not running on this node (stopped, or it failed to start: see the log); "
                    + "its jobs run on the other nodes, if any");
        }
        List<Faults.Observation> failing;
        try {
            failing = jobs.get();
        } catch (RuntimeException e) {
            return Health.degraded("the job table could not be read: " + e.getClass().getSimpleName());
        }
        return failing.isEmpty() ? Health.ok() : Health.degraded(String.join("; ", failing.stream().map(Faults.Observation::summary).toList()));
    }
}
