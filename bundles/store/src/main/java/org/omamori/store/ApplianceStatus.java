package org.omamori.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.omamori.events.ApplianceId;

/**
 * An appliance as the portal lists it.
 *
 * @param lastContact     when the cloud received its last heartbeat
 * @param firmwareVersion from its last heartbeat
 * @param definitions     definitions in force, from its last heartbeat
 * @param name            where it stands, as the customer named it (may be empty)
 */
public record ApplianceStatus(ApplianceId appliance, CustomerId customer, String customerName, Liveness liveness,
                              Optional<Instant> lastContact, Optional<String> firmwareVersion,
                              Map<String, String> definitions, String name) {

    public enum Liveness {
        /** A heartbeat came within the silence limit. */
        ONLINE,
        /** Silent for longer than the limit (10 minutes, docs/notify.md). */
        STOPPED,
        /** No heartbeat ever (not activated or never connected). */
        NEVER_SEEN
    }
}
