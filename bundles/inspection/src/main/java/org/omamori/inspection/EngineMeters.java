package org.omamori.inspection;

import java.util.Locale;
import java.util.stream.Collectors;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.pipeline.EngineResult.Outcome;
import org.omamori.metrics.Counter;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Timer;

/**
 * One engine's meters (docs/metrics.md), registered when the engine comes into force so an
 * inspection only bumps counters it already holds: verdicts by action, failures by outcome and
 * the failure policy that answered for the engine, and the engine's time per inspection.
 */
final class EngineMeters {

    private final Counter[] verdicts = new Counter[Action.values().length];
    /** [outcome: TIMEOUT, ENGINE_ERROR][policy: OPEN, CLOSED] */
    private final Counter[][] failures = new Counter[2][FailurePolicy.values().length];
    private final Timer duration;

    EngineMeters(Meters meters, EngineDescriptor descriptor) {
        String engine = descriptor.id();
        // An engine's functions are fixed, e.g. "url-filtering" or "antivirus": one tag value per engine.
        String function = descriptor.functions().stream().map(SecurityFunction::id).sorted()
                .collect(Collectors.joining("+"));
        for (Action action : Action.values()) {
            verdicts[action.ordinal()] = meters.counter("omamori.inspection.verdicts",
                    "Engine verdicts at the end of an inspection, by engine, function and action (failures included, with the policy's verdict)",
                    "engine", engine, "function", function, "action", action.name().toLowerCase(Locale.ROOT));
        }
        Outcome[] failed = {Outcome.TIMEOUT, Outcome.ENGINE_ERROR};
        for (int o = 0; o < failed.length; o++) {
            for (FailurePolicy policy : FailurePolicy.values()) {
                failures[o][policy.ordinal()] = meters.counter("omamori.inspection.failures",
                        "Engine calls that failed or overran their budget, and the failure policy that answered (open: passed, closed: blocked)",
                        "engine", engine, "function", function, "outcome", failed[o].name().toLowerCase(Locale.ROOT),
                        "policy", policy.name().toLowerCase(Locale.ROOT));
            }
        }
        duration = meters.timer("omamori.inspection.engine.duration",
                "Time one engine spent on one inspection, all its calls together", "engine", engine, "function", function);
    }

    void ended(Action action, long nanos) {
        verdicts[action.ordinal()].increment();
        duration.recordNanos(nanos);
    }

    void failed(Outcome outcome, FailurePolicy policy) {
        failures[outcome == Outcome.TIMEOUT ? 0 : 1][policy.ordinal()].increment();
    }
}
