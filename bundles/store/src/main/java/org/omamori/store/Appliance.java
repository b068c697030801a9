package org.omamori.store;

import java.time.Instant;
import java.util.Optional;

import org.omamori.events.ApplianceId;

/**
 * An appliance registered for a customer.
 *
 * @param activationPending an activation code was issued and not used yet
 * @param activatedAt       when the last activation gave a device token; empty before
 */
public record Appliance(ApplianceId id, CustomerId customer, Instant registeredAt, boolean activationPending,
                        Optional<Instant> activatedAt) {
}
