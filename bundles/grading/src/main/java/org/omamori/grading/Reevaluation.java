package org.omamori.grading;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;

/**
 * Resolves alerts under investigation (調査中) with a fresh opinion from the cloud's own engines,
 * run with newer definitions on the alert's facts (its URL, DNS name, server, rule). The fresh
 * finding is graded by the same star table, on the same traffic: what the appliance did (the
 * result) and which way it went stay those of the alert.
 */
public final class Reevaluation {

    private final StarTable table;

    public Reevaluation(StarTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    /** One engine's verdict on the alert's facts, with its further findings; a clean verdict, or one with no evidence, is benign. */
    public Resolution resolve(Alert alert, EngineDescriptor engine, Verdict verdict, Instant at) {
        return resolve(alert, engine, verdict.findings(), at); // every rule that matched, not only the one enforced
    }

    /**
     * Several findings (from one engine or more): the most important grade wins; none with evidence is benign.
     *
     * @throws IllegalArgumentException when the alert is not under investigation
     */
    public Resolution resolve(Alert alert, EngineDescriptor engine, List<Finding> findings, Instant at) {
        if (!alert.underInvestigation()) {
            throw new IllegalArgumentException("alert " + alert.id() + " is " + alert.grade().labelEn()
                    + ", not under investigation: nothing to resolve");
        }
        Grade best = Grade.NONE;
        Optional<String> bestRule = Optional.empty();
        Optional<Finding> bestFinding = Optional.empty();
        for (Finding f : findings) {
            if (f.evidence().equals(Evidence.NONE)) {
                continue;
            }
            Facts facts = alert.facts().withFinding(engine.id(), functionOf(alert, engine), f);
            Optional<StarTable.Rule> rule = table.grade(facts);
            Grade g = rule.map(StarTable.Rule::grade).orElse(Grade.NONE);
            if (bestFinding.isEmpty() || g.compareTo(best) > 0) {
                best = g;
                bestRule = rule.map(StarTable.Rule::id);
                bestFinding = Optional.of(f);
            }
        }
        Resolution.Outcome outcome = switch (best) {
            case NONE -> Resolution.Outcome.BENIGN;
            case UNDER_INVESTIGATION -> Resolution.Outcome.STILL_UNDER_INVESTIGATION;
            default -> Resolution.Outcome.CONFIRMED;
        };
        return new Resolution(alert.withGrade(best), outcome, bestRule, bestFinding, at);
    }

    /** The alert's function when the engine serves it, else the engine's first by name: deterministic. */
    private static SecurityFunction functionOf(Alert alert, EngineDescriptor engine) {
        if (engine.serves(alert.facts().function())) {
            return alert.facts().function();
        }
        return engine.functions().stream().min(Comparator.comparing(SecurityFunction::id)).orElseThrow();
    }
}
