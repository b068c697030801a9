package org.omamori.engine.ips;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.omamori.engine.ips.rules.AddressSpec;
import org.omamori.engine.ips.rules.Rule;

/**
 * Rules with no content, pcre or payload keyword (ET's address lists: CINS, compromised hosts,
 * botnet C2, Tor exits, thousands of addresses in a thousand rules) found by their addresses
 * rather than by Hyperscan: each is indexed under the single addresses of one side of its header
 * (the side that lists addresses), so an exchange looks up its two endpoints instead of checking
 * every list. Blocks wider than one address and rules with no listed side are checked for every
 * exchange. Candidates are then confirmed on their whole header, as any rule.
 */
final class HeaderOnlyRules {

    /** Rules by listed address; blocks by prefix length, then by masked network (keys start with the address length). */
    private final Map<String, int[]> byAddress;
    private final int[] prefixes;
    /** Rules with no side to index: tried for every exchange. */
    private final int[] always;

    private HeaderOnlyRules(Map<String, int[]> byAddress, int[] prefixes, int[] always) {
        this.byAddress = byAddress;
        this.prefixes = prefixes;
        this.always = always;
    }

    /** The index of the header-only rules among {@code rules}, or null when there is none. */
    static HeaderOnlyRules of(CompiledRule[] rules) {
        Map<String, List<Integer>> byAddress = new HashMap<>();
        java.util.TreeSet<Integer> prefixes = new java.util.TreeSet<>();
        List<Integer> always = new ArrayList<>();
        boolean any = false;
        for (CompiledRule r : rules) {
            if (r == null || !r.headerOnly) {
                continue;
            }
            any = true;
            Rule rule = r.rule;
            AddressSpec side = listed(rule.source()) ? rule.source() : listed(rule.destination()) ? rule.destination() : null;
            if (side == null) {
                always.add(r.index);
                continue;
            }
            for (AddressSpec.Cidr c : side.include()) {
                byte[] network = c.network();
                byAddress.computeIfAbsent(key(masked(network, c.prefix()), c.prefix()), k -> new ArrayList<>(1)).add(r.index);
                if (c.prefix() < network.length * 8) {
                    prefixes.add(c.prefix());
                }
            }
        }
        if (!any) {
            return null;
        }
        Map<String, int[]> index = new HashMap<>(byAddress.size() * 2);
        byAddress.forEach((k, v) -> index.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new HeaderOnlyRules(index, prefixes.stream().mapToInt(Integer::intValue).toArray(),
                always.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A side that lists addresses (no "any", no exclusions): every address it fits is in its list. */
    private static boolean listed(AddressSpec spec) {
        return !spec.any() && spec.exclude().isEmpty() && !spec.include().isEmpty();
    }

    /** The address (its length tells IPv4 from IPv6) with the prefix length, as a map key. */
    private static String key(byte[] network, int prefix) {
        return (char) prefix + new String(network, StandardCharsets.ISO_8859_1);
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /** Tells {@code rule} each header-only rule whose listed side holds {@code client} or {@code server} (a superset; may repeat). */
    void candidates(byte[] client, byte[] server, IntConsumer rule) {
        for (int r : always) {
            rule.accept(r);
        }
        lookUp(client, rule);
        lookUp(server, rule);
    }

    private void lookUp(byte[] address, IntConsumer rule) {
        accept(byAddress.get(key(address, address.length * 8)), rule);
        for (int prefix : prefixes) {
            if (prefix < address.length * 8) {
                accept(byAddress.get(key(masked(address, prefix), prefix)), rule);
            }
        }
    }

    private static void accept(int[] rules, IntConsumer rule) {
        if (rules != null) {
            for (int r : rules) {
                rule.accept(r);
            }
        }
    }
}
