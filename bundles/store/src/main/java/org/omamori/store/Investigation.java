package org.omamori.store;

import org.omamori.grading.Alert;
import org.omamori.notify.ApplianceRef;

/**
 * An alert under investigation (調査中) waiting for the cloud's engines to look again.
 *
 * @param alert     the alert, with the facts it keeps
 * @param customer  whose it is
 * @param appliance the appliance that saw it, as the follow-up mail names it
 * @param edition   the customer's reseller's edition (empty: the neutral default), whose star table re-grades it
 */
public record Investigation(Alert alert, CustomerId customer, ApplianceRef appliance, java.util.Optional<String> edition) {
}
