package org.omamori.cloud.ingest;

import java.util.Optional;

import org.omamori.events.ApplianceId;

/** What an appliance made of a version of its settings: applied (no refusal) or refused with the reason. */
public record SettingsReport(ApplianceId appliance, int version, Optional<String> refusal) {
}
