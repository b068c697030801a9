package org.omamori.cloud.ingest;

import java.time.Instant;
import java.util.Optional;

import org.omamori.events.ApplianceId;
import org.omamori.store.Heartbeat;

/** POST /api/v1/heartbeat, as read: the appliance it claims to be and what the store keeps. */
public record HeartbeatReport(ApplianceId appliance, Heartbeat heartbeat, Optional<Instant> lastSuccess) {
}
