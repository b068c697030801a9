package org.omamori.api.pipeline;

import java.time.Duration;
import java.util.Objects;

import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Verdict;

/**
 * One engine's part in an inspection.
 *
 * @param engine  which engine
 * @param outcome whether it decided, failed or ran out of time
 * @param verdict its verdict; for a failed engine, the verdict the failure policy gave
 * @param error   what went wrong, empty when it decided
 * @param elapsed time spent in the engine
 */
public record EngineResult(EngineDescriptor engine, Outcome outcome, Verdict verdict, String error, Duration elapsed) {

    public EngineResult {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** How an engine's part ended. */
    public enum Outcome {
        /** The engine gave its verdict. */
        DECIDED,
        /** The engine threw; the failure policy decided. */
        ENGINE_ERROR,
        /** The engine exceeded its time budget; the failure policy decided. */
        TIMEOUT
    }

    public boolean failed() {
        return outcome != Outcome.DECIDED;
    }
}
