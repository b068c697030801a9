package org.omamori.smtp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whom the intake relays for. A recipient is taken when its domain is one of the relay domains
 * (inbound: the internet's servers hand the office its mail), or when the client's address is in
 * one of the relay networks (outbound: the office's own server sends through the appliance).
 * Nothing else is taken, so with neither configured the intake takes no mail at all.
 *
 * <p>An open relay is impossible by construction: a domain is a name, never a pattern (no
 * {@code *}); a network must be at least a /8 (IPv4) or a /16 (IPv6), so "everyone" cannot be
 * written; and the address checks in {@link MailAddress} refuse the tricks that route mail on
 * past a relay domain (source routes, {@code %} and {@code !} in the local part).
 */
public final class RelayPolicy {

    private final Set<String> domains;
    private final List<Network> networks;

    public RelayPolicy(List<String> domains, List<String> networks) {
        TreeSet<String> d = new TreeSet<>();
        for (String domain : domains) {
            String s = domain.strip().toLowerCase(Locale.ROOT);
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!MailAddress.isDomain(s) || s.startsWith("[")) {
                throw new IllegalArgumentException("relay domain must be a domain name (no pattern, no address literal): " + domain);
            }
            d.add(s);
        }
        this.domains = Set.copyOf(d);
        List<Network> n = new ArrayList<>();
        for (String network : networks) {
            n.add(Network.parse(network.strip()));
        }
        this.networks = List.copyOf(n);
    }

    public static RelayPolicy none() {
        return new RelayPolicy(List.of(), List.of());
    }

    /** Whether a mail from this client to this recipient may be relayed. */
    public boolean allows(InetAddress client, MailAddress recipient) {
        return domains.contains(recipient.domain()) || fromRelayNetwork(client);
    }

    public boolean fromRelayNetwork(InetAddress client) {
        for (Network n : networks) {
            if (n.contains(client)) {
                return true;
            }
        }
        return false;
    }

    public Set<String> domains() {
        return domains;
    }

    /** An address block, {@code 192.168.1.0/24} or a single address. */
    record Network(byte[] address, int prefix) {

        static Network parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            if (!host.matches("[0-9A-Fa-f:.]+")) {
                throw new IllegalArgumentException("relay network must be an address or address/prefix: " + text);
            }
            byte[] a;
            try {
                a = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("relay network must be an address or address/prefix: " + text);
            }
            int bits = a.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + text);
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix out of range: " + text);
            }
            int least = a.length == 4 ? 8 : 16;
            if (prefix < least) {
                throw new IllegalArgumentException("a relay network wider than /" + least + " would make an open relay: " + text);
            }
            return new Network(a, prefix);
        }

        boolean contains(InetAddress candidate) {
            byte[] c = candidate.getAddress();
            if (c.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (c[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (c[full] & mask) == (address[full] & mask);
        }
    }
}
