package org.omamori.engine.urlfilter;

import java.util.Map;

import crawlercommons.domains.EffectiveTldFinder;

/**
 * Whether a list entry is a bare public suffix ({@code com}, {@code co.jp}, {@code foo.kawasaki.jp}
 * under {@code *.kawasaki.jp}): listed alone it would block every site registered under it. The
 * rules are the ICANN section of the Public Suffix List as crawler-commons ships it (its copy of
 * the list is updated with each release). The private section ({@code github.io},
 * {@code duckdns.org}) does not count: such a name belongs to one company, and lists block whole
 * providers on purpose (dynamic DNS, tunnel services).
 *
 * <p>Asking the library costs about 0.3 µs a name, as much as loading the entry itself; so a
 * filter of the rules' hashes ({@link KeyTable#hashRightToLeft}) sends it only the names that
 * equal a rule or sit right under a wildcard rule. A hash collision costs one library call, never
 * a wrong answer. Built once, on first use; thread-safe after that.
 */
final class PublicSuffixes {

    private static final class Holder {
        static final PublicSuffixes INSTANCE = new PublicSuffixes(EffectiveTldFinder.getEffectiveTLDs());
    }

    /** Hashes of every rule's name (both sections, exceptions too): names that may be a suffix. */
    private final long[] names;
    /** Hashes of X for every wildcard rule {@code *.X}: a name one label under X may be a suffix. */
    private final long[] wildcardParents;
    private final int mask;

    private PublicSuffixes(Map<String, EffectiveTldFinder.EffectiveTLD> rules) {
        if (rules.size() < 1000) {
            // The library could not read its copy of the list: refuse to load rather than pass every suffix.
            throw new IllegalStateException("the Public Suffix List did not load (" + rules.size() + " rules)");
        }
        int cap = Integer.highestOneBit(Math.max(16, rules.size() * 4) - 1) << 1;
        names = new long[cap];
        wildcardParents = new long[cap];
        mask = cap - 1;
        byte[] buf = new byte[256];
        for (var e : rules.entrySet()) {
            String name = e.getKey();
            if (name.length() > buf.length || !name.chars().allMatch(c -> c < 0x80)) {
                continue; // the Unicode spelling of an IDN rule; its xn-- spelling is a key too
            }
            ListLoader.copyAscii(name, buf);
            long h = KeyTable.hashRightToLeft(buf, 0, name.length());
            add(names, h);
            if (e.getValue().isWildcard()) {
                add(wildcardParents, h);
            }
        }
    }

    private void add(long[] set, long h) {
        int i = (int) h & mask;
        while (set[i] != 0 && set[i] != h) {
            i = (i + 1) & mask;
        }
        set[i] = h;
    }

    private boolean contains(long[] set, long h) {
        for (int i = (int) h & mask; set[i] != 0; i = (i + 1) & mask) {
            if (set[i] == h) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code name[0, len)}, a canonical domain name (lower-case ASCII, punycode, two labels
     * or more), is a public suffix of the ICANN section.
     *
     * @param hash {@code KeyTable.hashRightToLeft(name, 0, len)}
     */
    static boolean isBare(byte[] name, int len, long hash) {
        return Holder.INSTANCE.test(name, len, hash);
    }

    private boolean test(byte[] name, int len, long hash) {
        boolean candidate = contains(names, hash);
        if (!candidate) {
            int dot = 0;
            while (dot < len && name[dot] != '.') {
                dot++;
            }
            candidate = dot < len && contains(wildcardParents, KeyTable.hashRightToLeft(name, dot + 1, len - dot - 1));
        }
        if (!candidate) {
            return false;
        }
        String text = new String(name, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        EffectiveTldFinder.EffectiveTLD suffix = EffectiveTldFinder.getEffectiveTLD(text, true);
        return suffix != null && !suffix.isException() && suffix.getDomain().equals(text);
    }
}
