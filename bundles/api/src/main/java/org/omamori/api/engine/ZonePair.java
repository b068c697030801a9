package org.omamori.api.engine;

import java.util.Objects;

/** The zone a connection came from and the zone it goes to. */
public record ZonePair(Zone from, Zone to) {

    /** The usual case: a LAN host reaching the internet. */
    public static final ZonePair LAN_TO_WAN = new ZonePair(Zone.LAN, Zone.WAN);

    public ZonePair {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String toString() {
        return from + "->" + to;
    }
}
