package org.omamori.notify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;

/**
 * An important alert waiting for its customer's next alert mail.
 *
 * @param customer  the customer it belongs to (the store's id, opaque here)
 * @param appliance the appliance that saw it
 * @param alert     the alert: an important one (a grade that alerts), not suppressed
 * @param queuedAt  when grading opened it: the batch window counts from the first one queued
 */
public record PendingAlert(String customer, ApplianceRef appliance, Alert alert, Instant queuedAt) {

    public PendingAlert {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(appliance, "appliance");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(queuedAt, "queuedAt");
        // The grader already keeps access logs and suppressed alerts out (AlertChange#mails); this
        // is the second lock on the same door.
        if (!alert.grade().alerts()) {
            throw new IllegalArgumentException("alert " + alert.id() + " is not an important alert (grade "
                    + alert.grade().labelEn() + "): access logs are never mailed");
        }
        if (alert.suppressed()) {
            throw new IllegalArgumentException("alert " + alert.id() + " is suppressed by "
                    + alert.suppressedBy().orElseThrow() + " and is never mailed");
        }
    }

    /** The pending alert for a grading change, when the change mails. */
    public static Optional<PendingAlert> of(String customer, ApplianceRef appliance, AlertChange change, Instant now) {
        return change.mails()
                ? Optional.of(new PendingAlert(customer, appliance, change.alert(), now))
                : Optional.empty();
    }
}
