package org.omamori.store;

import java.util.List;

import org.omamori.events.ApplianceId;

/**
 * What {@link Tenants#erase} destroyed at a contract's end.
 *
 * @param customer   the customer, which no longer exists
 * @param appliances its appliances: their credentials revoked, each marked for erasure when it comes back
 * @param rows       rows deleted, all tables together
 */
public record Erasure(CustomerId customer, List<ApplianceId> appliances, long rows) {

    public Erasure {
        appliances = List.copyOf(appliances);
    }
}
