package org.omamori.metrics;

import java.util.Objects;

/**
 * A check's state: ok, or not with the reason an operator can act on (what is wrong and where
 * to look), never a secret or personal data.
 */
public record Health(boolean healthy, String reason) {

    private static final Health OK = new Health(true, "");

    public Health {
        Objects.requireNonNull(reason, "reason");
        if (!healthy && reason.isBlank()) {
            throw new IllegalArgumentException("a failing check says why");
        }
    }

    public static Health ok() {
        return OK;
    }

    public static Health degraded(String reason) {
        return new Health(false, reason);
    }

    /** {@code ok}, or {@code degraded: reason}: the value the health endpoints show. */
    @Override
    public String toString() {
        return healthy ? "ok" : "degraded: " + reason;
    }
}
