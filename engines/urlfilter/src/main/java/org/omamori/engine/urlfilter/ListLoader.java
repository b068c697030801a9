package org.omamori.engine.urlfilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a lists directory into the tables of a {@link CategoryLists}. One use per load, one
 * thread. Every line is hostile: it is bounded, checked and, if bad, reported and skipped.
 */
final class ListLoader {

    /** Longest line taken from a list file; longer lines are reported and skipped. */
    static final int MAX_LINE = 4096;
    /** Problems kept with their text; beyond this only counted, so garbage cannot fill the heap. */
    static final int MAX_KEPT_PROBLEMS = 1000;

    private final Path root;
    private final long maxEntries;
    private final LoadProgress progress;

    /** Sized in {@link #load()} from a count of the files' lines, so they never grow. */
    private KeyTable domains;
    private KeyTable urls;
    private final List<Category> categories = new ArrayList<>();
    private final List<int[]> sets = new ArrayList<>();
    private final Map<SetKey, Integer> setIds = new HashMap<>();
    private int[] singletonSet = new int[0];
    private final List<ListProblem> problems = new ArrayList<>();
    private long problemCount;
    private long entries;

    private final byte[] key = new byte[MAX_LINE * 3 + 16];
    private final AsciiView view = new AsciiView();

    ListLoader(Path root, long maxEntries, LoadProgress progress) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        this.root = root;
        this.maxEntries = maxEntries;
        this.progress = progress;
    }

    CategoryLists load() throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "lists directory not found");
        }
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toString());
        }
        CategoriesConf conf = CategoriesConf.read(root.resolve(CategoriesConf.FILE), this::report);
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(p)) {
                    dirs.add(p);
                }
            }
        }
        dirs.sort(null);
        List<Path> kept = new ArrayList<>();
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (!Category.ID.matcher(name).matches()) {
                // The name is the operator's or an attacker's: escaped like a list line.
                report(new ListProblem(HostNames.escape(name, 80), 0, "directory skipped: not a category name (lower case letters, digits, _ and -)"));
                continue;
            }
            kept.add(dir);
        }
        domains = sizedFor(kept, "domains");
        urls = sizedFor(kept, "urls");
        for (Path dir : kept) {
            String name = dir.getFileName().toString();
            int index = categories.size();
            categories.add(conf.categoryFor(name));
            singletonSet = Arrays.copyOf(singletonSet, index + 1);
            singletonSet[index] = intern(new int[] {index});
            readFile(dir.resolve("domains"), name + "/domains", index, false);
            readFile(dir.resolve("urls"), name + "/urls", index, true);
        }
        domains.trim();
        urls.trim();
        progress.entriesLoaded(entries);
        return new CategoryLists(root, categories, sets, domains, urls, entries, problems, problemCount);
    }

    /**
     * A table for the files of that name in the category directories, sized from their lines
     * that may be entries (not blank, not a comment): reading a list twice costs less than the
     * arrays that growing by doubling throws away (two or three times the final table).
     */
    private KeyTable sizedFor(List<Path> dirs, String file) throws IOException {
        long[] lines = {0, 0}; // entries, pool bytes
        for (Path dir : dirs) {
            Path f = dir.resolve(file);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try (InputStream in = Files.newInputStream(f)) {
                new LineReader(MAX_LINE).read(in, new LineReader.Lines() {
                    @Override
                    public void line(byte[] buf, int start, int end, long number) {
                        if (end > start && buf[start] != '#') {
                            lines[0]++;
                            lines[1] += KeyTable.entryBytes(end - start);
                        }
                    }

                    @Override
                    public void tooLong(byte[] buf, int start, int end, long number) {
                    }
                });
            }
        }
        // Past the bound the load fails at maxEntries + 1: no room for the lines beyond it.
        long keys = Math.min(lines[0], maxEntries + 1);
        return KeyTable.sizedFor(keys, keys == lines[0] ? lines[1] : (long) ((double) lines[1] / lines[0] * keys));
    }

    private void report(ListProblem p) {
        if (problemCount++ < MAX_KEPT_PROBLEMS) {
            problems.add(p);
        }
    }

    private void readFile(Path file, String name, int category, boolean urlList) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("loading lists interrupted");
        }
        try (InputStream in = Files.newInputStream(file)) {
            new LineReader(MAX_LINE).read(in, new LineReader.Lines() {
                @Override
                public void line(byte[] buf, int start, int end, long number) throws IOException {
                    String bad = urlList ? urlLine(buf, start, end, category) : domainLine(buf, start, end, category);
                    if (bad != null) {
                        report(new ListProblem(name, number, bad));
                    } else if (entries > maxEntries) {
                        throw new ListsTooLargeException(name + ":" + number, maxEntries, entries);
                    }
                }

                @Override
                public void tooLong(byte[] buf, int start, int end, long number) {
                    report(new ListProblem(name, number, "line longer than " + MAX_LINE + " bytes"));
                }
            });
        }
    }

    // ---- domains ----------------------------------------------------------------------------

    /** Takes one line of a domains file; returns why it was refused, or null. */
    private String domainLine(byte[] b, int s, int e, int category) {
        if (s < e && b[s] == (byte) 0xEF && e - s >= 3 && b[s + 1] == (byte) 0xBB && b[s + 2] == (byte) 0xBF) {
            s += 3; // UTF-8 byte order mark
        }
        for (int i = s; i < e; i++) {
            if (b[i] == '#') {
                e = i;
                break;
            }
        }
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        if (s == e) {
            return null;
        }
        boolean ascii = true;
        for (int i = s; i < e; i++) {
            int c = b[i];
            if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) {
                return "control character in line (binary file?)";
            }
            ascii &= c >= 0;
        }
        // "*.example.jp" and ".example.jp" mean the same as "example.jp" here.
        if (e - s >= 2 && b[s] == '*' && b[s + 1] == '.') {
            s += 2;
        } else if (b[s] == '.') {
            s++;
        }
        int len = 0;
        boolean special = !ascii; // not plain ASCII letters: IP literal or international name
        boolean name = true; // a domain name, not an IP literal
        if (ascii) {
            while (e > s && b[e - 1] == '.') {
                e--;
            }
            for (int i = s; i < e; i++) {
                int c = KeyTable.lower(b[i]);
                special |= c == ':' || c == '[';
                key[len++] = (byte) c;
            }
            view.set(key, len);
            if (!special && IpLiteral.endsInNumber(view)) {
                special = true;
            }
            if (!special) {
                String why = HostNames.domainProblem(view);
                if (why != null) {
                    return why + ": " + HostNames.quote(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
                }
            }
        }
        if (special) {
            String text;
            try {
                text = decode(b, s, e, ascii);
            } catch (CharacterCodingException x) {
                return "not valid UTF-8";
            }
            String canonical;
            try {
                canonical = HostNames.canonical(text);
            } catch (HostNames.NotAHost x) {
                return x.getMessage();
            }
            len = canonical.length();
            copyAscii(canonical, key); // the canonical form is ASCII
            boolean v4 = canonical.indexOf(':') < 0 && IpLiteral.endsInNumber(canonical);
            if (v4 && !HostNames.dottedQuad(text)) {
                return "IPv4 address not in dotted-decimal form: " + HostNames.quote(text);
            }
            name = !v4 && canonical.indexOf(':') < 0;
        }
        if (len == 0) {
            return "empty domain name";
        }
        long h = KeyTable.hashRightToLeft(key, 0, len);
        if (name) {
            String why = HostNames.entryProblem(key, len, h);
            if (why != null) {
                return why + ": " + HostNames.quote(new String(b, s, e - s, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
            }
        }
        entries++;
        put(domains, h, len, category);
        if (entries % CategoryLists.PROGRESS_STEP == 0) {
            progress.entriesLoaded(entries);
        }
        return null;
    }

    // ---- urls -------------------------------------------------------------------------------

    /** Takes one line of a urls file: host (made canonical, leading www. dropped) + path. */
    private String urlLine(byte[] b, int s, int e, int category) {
        boolean ascii = true;
        for (int i = s; i < e; i++) {
            int c = b[i];
            if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) {
                return "control character in line (binary file?)";
            }
            ascii &= c >= 0;
        }
        String line;
        try {
            line = decode(b, s, e, ascii);
        } catch (CharacterCodingException x) {
            return "not valid UTF-8";
        }
        if (line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        String text = line;
        int scheme = text.indexOf("://");
        if (scheme > 0 && scheme < 16 && text.substring(0, scheme).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '.' || c == '-')) {
            text = text.substring(scheme + 3);
        }
        int hash = text.indexOf('#');
        if (hash >= 0) {
            text = text.substring(0, hash);
        }
        int hostEnd = 0;
        while (hostEnd < text.length() && "/?\\".indexOf(text.charAt(hostEnd)) < 0) {
            hostEnd++;
        }
        String host = text.substring(0, hostEnd);
        String rest = text.substring(hostEnd).replace('\\', '/');
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            host = host.substring(at + 1);
        }
        host = withoutPort(host);
        String canonical;
        try {
            canonical = HostNames.canonical(host);
        } catch (HostNames.NotAHost x) {
            return "not a URL entry (" + x.getMessage() + "): " + HostNames.quote(line);
        }
        String hostWhy = urlHostProblem(host, canonical);
        if (hostWhy != null) {
            return "not a URL entry (" + hostWhy + "): " + HostNames.quote(line);
        }
        if (canonical.startsWith("www.") && canonical.length() > 4) {
            canonical = canonical.substring(4);
        }
        int len = canonical.length();
        copyAscii(canonical, key);
        byte[] path = rest.getBytes(StandardCharsets.UTF_8);
        for (byte c : path) {
            if (len + 3 > key.length) {
                return "URL entry too long";
            }
            if (c < 0) {
                // Requests carry non-ASCII path bytes percent-encoded; store them that way.
                key[len++] = '%';
                key[len++] = (byte) Character.forDigit((c >> 4) & 15, 16);
                key[len++] = (byte) Character.forDigit(c & 15, 16);
            } else if (c <= ' ') {
                return "space in URL entry: " + HostNames.quote(line);
            } else {
                key[len++] = (byte) KeyTable.lower(c);
            }
        }
        while (len > canonical.length() && key[len - 1] == '/') {
            len--;
        }
        entries++;
        put(urls, KeyTable.hashLeftToRight(key, 0, len), len, category);
        if (entries % CategoryLists.PROGRESS_STEP == 0) {
            progress.entriesLoaded(entries);
        }
        return null;
    }

    /** The rules of domains entries for the host of a urls entry (already canonical). */
    private String urlHostProblem(String raw, String canonical) {
        if (canonical.indexOf(':') >= 0) {
            return null;
        }
        if (IpLiteral.endsInNumber(canonical)) {
            return HostNames.dottedQuad(raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw) ? null
                    : "IPv4 address not in dotted-decimal form: " + HostNames.quote(raw);
        }
        copyAscii(canonical, key);
        String why = HostNames.entryProblem(key, canonical.length(), KeyTable.hashRightToLeft(key, 0, canonical.length()));
        return why == null ? null : why + ": " + HostNames.quote(raw);
    }

    static void copyAscii(String s, byte[] to) {
        for (int i = 0; i < s.length(); i++) {
            to[i] = (byte) s.charAt(i);
        }
    }

    static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(0, close + 1) : host;
        }
        int colon = host.indexOf(':');
        return colon >= 0 && colon == host.lastIndexOf(':') ? host.substring(0, colon) : host;
    }

    private static String decode(byte[] b, int s, int e, boolean ascii) throws CharacterCodingException {
        if (ascii) {
            return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, s, e - s)).toString();
    }

    // ---- category sets ------------------------------------------------------------------------

    private void put(KeyTable table, long h, int len, int category) {
        int slot = table.add(h, key, 0, len, singletonSet[category]);
        if (slot >= 0) {
            int old = table.value(slot);
            int merged = union(old, category);
            if (merged != old) {
                table.setValue(slot, merged);
            }
        }
    }

    private int union(int setId, int category) {
        int[] set = sets.get(setId);
        for (int c : set) {
            if (c == category) {
                return setId;
            }
        }
        int[] bigger = Arrays.copyOf(set, set.length + 1);
        bigger[set.length] = category;
        Arrays.sort(bigger);
        return intern(bigger);
    }

    private int intern(int[] set) {
        return setIds.computeIfAbsent(new SetKey(set), k -> {
            sets.add(set);
            return sets.size() - 1;
        });
    }

    private record SetKey(int[] members) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SetKey k && Arrays.equals(members, k.members);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(members);
        }
    }

    /** A reusable CharSequence over ASCII bytes, so checks need no String per line. */
    static final class AsciiView implements CharSequence {
        private byte[] b;
        private int len;

        void set(byte[] bytes, int length) {
            b = bytes;
            len = length;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int i) {
            return (char) (b[i] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return new String(b, 0, len, StandardCharsets.ISO_8859_1);
        }
    }
}
