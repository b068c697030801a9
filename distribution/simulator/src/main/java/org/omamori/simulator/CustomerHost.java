package org.omamori.simulator;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.MacAddress;

/**
 * The PC on the customer's LAN whose traffic a profile replays.
 *
 * @param address its private address
 * @param mac     its MAC, as the appliance's intakes see it on the LAN
 */
public record CustomerHost(InetAddress address, Optional<MacAddress> mac) {

    public CustomerHost {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
    }

    public static CustomerHost of(String address, String mac) {
        return new CustomerHost(TrafficStep.address(address), Optional.of(MacAddress.parse(mac)));
    }

    /** A host numbered {@code n} (1..250): 192.168.1.(10+n), MAC 02:00:5e:00:01:nn (locally administered). */
    public static CustomerHost numbered(int n) {
        if (n < 1 || n > 245) {
            throw new IllegalArgumentException("host number must be 1..245: " + n);
        }
        return of("192.168.1." + (10 + n), String.format("02:00:5e:00:01:%02x", n));
    }

    @Override
    public String toString() {
        return address.getHostAddress() + mac.map(m -> " (" + m + ")").orElse("");
    }
}
