package org.omamori.api.engine;

import java.util.Objects;

/**
 * What an engine recognised: the rule or signature that decided.
 *
 * @param ruleId     stable id of the rule or signature, e.g. {@code category:phishing} or {@code sid:2100498}
 * @param ruleName   human-readable name, e.g. the signature name or the category label
 * @param level      severity
 * @param confidence how sure the engine is, 0 to 100
 * @param evidence   what the finding is evidence of for grading; {@link Evidence#NONE} when nothing (since 1.1)
 */
public record Finding(String ruleId, String ruleName, Level level, int confidence, Evidence evidence) {

    public Finding {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(evidence, "evidence");
        if (ruleId.isBlank()) {
            throw new IllegalArgumentException("ruleId must not be blank");
        }
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0..100: " + confidence);
        }
    }

    /** A finding that is no grading evidence, as in API 1.0. */
    public Finding(String ruleId, String ruleName, Level level, int confidence) {
        this(ruleId, ruleName, level, confidence, Evidence.NONE);
    }
}
