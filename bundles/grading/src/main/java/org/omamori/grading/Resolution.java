package org.omamori.grading;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.Finding;

/**
 * How an investigation ended: the follow-up report mail is sent when {@link #mails()}.
 *
 * @param alert    the alert as it is now: graded by the finding, or {@link Grade#NONE} when benign
 * @param outcome  confirmed, benign, or still under investigation
 * @param rule     the star-table rule that graded the fresh finding, when one did
 * @param finding  the finding that decided, when there was one
 * @param at       when it was resolved
 */
public record Resolution(Alert alert, Outcome outcome, Optional<String> rule, Optional<Finding> finding, Instant at) {

    public enum Outcome {
        /** The cloud's engines confirmed a threat: the alert now has stars. */
        CONFIRMED,
        /** Nothing harmful found: the alert is benign. */
        BENIGN,
        /** Still suspicious and unconfirmed: investigate again with newer definitions; no mail yet. */
        STILL_UNDER_INVESTIGATION
    }

    public Resolution {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(at, "at");
    }

    /** Whether the investigation report mail goes out (000 §4.3.1: 調査完了後に調査報告結果を送信). */
    public boolean mails() {
        return outcome != Outcome.STILL_UNDER_INVESTIGATION;
    }
}
