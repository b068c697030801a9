package org.omamori.proxy;

import java.util.List;

/**
 * Where the proxy may connect. A LAN client must not use the proxy to reach the appliance itself
 * (its admin endpoint, its DNS filter), loopback, link-local or other forbidden networks: the
 * address a name resolves to is checked before any connection is made, so a name that resolves
 * to 127.0.0.1 is refused like the literal ({@link Destinations}).
 *
 * @param forbidden          networks never connected to
 * @param allowed            exceptions to {@code forbidden} and to the appliance's own addresses
 *                           (an intranet server, a test origin)
 * @param forbidOwnAddresses whether the addresses of the appliance's own interfaces are refused
 */
public record DestinationPolicy(List<AddressBlock> forbidden, List<AddressBlock> allowed, boolean forbidOwnAddresses) {

    /** Loopback, "this network", link-local, multicast, reserved and broadcast, IPv4-compatible IPv6. */
    public static final List<String> DEFAULT_FORBIDDEN = List.of("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16",
            "224.0.0.0/4", "240.0.0.0/4", "::/96", "fe80::/10", "fec0::/10", "ff00::/8");

    public static final DestinationPolicy DEFAULTS = of(DEFAULT_FORBIDDEN, List.of(), true);

    public DestinationPolicy {
        forbidden = List.copyOf(forbidden);
        allowed = List.copyOf(allowed);
    }

    public static DestinationPolicy of(List<String> forbidden, List<String> allowed, boolean forbidOwnAddresses) {
        return new DestinationPolicy(forbidden.stream().map(AddressBlock::parse).toList(),
                allowed.stream().map(AddressBlock::parse).toList(), forbidOwnAddresses);
    }

    /** The same, with more exceptions (tests and the demo reach an origin on a loopback address). */
    public DestinationPolicy allowing(String... blocks) {
        List<AddressBlock> more = new java.util.ArrayList<>(allowed);
        for (String b : blocks) {
            more.add(AddressBlock.parse(b));
        }
        return new DestinationPolicy(forbidden, more, forbidOwnAddresses);
    }
}
