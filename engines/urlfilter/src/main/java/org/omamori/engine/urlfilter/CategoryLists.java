package org.omamori.engine.urlfilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.omamori.api.engine.Finding;

/**
 * Category lists loaded from a directory in the squidGuard/UT1 layout, ready for matching.
 * Immutable once loaded and safe to share between threads, until released: an owner that
 * swaps lists out ({@link UrlFilter}) has readers {@link #retain()} them for a lookup.
 *
 * <p>Loading: {@link #load(Path, long, LoadProgress)}. Matching: {@link #match(String)} for a
 * URL or host as a person types it; {@link #find(String, String)} and
 * {@link #find(byte[], int, int)} for hot paths, returning an int match code that
 * {@link #describe}, {@link #categoryOf}, {@link #blocks} and {@link #entryOf} explain.
 *
 * <p>Rules: a host matches an entry for itself or any parent domain; IP literals match only
 * the same address; a {@code urls} entry matches the same host (leading {@code www.} dropped on
 * both sides) and a path starting with the entry's path at a segment boundary. Everything is
 * case-insensitive; international names compare in punycode. When several entries match, one
 * in a blocking category wins; otherwise the most specific (URL over domain, then longer).
 */
public final class CategoryLists {

    /** No entry matched. */
    public static final int NO_MATCH = -1;
    /** Default limit on the number of entries of one lists directory. */
    public static final long DEFAULT_MAX_ENTRIES = 5_000_000;
    /** Progress is reported each time this many more entries have been loaded. */
    public static final int PROGRESS_STEP = 100_000;

    private static final int URL_FLAG = ListWalk.URL_FLAG;
    private static final int SCRATCH = 8192;
    private static final ThreadLocal<byte[]> SCRATCH_BUFFER = ThreadLocal.withInitial(() -> new byte[SCRATCH]);

    private final Path root;
    private final List<Category> categories;
    private final int[][] sets;
    private final boolean[] setBlocks;
    private final Category[] setCategory;
    /** The deciding category's finding, made once: a lookup that matches hands the same one out. */
    private final Finding[] setFinding;
    /** The end of {@link #matchNote}, {@code " in " + listFile}, per set, for domains and for URLs: made once, not per match. */
    private final String[] setDomainsNote;
    private final String[] setUrlsNote;
    private final KeyTable domains;
    private final KeyTable urls;
    private final ListWalk walk;
    private final long entries;
    private final List<ListProblem> problems;
    private final long problemCount;
    /**
     * Holders of these lists: the owner (a {@link UrlFilter} that has them in force, or whoever
     * loaded them) and each inspection under way ({@link #retain()}). At 0 the tables' arrays are
     * dropped ({@link #release()}).
     */
    private final AtomicInteger users = new AtomicInteger(1);

    CategoryLists(Path root, List<Category> categories, List<int[]> sets, KeyTable domains, KeyTable urls,
                  long entries, List<ListProblem> problems, long problemCount) {
        this.root = root;
        this.categories = List.copyOf(categories);
        this.sets = sets.toArray(new int[0][]);
        this.setBlocks = new boolean[this.sets.length];
        this.setCategory = new Category[this.sets.length];
        this.setFinding = new Finding[this.sets.length];
        this.setDomainsNote = new String[this.sets.length];
        this.setUrlsNote = new String[this.sets.length];
        for (int s = 0; s < this.sets.length; s++) {
            // The category that decides for an entry listed in several: blocking, then most severe.
            Category best = null;
            for (int c : this.sets[s]) {
                Category cat = this.categories.get(c);
                if (best == null || rank(cat) > rank(best)) {
                    best = cat;
                }
            }
            setCategory[s] = best;
            setFinding[s] = best == null ? null : best.finding();
            setBlocks[s] = best != null && best.blocks();
            if (best != null) {
                setDomainsNote[s] = " in " + best.id() + "/domains";
                setUrlsNote[s] = " in " + best.id() + "/urls";
            }
        }
        this.domains = domains;
        this.urls = urls;
        this.walk = new ListWalk(domains, urls, setBlocks);
        this.entries = entries;
        this.problems = List.copyOf(problems);
        this.problemCount = problemCount;
    }

    private static int rank(Category c) {
        return (c.blocks() ? 16 : 0) + c.level().ordinal();
    }

    /** Lists with nothing in them: every lookup is a miss. */
    public static CategoryLists empty() {
        return new CategoryLists(null, List.of(), List.of(), new KeyTable(16), new KeyTable(16), 0, List.of(), 0);
    }

    /** Loads a lists directory with the default limit and no progress reports. */
    public static CategoryLists load(Path root) throws IOException {
        return load(root, DEFAULT_MAX_ENTRIES, LoadProgress.NONE);
    }

    /**
     * Loads a lists directory: one sub-directory per category holding {@code domains} and/or
     * {@code urls}, plus an optional {@code categories.conf}. Bad lines are skipped and listed
     * in {@link #problems()}.
     *
     * @param maxEntries refuse the lists when they hold more entries than this
     * @param progress   told the number of entries loaded as loading goes on
     * @throws ListsTooLargeException      when there are more than {@code maxEntries} entries
     * @throws java.nio.file.NoSuchFileException when the directory does not exist
     * @throws IOException                 when a file cannot be read
     */
    public static CategoryLists load(Path root, long maxEntries, LoadProgress progress) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(progress, "progress");
        return new ListLoader(root, maxEntries, progress).load();
    }

    // ---- facts ----------------------------------------------------------------------------------

    /** The directory the lists came from; empty for {@link #empty()}. */
    public Optional<Path> root() {
        return Optional.ofNullable(root);
    }

    /** The categories, in directory-name order. */
    public List<Category> categories() {
        return categories;
    }

    /** Entries taken from all files (a name listed in two categories counts twice). */
    public long entries() {
        return entries;
    }

    /** Distinct domain and IP keys. */
    public int domainCount() {
        return domains.size();
    }

    /** Distinct URL keys. */
    public int urlCount() {
        return urls.size();
    }

    /** The first {@value ListLoader#MAX_KEPT_PROBLEMS} skipped lines with file, line and reason. */
    public List<ListProblem> problems() {
        return problems;
    }

    /** How many lines were skipped in all, including those not kept in {@link #problems()}. */
    public long problemCount() {
        return problemCount;
    }

    /**
     * Takes a hold on these lists for one lookup and what follows it (its code's category, note):
     * false when they were released meanwhile (swapped out), then take the lists in force again.
     * Each true is followed by one {@link #release()}.
     */
    public boolean retain() {
        int n;
        do {
            n = users.get();
            if (n <= 0) {
                return false;
            }
        } while (!users.compareAndSet(n, n + 1));
        return true;
    }

    /**
     * Gives up a hold. The last one (the owner's, after a swap, once no inspection still reads the
     * lists) drops the tables' arrays at once: the old lists' tens of MB then go at the next young
     * collection instead of waiting for a marking cycle (issue 18: full collections after a swap).
     * Released lists must not be read again.
     */
    public void release() {
        if (users.decrementAndGet() == 0) {
            domains.release();
            urls.release();
        }
    }

    /** The domains table, for tests that watch its arrays go. */
    KeyTable domainTable() {
        return domains;
    }

    /** Approximate bytes held by the tables (0 once released). */
    public long footprint() {
        return domains.footprint() + urls.footprint();
    }

    @Override
    public String toString() {
        return entries + " entries in " + categories.size() + " categories" + (root != null ? " from " + root : "")
                + (problemCount > 0 ? ", " + problemCount + " lines skipped" : "");
    }

    // ---- matching for people ------------------------------------------------------------------

    /**
     * Matches a URL ({@code http://www.example.jp/a}), a host ({@code example.jp},
     * {@code [2001:db8::1]:443}) or a host with a path ({@code example.jp/a}).
     */
    public Optional<UrlMatch> match(String url) {
        int code = find(url);
        return code == NO_MATCH ? Optional.empty() : Optional.of(describe(code));
    }

    /** Explains a match code from one of the {@code find} methods. */
    public UrlMatch describe(int code) {
        String entry = entryOf(code);
        UrlMatch.Kind kind = (code & URL_FLAG) != 0 ? UrlMatch.Kind.URL
                : entry.indexOf(':') >= 0 || IpLiteral.endsInNumber(entry) ? UrlMatch.Kind.IP : UrlMatch.Kind.DOMAIN;
        return new UrlMatch(categoryOf(code), entry, kind);
    }

    /** The deciding category of a match code. */
    public Category categoryOf(int code) {
        return setCategory[setOf(code)];
    }

    /** The deciding category's finding for a match code ({@link Category#finding()}, the same object each time). */
    public Finding findingOf(int code) {
        return setFinding[setOf(code)];
    }

    /**
     * Why a match code matched, as the URL filter's verdict says it: {@code "matched " + entry + " in "
     * + listFile} of {@link #describe}, with one concatenation (the DNS filter gives it for every block).
     */
    public String matchNote(int code) {
        int set = setOf(code);
        String end = (code & URL_FLAG) != 0 ? setUrlsNote[set] : setDomainsNote[set];
        return "matched " + entryOf(code) + Objects.requireNonNull(end, "category");
    }

    /** Every category the matched entry is listed in. */
    public List<Category> categoriesOf(int code) {
        List<Category> all = new ArrayList<>();
        for (int c : sets[setOf(code)]) {
            all.add(categories.get(c));
        }
        return all;
    }

    /** Whether a match code means the request is blocked. */
    public boolean blocks(int code) {
        return code != NO_MATCH && setBlocks[setOf(code)];
    }

    /** The entry that matched, in its canonical list form. */
    public String entryOf(int code) {
        checkCode(code);
        return (code & URL_FLAG) != 0 ? urls.key(code & ~URL_FLAG) : domains.key(code);
    }

    private int setOf(int code) {
        checkCode(code);
        return (code & URL_FLAG) != 0 ? urls.value(code & ~URL_FLAG) : domains.value(code);
    }

    private static void checkCode(int code) {
        if (code < 0) {
            throw new IllegalArgumentException("not a match code: " + code);
        }
    }

    // ---- matching for machines --------------------------------------------------------------

    /** Like {@link #match(String)}, as a match code; allocates nothing for ASCII input. */
    public int find(String hostOrUrl) {
        return find("", hostOrUrl);
    }

    /**
     * Matches a request whose host is known apart from its URL (HTTP Host header, SNI, DNS
     * name): the host decides the domain match, the path of {@code url} (absolute or
     * {@code /origin-form}) the URL match. An empty host means: take it from the URL.
     * Allocates nothing when both are ASCII and short.
     */
    public int find(String host, String url) {
        int from = 0;
        if (!host.isEmpty()) {
            from = UrlBytes.pathStart(url);
        }
        int n = host.length() + url.length() - from;
        byte[] buf = n <= SCRATCH ? SCRATCH_BUFFER.get() : new byte[n];
        int p = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 0x80) {
                return findAllocating(host, url, from);
            }
            buf[p++] = (byte) c;
        }
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c >= 0x80) {
                return findAllocating(host, url, from);
            }
            buf[p++] = (byte) c;
        }
        return find(buf, 0, p);
    }

    private int findAllocating(String host, String url, int from) {
        byte[] b = (host + url.substring(from)).getBytes(StandardCharsets.UTF_8);
        return find(b, 0, b.length);
    }

    /**
     * Matches the ASCII or UTF-8 bytes {@code b[off, end)} holding a URL, a host or a host with
     * a path. Returns a match code, or {@link #NO_MATCH}. Allocates nothing for ASCII hosts
     * that are names or canonical IPv4 addresses; other hosts take a slower path.
     */
    public int find(byte[] b, int off, int end) {
        return find(b, off, end, false);
    }

    private int find(byte[] b, int off, int end, boolean canonicalHost) {
        // Authority: after "scheme://", after "//", or from the start; "/path" alone has no host.
        // One pass: a scheme is recognised when "://" turns up, and the scan restarts after it.
        int as = off;
        if (end - off >= 2 && b[off] == '/' && b[off + 1] == '/') {
            as = off + 2;
        } else if (off < end && b[off] == '/') {
            return NO_MATCH;
        }
        int ae = as;
        int at = -1;
        int colons = 0;
        int lastColon = -1;
        boolean ascii = true;
        for (; ae < end; ae++) {
            byte c = b[ae];
            if (c == '/' || c == '?' || c == '#' || c == '\\') {
                if (c == '/' && as == off && colons == 1 && lastColon == ae - 1 && at < 0 && ae + 1 < end && b[ae + 1] == '/'
                        && UrlBytes.isScheme(b, off, lastColon)) {
                    as = ae + 2;
                    ae = as - 1;
                    colons = 0;
                    lastColon = -1;
                    ascii = true;
                    continue;
                }
                break; // browsers read a backslash as a slash: "evil.test\@good.test" is evil.test
            }
            if (c == '@') {
                at = ae;
                colons = 0;
                ascii = true;
            } else if (c == ':') {
                colons++;
                lastColon = ae;
            } else if (c < 0) {
                ascii = false;
            }
        }
        int hs = at >= 0 ? at + 1 : as;
        int he;
        boolean slow = !ascii;
        if (hs < ae && b[hs] == '[') {
            slow = true;
            he = ae;
            for (int k = hs; k < ae; k++) {
                if (b[k] == ']') {
                    he = k + 1;
                    break;
                }
            }
        } else if (colons >= 2) {
            slow = !canonicalHost; // an IPv6 literal without brackets
            he = ae;
        } else {
            he = colons == 1 ? lastColon : ae;
        }
        while (he > hs && b[he - 1] == '.') {
            he--;
        }
        if (he == hs) {
            return NO_MATCH;
        }
        int ps = ae;
        int pe = end; // the path ends at '#': found only when a path is needed
        if (!slow && !canonicalHost && UrlBytes.endsInNumber(b, hs, he) && !UrlBytes.isDottedQuad(b, hs, he)) {
            slow = true; // 0x7f.1, 3221225985, 010.0.0.1: browsers take these for IPv4 addresses
        }
        if (slow) {
            return findCanonical(b, hs, he, ps, UrlBytes.fragment(b, ps, end));
        }
        int best = domains.size() == 0 ? NO_MATCH : walk.domains(b, hs, he);
        if (urls.size() != 0) {
            pe = UrlBytes.fragment(b, ps, end);
            int url = walk.urls(b, hs, he, ps, pe);
            if (url == ListWalk.RAW_UTF8_PATH) {
                return findCanonical(b, hs, he, ps, pe);
            }
            if (url != NO_MATCH && (best == NO_MATCH || walk.score(url) > walk.score(best))) {
                best = url;
            }
        }
        return best;
    }

    /** The slower path for IP literals in non-canonical form and international names. */
    private int findCanonical(byte[] b, int hs, int he, int ps, int pe) {
        byte[] canonical = UrlBytes.canonical(b, hs, he, ps, pe);
        return canonical == null ? NO_MATCH : find(canonical, 0, canonical.length, true);
    }
}
