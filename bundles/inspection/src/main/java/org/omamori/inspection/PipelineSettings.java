package org.omamori.inspection;

import java.time.Duration;
import java.util.Objects;

/**
 * How the pipeline treats engines.
 *
 * @param engineBudget  the longest one engine call may take before it counts as failed
 * @param failurePolicy what a failed engine's verdict is
 * @param drainTimeout  how long a departing engine's in-flight inspections are waited for
 * @param zones         which zone pairs are inspected; others pass with no engine asked
 */
public record PipelineSettings(Duration engineBudget, FailurePolicy failurePolicy, Duration drainTimeout, ZoneMatrix zones) {

    public static final PipelineSettings DEFAULTS =
            new PipelineSettings(Duration.ofSeconds(5), FailurePolicy.OPEN, Duration.ofSeconds(30), ZoneMatrix.DEFAULT);

    /** With the default zone matrix. */
    public PipelineSettings(Duration engineBudget, FailurePolicy failurePolicy, Duration drainTimeout) {
        this(engineBudget, failurePolicy, drainTimeout, ZoneMatrix.DEFAULT);
    }

    public PipelineSettings {
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        Objects.requireNonNull(zones, "zones");
        if (engineBudget.isNegative() || engineBudget.isZero()) {
            throw new IllegalArgumentException("engine budget must be positive: " + engineBudget);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative: " + drainTimeout);
        }
    }
}
