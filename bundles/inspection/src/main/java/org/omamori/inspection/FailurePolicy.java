package org.omamori.inspection;

import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.Verdict;

/** What a failed engine's verdict is: the request must never fail with the engine. */
public enum FailurePolicy {
    /** Let the traffic through; the event records that the engine did not decide. */
    OPEN,
    /** Refuse the traffic while the engine cannot decide. */
    CLOSED;

    Verdict verdictFor(String engineId, String problem) {
        return switch (this) {
            case OPEN -> Verdict.clean().withNote("not inspected by " + engineId + ": " + problem);
            case CLOSED -> Verdict.block(new Finding("engine-failure:" + engineId,
                    "検査エンジン障害 / Engine failure", Level.HIGH, 100))
                    .withNote("blocked because " + engineId + " could not inspect: " + problem);
        };
    }
}
