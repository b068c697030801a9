package org.omamori.engine.urlfilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * equal a rule or sit right under a wildcard rule, and the library decides. A hash collision
 * costs one library call, never a wrong answer. Built once, on first use; thread-safe after that.
 * The international rules are filtered the same way, by the hashes of their xn-- form, converted
 * when the first xn-- name is asked about: the library's half second at start (its digests of the
 * list, its trie) was a third of the appliance's start with the sample lists, for one IDN entry.
 */
final class PublicSuffixes {

    private static final class Holder {
        static final PublicSuffixes INSTANCE = new PublicSuffixes();
    }

    /** Hashes of every rule's name (both sections, exceptions too): names that may be a suffix. */
    private final long[] names;
    /** Hashes of X for every wildcard rule {@code *.X}: a name one label under X may be a suffix. */
    private final long[] wildcardParents;
    private final int mask;
    /** The international rules as written (wildcard and exception marks kept), converted on first need. */
    private final List<String> internationalRules = new ArrayList<>();

    /** {@link #international} of the one instance, built when the first xn-- name is asked about. */
    private static final class InternationalHolder {
        static final PublicSuffixes INSTANCE = Holder.INSTANCE.international();
    }

    /**
     * The filter is read straight from the library's copy of the list (rule names only, tens of
     * milliseconds); the library itself, which takes about half a second to read the list, is
     * started only when a name passes the filter, which most lists never do.
     */
    private PublicSuffixes() {
        byte[] data;
        try (InputStream in = EffectiveTldFinder.class.getResourceAsStream(EffectiveTldFinder.ETLD_DATA)) {
            data = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the Public Suffix List could not be read", e);
        }
        int cap = Integer.highestOneBit(Math.max(1024, data.length / 8)) << 1; // ≥ 4 slots a rule
        names = new long[cap];
        wildcardParents = new long[cap];
        mask = cap - 1;
        int rules = 0;
        for (int i = 0; i < data.length; ) {
            int end = i;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            int s = i;
            while (s < end && (data[s] == ' ' || data[s] == '\t' || data[s] == '\r')) {
                s++;
            }
            int e = s; // a rule is the line's first word
            while (e < end && (data[e] & 0xff) > ' ') {
                e++;
            }
            i = end + 1;
            if (e == s || (e - s >= 2 && data[s] == '/' && data[s + 1] == '/')) {
                continue;
            }
            rules++;
            boolean wildcard = e - s >= 2 && data[s] == '*' && data[s + 1] == '.';
            int from = wildcard ? s + 2 : data[s] == '!' ? s + 1 : s;
            boolean ascii = true;
            for (int j = from; j < e; j++) {
                ascii &= data[j] >= 0;
            }
            if (!ascii) {
                // An international rule: any name it covers has an xn-- label; converted on first need.
                internationalRules.add(new String(data, s, e - s, StandardCharsets.UTF_8));
                continue;
            }
            long h = KeyTable.hashRightToLeft(data, from, e - from); // lower-cases as it goes
            add(names, h);
            if (wildcard) {
                add(wildcardParents, h);
            }
        }
        if (rules < 1000) {
            // The library's copy is missing: refuse to load lists rather than pass every suffix.
            throw new IllegalStateException("the Public Suffix List did not load (" + rules + " rules)");
        }
    }

    /** A filter of the same layout over the international rules' xn-- forms alone. */
    private PublicSuffixes(int cap) {
        names = new long[cap];
        wildcardParents = new long[cap];
        mask = cap - 1;
    }

    /**
     * The filter of the international rules, or null when one does not convert (every xn-- name
     * then goes to the library, as the library converts the rules itself).
     */
    private PublicSuffixes international() {
        PublicSuffixes f = new PublicSuffixes(Integer.highestOneBit(Math.max(256, internationalRules.size() * 4)) << 1);
        for (String rule : internationalRules) {
            boolean wildcard = rule.startsWith("*.");
            String name = wildcard ? rule.substring(2) : rule.startsWith("!") ? rule.substring(1) : rule;
            byte[] ascii;
            try {
                ascii = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).getBytes(StandardCharsets.ISO_8859_1); // as HostNames converts entries
            } catch (IllegalArgumentException notConvertible) {
                return null;
            }
            long h = KeyTable.hashRightToLeft(ascii, 0, ascii.length);
            f.add(f.names, h);
            if (wildcard) {
                f.add(f.wildcardParents, h);
            }
        }
        return f;
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
        boolean candidate = covers(name, len, hash);
        if (!candidate && hasXnLabel(name, len)) {
            PublicSuffixes international = InternationalHolder.INSTANCE;
            candidate = international == null || international.covers(name, len, hash);
        }
        if (!candidate) {
            return false;
        }
        return library(name, len);
    }

    /** Whether a label of the name starts with xn--: only such a name can be covered by an international rule. */
    private static boolean hasXnLabel(byte[] name, int len) {
        for (int i = 0; i + 4 <= len; i++) {
            if ((i == 0 || name[i - 1] == '.') && name[i] == 'x' && name[i + 1] == 'n' && name[i + 2] == '-' && name[i + 3] == '-') {
                return true;
            }
        }
        return false;
    }

    /** Whether a rule of this filter may cover the name: it equals one, or sits one label under a wildcard's parent. */
    private boolean covers(byte[] name, int len, long hash) {
        if (contains(names, hash)) {
            return true;
        }
        int dot = 0;
        while (dot < len && name[dot] != '.') {
            dot++;
        }
        return dot < len && contains(wildcardParents, KeyTable.hashRightToLeft(name, dot + 1, len - dot - 1));
    }

    /** Counts the library's answers: tests see which names the filter let through. */
    static final java.util.concurrent.atomic.AtomicLong LIBRARY_CALLS = new java.util.concurrent.atomic.AtomicLong();

    private static boolean library(byte[] name, int len) {
        LIBRARY_CALLS.incrementAndGet();
        String text = new String(name, 0, len, StandardCharsets.ISO_8859_1);
        EffectiveTldFinder.EffectiveTLD suffix = EffectiveTldFinder.getEffectiveTLD(text, true);
        return suffix != null && !suffix.isException() && suffix.getDomain().equals(text);
    }
}
