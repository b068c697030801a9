package org.omamori.api.pipeline;

import java.util.List;
import java.util.Objects;

import org.omamori.api.engine.Verdict;

/**
 * The outcome of an inspection.
 *
 * @param verdict the merged verdict that the intake enforces
 * @param results one result per engine that took part, each of which becomes an event
 */
public record PipelineResult(Verdict verdict, List<EngineResult> results) {

    public PipelineResult {
        Objects.requireNonNull(verdict, "verdict");
        results = List.copyOf(results);
    }
}
