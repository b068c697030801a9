package org.omamori.engine.urlfilter;

/**
 * The lookups of one {@link CategoryLists}' tables for a host and a path already found in a
 * request's bytes: which domain entry (the host or a parent) and which URL entry (the host with a
 * path prefix) match, and which of two matches decides. Apart from {@link CategoryLists} so that
 * the URL's parsing and the match codes' meaning stay there and the table walks here.
 */
final class ListWalk {

    /** Set in a match code that names a URL entry; clear for a domain or IP entry. */
    static final int URL_FLAG = 1 << 30;
    /** From {@link #urls}: the path holds raw non-ASCII bytes; percent-encode and try again. */
    static final int RAW_UTF8_PATH = -2;

    private final KeyTable domainTable;
    private final KeyTable urlTable;
    /** Per set of categories: whether its deciding category blocks. */
    private final boolean[] setBlocks;

    ListWalk(KeyTable domainTable, KeyTable urlTable, boolean[] setBlocks) {
        this.domainTable = domainTable;
        this.urlTable = urlTable;
        this.setBlocks = setBlocks;
    }

    /**
     * Tries the host and each of its parent domains, right to left, with one running hash. The
     * last label alone ({@code com} of {@code a.example.com}) is tried only when the table holds a
     * key without a dot: a list's names have two labels or more, so the probe (a miss-filter word
     * out of cache, for every lookup) could never match.
     */
    int domains(byte[] b, int hs, int he) {
        KeyTable t = domainTable;
        int best = CategoryLists.NO_MATCH;
        int bestScore = -1;
        long h = KeyTable.start();
        boolean skipLabel = !t.holdsDotless(); // the next dot found is the last label's
        for (int i = he - 1; i >= hs; i--) {
            int c = KeyTable.lower(b[i]);
            if (c == '.' && skipLabel) {
                skipLabel = false;
            } else if (c == '.') {
                int slot = t.probe(KeyTable.finish(h), b, i + 1, he);
                if (slot >= 0) {
                    int s = score(slot);
                    if (s > bestScore) {
                        best = slot;
                        bestScore = s;
                    }
                }
            }
            h = KeyTable.step(h, c);
        }
        int slot = t.probe(KeyTable.finish(h), b, hs, he);
        if (slot >= 0 && score(slot) > bestScore) {
            best = slot;
        }
        return best;
    }

    /** Tries host + each path prefix ending at a segment boundary, left to right. */
    int urls(byte[] b, int hs, int he, int ps, int pe) {
        KeyTable t = urlTable;
        if (he - hs > 4 && (b[hs] | 0x20) == 'w' && (b[hs + 1] | 0x20) == 'w' && (b[hs + 2] | 0x20) == 'w' && b[hs + 3] == '.') {
            hs += 4;
        }
        long h = KeyTable.start();
        for (int i = hs; i < he; i++) {
            h = KeyTable.step(h, KeyTable.lower(b[i]));
        }
        int best = CategoryLists.NO_MATCH;
        int bestScore = -1;
        boolean query = false;
        for (int i = ps; i <= pe; i++) {
            int c = i < pe ? KeyTable.lower(b[i]) : -1;
            if (c >= 0x80) {
                return RAW_UTF8_PATH;
            }
            if (c == -1 || (!query && (c == '/' || c == '?'))) {
                int slot = t.probe(KeyTable.finish(h), b, hs, he, ps, i);
                if (slot >= 0) {
                    int code = slot | URL_FLAG;
                    int s = score(code);
                    if (s > bestScore) {
                        best = code;
                        bestScore = s;
                    }
                }
                query |= c == '?';
            }
            if (c != -1) {
                h = KeyTable.step(h, c);
            }
        }
        return best;
    }

    /** Blocking first, then URL over domain, then the longer entry. */
    int score(int code) {
        boolean url = (code & URL_FLAG) != 0;
        int slot = code & ~URL_FLAG;
        KeyTable t = url ? urlTable : domainTable;
        return (setBlocks[t.value(slot)] ? 1 << 20 : 0) | (url ? 1 << 19 : 0) | t.keyLength(slot);
    }
}
