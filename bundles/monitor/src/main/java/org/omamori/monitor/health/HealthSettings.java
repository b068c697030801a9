package org.omamori.monitor.health;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The thresholds of the health check (docs/monitor.md "Faults").
 *
 * @param smtpConfigured  mail is sent at all; without SMTP, mails stay in the outbox by design and the mail probe is off
 * @param mailStuckAfter  a mail PENDING this long is not reaching the customer (default 15 min)
 * @param givenUpWindow   mails given up within this look back count (default 1 h)
 * @param essentialJobs   jobs whose stop means customers are not told of alerts or stops (level A)
 * @param jobOverdue      a job this late has not run (default 5 min)
 * @param jobFailures     failures in a row that make a failing job a fault of its level (default 3; fewer: Z)
 * @param nodeDeadAfter   a running job's heartbeat this old: its node died (default 4 min; db-scheduler takes over after 3)
 * @param heartbeatFresh  an appliance heard from within this counts as running (default 10 min, as liveness)
 * @param ingestSilence   no event made within this stored while appliances have events pending: ingest stopped (default 15 min)
 * @param spoolBacklog    an appliance with this many events pending is not getting them to the cloud (default 10,000 = 20 batches)
 * @param databaseTimeout the database probe's query timeout (default 5 s)
 * @param databaseOutageA a database outage at least this long was level A; a shorter one on one node is Z (default 5 min)
 */
public record HealthSettings(boolean smtpConfigured, Duration mailStuckAfter, Duration givenUpWindow, Set<String> essentialJobs,
                             Duration jobOverdue, int jobFailures, Duration nodeDeadAfter, Duration heartbeatFresh,
                             Duration ingestSilence, long spoolBacklog, Duration databaseTimeout, Duration databaseOutageA) {

    public HealthSettings {
        Objects.requireNonNull(mailStuckAfter, "mailStuckAfter");
        Objects.requireNonNull(givenUpWindow, "givenUpWindow");
        essentialJobs = Set.copyOf(essentialJobs);
        Objects.requireNonNull(jobOverdue, "jobOverdue");
        Objects.requireNonNull(nodeDeadAfter, "nodeDeadAfter");
        Objects.requireNonNull(heartbeatFresh, "heartbeatFresh");
        Objects.requireNonNull(ingestSilence, "ingestSilence");
        Objects.requireNonNull(databaseTimeout, "databaseTimeout");
        Objects.requireNonNull(databaseOutageA, "databaseOutageA");
        if (jobFailures < 1 || spoolBacklog < 1) {
            throw new IllegalArgumentException("jobFailures and spoolBacklog must be positive");
        }
    }

    /** The defaults, with SMTP configured or not. */
    public static HealthSettings standard(boolean smtpConfigured) {
        return new HealthSettings(smtpConfigured, Duration.ofMinutes(15), Duration.ofHours(1),
                Set.of("alert-mail", "liveness", "send-mail"), Duration.ofMinutes(5), 3, Duration.ofMinutes(4),
                Duration.ofMinutes(10), Duration.ofMinutes(15), 10_000, Duration.ofSeconds(5), Duration.ofMinutes(5));
    }
}
