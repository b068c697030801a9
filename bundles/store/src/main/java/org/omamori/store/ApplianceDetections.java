package org.omamori.store;

import java.util.Map;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;

/**
 * One of a customer's appliances with its detections (threat events) per security function in a
 * period ({@link Statistics#compareAppliances}); an appliance without any has an empty map.
 *
 * @param name       where it stands, as the customer named it (may be empty)
 * @param byFunction ordered by function id
 */
public record ApplianceDetections(ApplianceId appliance, String name, Map<SecurityFunction, Long> byFunction) {

    public long total() {
        return byFunction.values().stream().mapToLong(Long::longValue).sum();
    }
}
