package org.omamori.grading;

import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;

/** Which way a connection went, seen from the customer's networks. */
public enum Flow {
    /** From a customer zone (LAN, an SSID) to the internet: the client is the customer's host. */
    OUTBOUND,
    /** From the internet to a customer zone: the server is the customer's host. */
    INBOUND,
    /** Between two customer zones (LAN and an SSID): the client is the host graded. */
    INTERNAL;

    public static Flow of(ZonePair zones) {
        boolean fromWan = zones.from().equals(Zone.WAN);
        boolean toWan = zones.to().equals(Zone.WAN);
        if (fromWan && !toWan) {
            return INBOUND;
        }
        return !fromWan && toWan ? OUTBOUND : INTERNAL;
    }

    /** The name in the star table: {@code outbound}, {@code inbound}, {@code internal}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
