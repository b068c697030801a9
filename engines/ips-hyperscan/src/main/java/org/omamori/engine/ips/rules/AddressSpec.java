package org.omamori.engine.ips.rules;

import java.net.InetAddress;
import java.util.List;

/**
 * An address field with variables resolved: any, or a set of CIDR blocks to include and to
 * exclude ({@code [10.0.0.0/8,!10.1.0.0/16]}, {@code !$HOME_NET}).
 */
public record AddressSpec(boolean any, List<Cidr> include, List<Cidr> exclude) {

    public static final AddressSpec ANY = new AddressSpec(true, List.of(), List.of());

    public AddressSpec {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public boolean matches(InetAddress address) {
        return matches(address.getAddress());
    }

    /** {@link #matches(InetAddress)} on the address's bytes ({@link InetAddress#getAddress()}, a copy per call: take it once). */
    public boolean matches(byte[] address) {
        for (Cidr c : exclude) {
            if (c.contains(address)) {
                return false;
            }
        }
        if (any) {
            return true;
        }
        for (Cidr c : include) {
            if (c.contains(address)) {
                return true;
            }
        }
        return include.isEmpty() && !exclude.isEmpty();
    }

    /** An address block: {@code 192.0.2.0/24}, {@code 2001:db8::/32}, or one address. */
    public record Cidr(byte[] network, int prefix) {

        public Cidr {
            if (network.length != 4 && network.length != 16) {
                throw new IllegalArgumentException("an address has 4 or 16 bytes");
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("prefix out of range: /" + prefix);
            }
            network = network.clone();
        }

        /** By value: a record compares arrays by identity, and equal blocks must be equal (rule headers are interned). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && prefix == c.prefix && java.util.Arrays.equals(network, c.network);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
            }
        }

        public boolean contains(InetAddress address) {
            return contains(address.getAddress());
        }

        public boolean contains(byte[] a) {
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
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
