package org.omamori.scheduler;

import org.omamori.metrics.Counter;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Timer;

/**
 * One job's meters (docs/metrics.md): its runs on this node by result, and their time. Counted
 * where db-scheduler runs the job, so a run on another node counts there.
 */
final class JobMeters {

    static final String RUNS = "omamori.cloud.job.runs";
    static final String DURATION = "omamori.cloud.job.duration";

    private final Counter succeeded;
    private final Counter failed;
    private final Timer duration;

    JobMeters(Meters meters, String job) {
        String help = "Runs of a scheduled job on this node, by result";
        succeeded = meters.counter(RUNS, help, "job", job, "result", "success");
        failed = meters.counter(RUNS, help, "job", job, "result", "failure");
        duration = meters.timer(DURATION, "Time of one run of a scheduled job on this node", "job", job);
    }

    void ran(boolean ok, long nanos) {
        (ok ? succeeded : failed).increment();
        duration.recordNanos(nanos);
    }
}
