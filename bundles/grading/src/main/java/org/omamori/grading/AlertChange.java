package org.omamori.grading;

import java.util.Objects;

/**
 * What one event did to the alerts: opened one, or was folded into one as a repeat.
 *
 * @param type   opened or repeated
 * @param alert  the alert as it is now; the store upserts it by id
 */
public record AlertChange(Type type, Alert alert) {

    public enum Type {
        /** A new alert: mail it, unless suppressed. */
        OPENED,
        /** A repeat within the dedup time: count and last time changed; no new mail. */
        REPEATED
    }

    public AlertChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(alert, "alert");
    }

    /** Whether the notification should mail this change: a new important alert that is not suppressed. */
    public boolean mails() {
        return type == Type.OPENED && alert.grade().alerts() && !alert.suppressed();
    }
}
