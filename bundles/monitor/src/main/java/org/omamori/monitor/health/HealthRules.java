package org.omamori.monitor.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.notify.Fault.Component;
import org.omamori.notify.Fault.Level;
import org.omamori.store.Faults.Affected;
import org.omamori.store.Faults.HeartbeatReading;
import org.omamori.store.Faults.JobReading;
import org.omamori.store.Faults.Observation;
import org.omamori.store.Faults.OutboxReading;

/**
 * The classification (000 §9.2), as plain functions from what the probes read to the faults they
 * observe. A: customers are not told of abnormal traffic (mail, the mailing jobs, ingest). B: one
 * appliance's events do not reach the cloud, for its customer. Z: a failure the service covers
 * (a retried job, a dead node whose work another takes over, one refused address).
 */
public final class HealthRules {

    private HealthRules() {
    }

    /** The outbox: stuck or given-up mails mean alerts are not reaching customers (A); refusals of single mails are Z. */
    public static List<Observation> mail(OutboxReading r, HealthSettings s) {
        List<Observation> out = new ArrayList<>();
        if (r.stuck() > 0 || r.retried() > 0) {
            out.add(everyone(Level.A, Component.MAIL, "mail", r.stuck() + " mails pending longer than " + s.mailStuckAfter().toMinutes()
                    + " min" + r.oldestStuck().map(t -> " (oldest since " + t + ")").orElse("") + ", " + r.retried()
                    + " given up after retrying in the last " + s.givenUpWindow().toMinutes() + " min: the SMTP server is not taking mail"));
        }
        if (r.refused() > 0) {
            out.add(new Observation(Level.Z, Component.MAIL, "mail:refused", r.refused() + " mails refused permanently in the last "
                    + s.givenUpWindow().toMinutes() + " min (an address or a policy, not the server): ./omamori cloud outbox --full",
                    Optional.empty(), Affected.nobody()));
        }
        return out;
    }

    /**
     * The scheduler's table ({@code watchingSince}: when this node's check first ran): an essential job overdue or failing {@code jobFailures} times in a row is A;
     * other jobs, and fewer failures, are Z; a node that died while running a job is Z (another node takes over).
     */
    public static List<Observation> jobs(List<JobReading> jobs, Instant now, HealthSettings s, String self, Instant watchingSince) {
        List<Observation> out = new ArrayList<>();
        for (JobReading j : jobs) {
            if (j.name().equals(self)) {
                continue; // this very run
            }
            boolean essential = s.essentialJobs().contains(j.name());
            // A plan made before the check started (e.g. the cluster was down overnight) is caught up after the start, not before.
            Duration late = Duration.between(j.nextRun().isAfter(watchingSince) ? j.nextRun() : watchingSince, now);
            List<String> why = new ArrayList<>();
            Level level = null;
            if (late.compareTo(s.jobOverdue()) >= 0) {
                why.add("planned for " + j.nextRun() + ", " + late.toMinutes() + " min late" + (j.running() ? " (still running on "
                        + j.node().orElse("?") + ")" : " (no node took it)"));
                level = essential ? Level.A : Level.Z;
            }
            if (j.consecutiveFailures() > 0) {
                why.add(j.consecutiveFailures() + " failures in a row, last success " + j.lastSuccess().map(Instant::toString).orElse("never"));
                Level failing = essential && j.consecutiveFailures() >= s.jobFailures() ? Level.A : Level.Z;
                level = level == null ? failing : level.worse(failing);
            }
            if (level != null) {
                out.add(new Observation(level, Component.SCHEDULER, "scheduler:" + j.name(), "job " + j.name() + ": " + String.join("; ", why),
                        Optional.empty(), level == Level.Z ? Affected.nobody() : Affected.everyone()));
            }
            if (j.running() && j.lastHeartbeat().map(h -> Duration.between(h, now).compareTo(s.nodeDeadAfter()) >= 0).orElse(false)) {
                String node = j.node().orElse("?");
                out.add(new Observation(Level.Z, Component.SCHEDULER, "scheduler:node:" + node, "node " + node
                        + " stopped while running job " + j.name() + " (last heartbeat " + j.lastHeartbeat().orElseThrow()
                        + "); another node takes the job over", Optional.empty(), Affected.nobody()));
            }
        }
        return out;
    }

    /**
     * The ingest. A: no event made within {@code ingestSilence} is stored while at least half of the
     * running appliances (and at least one) have events pending: events are not getting in, for anyone.
     * Otherwise, per appliance, B for its customer: a spool that dropped events (counters are since the
     * appliance started: cleared when it is restarted or replaced) or holds {@code spoolBacklog} events;
     * Z: batches the cloud refused as invalid (kept on the appliance, the next ones go on).
     */
    public static Ingest ingest(boolean eventsRecent, List<HeartbeatReading> running, HealthSettings s) {
        long withPending = running.stream().filter(h -> counter(h, "pending") > 0).count();
        if (!eventsRecent && withPending > 0 && withPending * 2 >= running.size()) {
            long pending = running.stream().mapToLong(h -> counter(h, "pending")).sum();
            return new Ingest(true, List.of(everyone(Level.A, Component.INGEST, "ingest", "no event made in the last "
                    + s.ingestSilence().toMinutes() + " min is stored, while " + withPending + " of " + running.size()
                    + " running appliances have " + pending + " events pending")));
        }
        List<Observation> out = new ArrayList<>();
        for (HeartbeatReading h : running) {
            long pending = counter(h, "pending");
            long dropped = counter(h, "dropped");
            if (dropped > 0 || pending >= s.spoolBacklog()) {
                out.add(new Observation(Level.B, Component.APPLIANCE, "spool:" + h.appliance().value(), "appliance "
                        + h.appliance().value() + ": " + pending + " events pending, " + dropped + " dropped from a full spool since "
                        + h.startedAt(), Optional.of(h.appliance()), Affected.of(h.customer())));
            }
            long quarantined = counter(h, "quarantined");
            if (quarantined > 0) {
                out.add(new Observation(Level.Z, Component.APPLIANCE, "quarantine:" + h.appliance().value(), "appliance "
                        + h.appliance().value() + ": " + quarantined + " events refused by the cloud as invalid since " + h.startedAt()
                        + " (kept in the appliance's quarantine folder)", Optional.of(h.appliance()), Affected.nobody()));
            }
        }
        return new Ingest(false, out);
    }

    /**
     * What the ingest probe observed.
     *
     * @param stopped the cloud's ingest stopped: appliances' own faults are neither opened nor resolved meanwhile
     *                (their backlogs are the cloud's doing, and their customers are told through the A fault)
     */
    public record Ingest(boolean stopped, List<Observation> observations) {
    }

    /** A database outage seen by this node, recorded once the database answers again. */
    public static Observation database(Instant since, Instant back, String node, String error, HealthSettings s) {
        Duration lasted = Duration.between(since, back);
        boolean lasting = lasted.compareTo(s.databaseOutageA()) >= 0;
        String summary = "node " + node + " could not reach the database from " + since + " to " + back + " (" + lasted.toSeconds()
                + " s): " + error;
        return lasting ? everyone(Level.A, Component.DATABASE, "database", summary)
                : new Observation(Level.Z, Component.DATABASE, "database", summary, Optional.empty(), Affected.nobody());
    }

    private static Observation everyone(Level level, Component component, String key, String summary) {
        return new Observation(level, component, key, summary, Optional.empty(), Affected.everyone());
    }

    private static long counter(HeartbeatReading h, String name) {
        Long v = h.counters().get(name);
        return v == null ? 0 : v;
    }
}
