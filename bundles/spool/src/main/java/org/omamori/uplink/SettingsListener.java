package org.omamori.uplink;

/**
 * Told when a heartbeat's answer offers a version of the appliance's settings it has neither applied
 * nor refused (docs/fleet.md): an appliance's settings component registers one as a service and fetches it.
 * Called on the heartbeat thread: hand the work to your own.
 */
public interface SettingsListener {

    void newerSettings(int version);
}
