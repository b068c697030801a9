package org.omamori.dns;

import java.net.InetAddress;
import java.util.Objects;

import org.omamori.api.engine.Zone;

/**
 * Who asked: the zone of the listener it reached, its address and port, and the transport.
 */
public record Client(Zone zone, InetAddress address, int port, Transport transport) {

    public Client {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
