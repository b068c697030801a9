package org.omamori.cloud.ingest;

import org.omamori.events.ApplianceId;

/** POST /api/v1/activate, as read. {@link #toString} never shows the code. */
public record ActivationRequest(ApplianceId appliance, String activationCode, String firmwareVersion) {

    @Override
    public String toString() {
        return "ActivationRequest[appliance=" + appliance + ", firmwareVersion=" + firmwareVersion + "]";
    }
}
