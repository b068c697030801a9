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

    /** IPv6 rules by listed address; blocks by prefix length, then by masked network (keys start with the prefix length). */
    private final Map<String, int[]> byAddress;
    /** IPv4 rules by {@link #v4Key}: looked up for every exchange and every prefix length, so without making a key object. */
    private final V4Table byV4;
    /**
     * The first 16 bits of every IPv4 network of prefix length 16 or more in {@link #byV4}, as a
     * bitset: an address whose first 16 bits are in none (most of them: ET lists a few thousand
     * networks) needs no look-up at those lengths, which are most of {@link #prefixes}.
     */
    private final long[] v4Top16;
    private final int[] prefixes;
    /** Rules with no side to index: tried for every exchange. */
    private final int[] always;

    private HeaderOnlyRules(Map<String, int[]> byAddress, V4Table byV4, long[] v4Top16, int[] prefixes, int[] always) {
        this.byAddress = byAddress;
        this.byV4 = byV4;
        this.v4Top16 = v4Top16;
        this.prefixes = prefixes;
        this.always = always;
    }

    /** The index of the header-only rules among {@code rules}, or null when there is none. */
    static HeaderOnlyRules of(CompiledRule[] rules) {
        Map<String, List<Integer>> byAddress = new HashMap<>();
        Map<Long, List<Integer>> v4 = new HashMap<>();
        long[] top16 = new long[(1 << 16) / 64];
        java.util.TreeSet<Integer> prefixes = new java.util.TreeSet<>();
        List<Integer> always = new ArrayList<>();
        boolean any = false;
        for (CompiledRule r : rules) {
            if (r == null || !r.headerOnly) {
                continue;
            }
            any = true;
            Rule rule = r.rule;
            AddressSpec side = narrower(rule.source(), rule.destination());
            if (side == null) {
                always.add(r.index);
                continue;
            }
            for (AddressSpec.Cidr c : side.include()) {
                byte[] network = c.network();
                if (network.length == 4) {
                    int masked = ipv4(masked(network, c.prefix()));
                    v4.computeIfAbsent(v4Key(masked, c.prefix()), k -> new ArrayList<>(1)).add(r.index);
                    if (c.prefix() >= 16) {
                        top16[masked >>> 16 >>> 6] |= 1L << (masked >>> 16);
                    }
                } else {
                    byAddress.computeIfAbsent(key(masked(network, c.prefix()), c.prefix()), k -> new ArrayList<>(1)).add(r.index);
                }
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
        return new HeaderOnlyRules(index, V4Table.of(v4), top16, prefixes.stream().mapToInt(Integer::intValue).toArray(),
                always.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The listed side that holds fewer addresses, or null when neither lists any: a rule from
     * {@code $HOME_NET} to a list of a few servers is found by those servers, not by every client
     * of the home networks (either side is correct: an exchange fits the rule only if an endpoint
     * is in each side's list).
     */
    private static AddressSpec narrower(AddressSpec source, AddressSpec destination) {
        if (!listed(source)) {
            return listed(destination) ? destination : null;
        }
        return listed(destination) && addresses(destination) < addresses(source) ? destination : source;
    }

    /** How many addresses a listed side holds, counting an IPv6 address as an IPv4 one (a size to compare, no more). */
    private static double addresses(AddressSpec spec) {
        double n = 0;
        for (AddressSpec.Cidr c : spec.include()) {
            n += Math.pow(2, c.network().length * 8 - c.prefix());
        }
        return n;
    }

    /** A side that lists addresses (no "any", no exclusions): every address it fits is in its list. */
    private static boolean listed(AddressSpec spec) {
        return !spec.any() && spec.exclude().isEmpty() && !spec.include().isEmpty();
    }

    /** The address (its length tells IPv4 from IPv6) with the prefix length, as a map key. */
    private static String key(byte[] network, int prefix) {
        return (char) prefix + new String(network, StandardCharsets.ISO_8859_1);
    }

    /** An IPv4 network (already masked) with its prefix length: never negative, so -1 marks an empty slot. */
    private static long v4Key(int network, int prefix) {
        return (long) prefix << 32 | (network & 0xFFFFFFFFL);
    }

    private static int ipv4(byte[] address) {
        return (address[0] & 0xff) << 24 | (address[1] & 0xff) << 16 | (address[2] & 0xff) << 8 | (address[3] & 0xff);
    }

    /** An open-addressing table from {@link #v4Key} to rules, built once per rule set. */
    private record V4Table(long[] keys, int[][] rules) {

        static V4Table of(Map<Long, List<Integer>> entries) {
            int size = Integer.highestOneBit(Math.max(4, entries.size() * 2)) << 1; // at most a quarter full
            long[] keys = new long[size];
            java.util.Arrays.fill(keys, -1);
            int[][] rules = new int[size][];
            entries.forEach((k, v) -> {
                int i = slot(k, size);
                while (keys[i] != -1) {
                    i = (i + 1) & (size - 1);
                }
                keys[i] = k;
                rules[i] = v.stream().mapToInt(Integer::intValue).toArray();
            });
            return new V4Table(keys, rules);
        }

        int[] get(long key) {
            int i = slot(key, keys.length);
            while (keys[i] != -1) {
                if (keys[i] == key) {
                    return rules[i];
                }
                i = (i + 1) & (keys.length - 1);
            }
            return null;
        }

        private static int slot(long key, int size) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 32) & (size - 1);
        }
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
        if (address.length == 4) {
            int a = ipv4(address);
            // at 16 bits and more a network keeps the address's first 16 bits: none listed, none found
            boolean near = (v4Top16[a >>> 16 >>> 6] & 1L << (a >>> 16)) != 0;
            if (near) {
                accept(byV4.get(v4Key(a, 32)), rule);
            }
            for (int prefix : prefixes) {
                if (prefix < 32 && (near || prefix < 16)) {
                    accept(byV4.get(v4Key(prefix == 0 ? 0 : a & (-1 << (32 - prefix)), prefix)), rule);
                }
            }
            return;
        }
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
