package org.omamori.scheduler;

import java.time.Instant;

/**
 * One job's work, run by {@link Jobs} on one node of the cluster for each planned execution.
 * Make it idempotent: when a node dies during a run, another node runs that execution again
 * once the dead node's heartbeat is overdue.
 */
@FunctionalInterface
public interface Job {

    /**
     * Does the work planned for {@code scheduledAt} (the planned time, not the time it started:
     * a run that starts late still sees the time it was due).
     *
     * @throws Exception anything: the failure is logged with the job's name, the planned time and
     *         the exception (message and stack trace, so keep secrets and personal data out of
     *         messages), and the job runs again at its next scheduled time
     */
    void run(Instant scheduledAt) throws Exception;
}
