package org.omamori.api.engine;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Connection facts of a request.
 *
 * @param zones              where the traffic comes from and goes to
 * @param source             client address
 * @param sourcePort         client port, 0 when unknown
 * @param destination        server address
 * @param destinationPort    server port, 0 when unknown
 * @param sourceMac          the client's MAC address when the appliance sees it
 */
public record Connection(ZonePair zones, InetAddress source, int sourcePort, InetAddress destination,
                         int destinationPort, Optional<MacAddress> sourceMac) {

    public Connection {
        Objects.requireNonNull(zones, "zones");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(sourceMac, "sourceMac");
        checkPort(sourcePort);
        checkPort(destinationPort);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** A connection whose addresses are unknown, as when a URL is checked by hand. */
    public static Connection unknown() {
        InetAddress any = InetAddress.getLoopbackAddress();
        return new Connection(ZonePair.LAN_TO_WAN, any, 0, any, 0, Optional.empty());
    }
}
