package org.omamori.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing of the job {@code definitions-canaries} (docs/definitions.md "Staged rollout").
 *
 * @param every between two runs of the check
 * @param quiet canaries whose last heartbeat is older than this do not count (an appliance switched off
 *              neither holds a rollout back for long nor promotes it)
 */
public record CanaryCheck(Duration every, Duration quiet) {

    /** Every 5 minutes; heartbeats within 2 hours count. */
    public static final CanaryCheck STANDARD = new CanaryCheck(Duration.ofMinutes(5), Duration.ofHours(2));

    public CanaryCheck {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(quiet, "quiet");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the canary check's interval must be positive: " + every);
        }
        if (quiet.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("the canary check's quiet window must be at least a minute (a heartbeat's period): " + quiet);
        }
    }
}
