package org.omamori.proxy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * Applies a {@link DestinationPolicy}. The appliance's own addresses are read from its interfaces
 * and read again at most every {@value #OWN_REFRESH_SECONDS} s, so an address that DHCP hands out
 * later is covered soon.
 */
final class Destinations {

    static final int OWN_REFRESH_SECONDS = 30;

    private final DestinationPolicy policy;
    private volatile Set<InetAddress> own = Set.of();
    private volatile long ownReadAt = Long.MIN_VALUE;

    Destinations(DestinationPolicy policy) {
        this.policy = policy;
    }

    /** Why the proxy must not connect to {@code address}, or null when it may. */
    String refusal(InetAddress address) {
        for (AddressBlock a : policy.allowed()) {
            if (a.contains(address)) {
                return null;
            }
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return "a loopback or unspecified address";
        }
        for (AddressBlock f : policy.forbidden()) {
            if (f.contains(address)) {
                return "a forbidden network (" + f + ")";
            }
        }
        if (policy.forbidOwnAddresses() && ownAddresses().contains(address)) {
            return "the appliance itself";
        }
        return null;
    }

    /** The address a host name or literal resolves to, or null. */
    static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private Set<InetAddress> ownAddresses() {
        long now = System.nanoTime();
        if (ownReadAt == Long.MIN_VALUE || now - ownReadAt > OWN_REFRESH_SECONDS * 1_000_000_000L) {
            Set<InetAddress> found = new HashSet<>();
            try {
                var interfaces = NetworkInterface.getNetworkInterfaces();
                while (interfaces != null && interfaces.hasMoreElements()) {
                    interfaces.nextElement().getInetAddresses().asIterator().forEachRemaining(found::add);
                }
            } catch (SocketException e) {
                // keep what was known: refusing nothing new is better than failing every request
                return own;
            }
            own = Set.copyOf(found);
            ownReadAt = now;
        }
        return own;
    }
}
