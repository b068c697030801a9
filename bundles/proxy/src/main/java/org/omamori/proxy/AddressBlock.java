package org.omamori.proxy;

import java.net.InetAddress;

import org.omamori.events.IpLiteral;

/**
 * A network in CIDR notation ({@code 127.0.0.0/8}, {@code fe80::/10}); a bare address is a /32 or
 * /128. IPv4 blocks match IPv4 addresses only: the JDK turns IPv4-mapped IPv6 literals into IPv4
 * addresses before they get here.
 *
 * @param network the network's bytes (4 or 16)
 * @param prefix  the prefix length in bits
 */
public record AddressBlock(byte[] network, int prefix) {

    /** Parses {@code address[/prefix]}; the message names the bad entry. */
    public static AddressBlock parse(String entry) {
        String e = entry.strip();
        int slash = e.indexOf('/');
        byte[] bytes;
        try {
            bytes = IpLiteral.parse(slash < 0 ? e : e.substring(0, slash)).getAddress();
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("network '" + entry + "' is not an address or CIDR block like 169.254.0.0/16");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = e.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > max) {
                throw new IllegalArgumentException("network '" + entry + "' has a prefix length that is not 0-" + max);
            }
            prefix = Integer.parseInt(p);
        }
        return new AddressBlock(bytes, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressBlock b && b.prefix == prefix && java.util.Arrays.equals(b.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }
}
