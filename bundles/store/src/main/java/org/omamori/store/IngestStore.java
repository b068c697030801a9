package org.omamori.store;

import java.util.List;
import java.util.Optional;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.osgi.annotation.versioning.ProviderType;

/** What the cloud's ingest API (docs/api/uplink.yaml) needs from the database. Thread-safe. */
@ProviderType
public interface IngestStore {

    /**
     * One-time activation: the appliance id and its activation code give a new device token
     * (returned once, stored hashed); empty when the id is unknown, the code wrong, or already used.
     */
    Optional<String> activate(ApplianceId appliance, String activationCode);

    /** The appliance a device token belongs to; empty when unknown. */
    Optional<ApplianceId> authenticate(String deviceToken);

    /**
     * Stores a batch in one transaction, each event at most once by id (a replayed batch stores
     * nothing twice).
     *
     * @throws IllegalArgumentException when an event's appliance is not {@code appliance}; nothing is stored
     */
    IngestResult store(ApplianceId appliance, List<Event> events);

    /** Records the appliance's heartbeat and its last contact. */
    void heartbeat(ApplianceId appliance, Heartbeat heartbeat);
}
