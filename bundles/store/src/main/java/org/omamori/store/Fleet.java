package org.omamori.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.omamori.events.ApplianceId;
import org.osgi.annotation.versioning.ProviderType;

/** The appliances' liveness and versions, always within a tenant scope. */
@ProviderType
public interface Fleet {

    /** Silence after which an appliance is stopped (docs/monitor.md, docs/store.md). */
    Duration STOPPED_AFTER = Duration.ofMinutes(10);

    /** Every appliance the scope may see, by id, judged at {@code now}. */
    List<ApplianceStatus> status(TenantScope scope, Instant now, Duration stoppedAfter);

    default List<ApplianceStatus> status(TenantScope scope, Instant now) {
        return status(scope, now, STOPPED_AFTER);
    }

    /** The last heartbeat of an appliance the scope may see; empty for none or another tenant's. */
    Optional<Heartbeat> lastHeartbeat(TenantScope scope, ApplianceId appliance);
}
