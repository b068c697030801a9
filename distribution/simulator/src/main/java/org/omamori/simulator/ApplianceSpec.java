package org.omamori.simulator;

import java.util.Objects;

import org.omamori.events.ApplianceId;

/**
 * One virtual appliance to run.
 *
 * @param id             its appliance id (12 hex digits), registered in the cloud
 * @param customer       the customer it belongs to, for logs and for the caller's bookkeeping
 *                       (the cloud knows the customer by the appliance's registration)
 * @param activationCode the one-time code the cloud gave at registration; used once, then the
 *                       device token stored in the appliance's home is used. Never logged.
 * @param profile        the traffic it replays
 * @param host           the customer PC whose traffic it is
 */
public record ApplianceSpec(ApplianceId id, String customer, String activationCode, TrafficProfile profile, CustomerHost host) {

    public ApplianceSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(activationCode, "activationCode");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(host, "host");
    }

    /** With a host numbered from the id's last byte (192.168.1.11 .. 192.168.1.255). */
    public static ApplianceSpec of(String id, String customer, String activationCode, TrafficProfile profile) {
        ApplianceId applianceId = ApplianceId.parse(id);
        int last = Integer.parseInt(applianceId.value().substring(10), 16);
        return new ApplianceSpec(applianceId, customer, activationCode, profile, CustomerHost.numbered(1 + last % 245));
    }

    /** Never prints the activation code. */
    @Override
    public String toString() {
        return "ApplianceSpec[" + id + ", customer=" + customer + ", profile=" + profile.name() + ", host=" + host
                + ", activationCode=" + (activationCode.isEmpty() ? "(none)" : "(set)") + "]";
    }
}
