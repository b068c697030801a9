package org.omamori.grading;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.MacAddress;
import org.omamori.events.Event;

/**
 * The customer's host an event is about: the LAN-side address, and the MAC when the appliance
 * saw it. Evidence accumulates per {@link #key}: the MAC when known (a host keeps it when DHCP
 * gives it another address), else the address.
 *
 * @param address the host's address in the customer's network
 * @param mac     its MAC, when the appliance saw the client's MAC
 */
public record InternalHost(InetAddress address, Optional<MacAddress> mac) {

    public InternalHost {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
    }

    /**
     * The client for outbound and internal traffic; the server for inbound traffic (an attack on
     * a host the customer publishes), whose MAC the event does not carry.
     */
    public static InternalHost of(Event e) {
        return Flow.of(e.zones()) == Flow.INBOUND
                ? new InternalHost(e.destination(), Optional.empty())
                : new InternalHost(e.source(), e.mac());
    }

    /** What evidence accumulates under: {@code mac:00:1a:…} or {@code ip:192.168.1.23}. */
    public String key() {
        return mac.map(m -> "mac:" + m).orElseGet(() -> "ip:" + address.getHostAddress());
    }

    /** Whether a suppression's host text (an address or a MAC) names this host. */
    public boolean isNamedBy(String text) {
        return text.equals(address.getHostAddress()) || mac.map(m -> m.toString().equals(text)).orElse(false);
    }

    /** As the mail shows it: {@code 192.168.1.23} or {@code 192.168.1.23 (00:1a:2b:3c:4d:5e)}. */
    @Override
    public String toString() {
        return address.getHostAddress() + mac.map(m -> " (" + m + ")").orElse("");
    }
}
