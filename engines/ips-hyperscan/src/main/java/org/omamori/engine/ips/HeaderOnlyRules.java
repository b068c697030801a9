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

    private final Map<String, int[]> byAddress;
    /** Rules under a block wider than one address: the block and the rule. */
    private final List<AddressSpec.Cidr> blocks;
    private final int[] blockRules;
    /** Rules with no side to index: tried for every exchange. */
    private final int[] always;

    private HeaderOnlyRules(Map<String, int[]> byAddress, List<AddressSpec.Cidr> blocks, int[] blockRules, int[] always) {
        this.byAddress = byAddress;
        this.blocks = blocks;
        this.blockRules = blockRules;
        this.always = always;
    }

    /** The index of the header-only rules among {@code rules}, or null when there is none. */
    static HeaderOnlyRules of(CompiledRule[] rules) {
        Map<String, List<Integer>> byAddress = new HashMap<>();
        List<AddressSpec.Cidr> blocks = new ArrayList<>();
        List<Integer> blockRules = new ArrayList<>();
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
                if (c.prefix() == network.length * 8) {
                    byAddress.computeIfAbsent(key(network), k -> new ArrayList<>(1)).add(r.index);
                } else {
                    blocks.add(c);
                    blockRules.add(r.index);
                }
            }
        }
        if (!any) {
            return null;
        }
        Map<String, int[]> index = new HashMap<>(byAddress.size() * 2);
        byAddress.forEach((k, v) -> index.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new HeaderOnlyRules(index, List.copyOf(blocks), blockRules.stream().mapToInt(Integer::intValue).toArray(),
                always.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A side that lists addresses (no "any", no exclusions): every address it fits is in its list. */
    private static boolean listed(AddressSpec spec) {
        return !spec.any() && spec.exclude().isEmpty() && !spec.include().isEmpty();
    }

    private static String key(byte[] address) {
        return new String(address, StandardCharsets.ISO_8859_1);
    }

    /** Tells {@code rule} each header-only rule whose listed side holds {@code client} or {@code server} (a superset; may repeat). */
    void candidates(byte[] client, byte[] server, IntConsumer rule) {
        for (int r : always) {
            rule.accept(r);
        }
        lookUp(client, rule);
        lookUp(server, rule);
        for (int i = 0; i < blockRules.length; i++) {
            if (blocks.get(i).contains(client) || blocks.get(i).contains(server)) {
                rule.accept(blockRules[i]);
            }
        }
    }

    private void lookUp(byte[] address, IntConsumer rule) {
        int[] rules = byAddress.get(key(address));
        if (rules != null) {
            for (int r : rules) {
                rule.accept(r);
            }
        }
    }
}
