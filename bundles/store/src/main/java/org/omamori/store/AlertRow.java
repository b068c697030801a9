package org.omamori.store;

import java.time.Instant;
import java.util.Optional;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Result;
import org.omamori.grading.AlertId;
import org.omamori.grading.Grade;

/**
 * An important alert as the portal's alert list shows it.
 *
 * @param displayId     the alert ID the portal shows, {@code <10-digit epoch second>-<seq>} (e.g.
 *                      {@code 1593757050-9}), unique per customer, given when the alert was first stored
 *                      (docs/store.md "Alert display id"); empty only for a row written outside grading
 * @param applianceName where the appliance stands, as the customer named it (may be empty)
 * @param rule          the star-table rule that raised it
 * @param host          the internal host (IP literal) it is about
 * @param target        what the host reached (URL, domain, file name…)
 * @param first         when it was raised (its first event's time): the list's time and order
 * @param last          its latest event's time
 * @param count         the events folded into it
 * @param suppressedBy  the suppression that silenced it, if one did
 * @param state         {@code OPEN}, or {@code RESOLVED} when an investigation ended
 * @param resolution    {@code CONFIRMED} or {@code BENIGN} once resolved
 * @param result        what the appliance did with the event that raised it (pass, block…); empty
 *                      once that event is gone (retention)
 */
public record AlertRow(AlertId id, String displayId, CustomerId customer, ApplianceId appliance, String applianceName, String rule,
                       Grade grade, String host, SecurityFunction function, String target, Instant first, Instant last,
                       long count, Optional<String> suppressedBy, String state, Optional<String> resolution,
                       Optional<Result> result) {

    public boolean suppressed() {
        return suppressedBy.isPresent();
    }
}
