package org.omamori.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.definitions.Kind;

/**
 * What a definitions package's files hold, in numbers a person checks before publishing, and how
 * one differs from another (the version in force): URL categories and their entries, IPS rules by
 * sid, AV databases with versions and signature counts. It also says when a new one shrinks
 * suspiciously: a category emptied, or more than half the entries, rules or signatures gone.
 */
sealed interface FeedSummary {

    /** More than this share lost refuses a build without --force. */
    double MOST = 0.5;

    /** What the package holds, one line each. */
    List<String> contents();

    /** The total that must not fall by more than half. */
    long total();

    /** Added, removed and changed against {@code before} (of the same kind), one line each. */
    List<String> differences(FeedSummary before);

    /** Why this would be a suspicious replacement of {@code before}: empty when it is not. */
    default List<String> shrinkage(FeedSummary before) {
        List<String> why = new ArrayList<>();
        if (before.total() > 0 && total() < before.total() * (1 - MOST)) {
            why.add("it holds " + total() + " against " + before.total() + " in force: more than half would be gone");
        }
        return why;
    }

    static FeedSummary of(Kind kind, Path files) throws IOException {
        return switch (kind) {
            case URLFILTER -> Lists.of(files);
            case IPS -> Rules.of(files);
            case AV -> Databases.of(files);
            case KEYS -> throw new IllegalArgumentException("a key rotation is made with rotate-key, not built from a feed");
            case RUNTIME -> throw new IllegalArgumentException("a runtime package is made with MakeDefinitions from a bundles/ folder, not built from a feed");
        };
    }

    /** URL categories: the entries of each category's domains and urls, as sorted 64-bit hashes (millions fit in memory). */
    record Lists(Map<String, long[]> categories) implements FeedSummary {

        static Lists of(Path files) throws IOException {
            Map<String, long[]> categories = new TreeMap<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(files)) {
                for (Path d : dir) {
                    if (Files.isDirectory(d)) {
                        Hashes h = new Hashes();
                        for (String name : Ut1Feed.LIST_FILES) {
                            Path f = d.resolve(name);
                            if (Files.isRegularFile(f)) {
                                h.addLines(f, name.charAt(0));
                            }
                        }
                        categories.put(d.getFileName().toString(), h.sortedUnique());
                    }
                }
            }
            return new Lists(categories);
        }

        @Override
        public List<String> contents() {
            List<String> lines = new ArrayList<>();
            categories.forEach((c, e) -> lines.add(c + ": " + e.length + " entries"));
            lines.add("total: " + total() + " entries in " + categories.size() + " categories");
            return lines;
        }

        @Override
        public long total() {
            return categories.values().stream().mapToLong(e -> e.length).sum();
        }

        @Override
        public List<String> differences(FeedSummary before) {
            Map<String, long[]> old = ((Lists) before).categories;
            List<String> lines = new ArrayList<>();
            Set<String> all = new TreeSet<>(old.keySet());
            all.addAll(categories.keySet());
            for (String c : all) {
                long[] a = old.getOrDefault(c, new long[0]);
                long[] b = categories.getOrDefault(c, new long[0]);
                long common = common(a, b);
                if (!old.containsKey(c)) {
                    lines.add(c + ": new category, " + b.length + " entries");
                } else if (!categories.containsKey(c)) {
                    lines.add(c + ": category gone (" + a.length + " entries)");
                } else if (common != a.length || common != b.length) {
                    lines.add(c + ": +" + (b.length - common) + " -" + (a.length - common) + " entries (" + a.length + " → " + b.length + ")");
                }
            }
            return lines;
        }

        @Override
        public List<String> shrinkage(FeedSummary before) {
            List<String> why = new ArrayList<>(FeedSummary.super.shrinkage(before));
            ((Lists) before).categories.forEach((c, e) -> {
                if (e.length > 0 && categories.getOrDefault(c, new long[0]).length == 0) {
                    why.add("category " + c + " would be emptied (" + e.length + " entries in force)");
                }
            });
            return why;
        }
    }

    /** IPS rules: each enabled rule's gid:sid and a hash of its text, per file. */
    record Rules(Map<String, Long> rules, Map<String, Integer> perFile) implements FeedSummary {

        private static final Pattern SID = Pattern.compile("[(;]\\s*sid\\s*:\\s*(\\d{1,10})\\s*;");
        private static final Pattern GID = Pattern.compile("[(;]\\s*gid\\s*:\\s*(\\d{1,10})\\s*;");

        static Rules of(Path files) throws IOException {
            Map<String, Long> rules = new TreeMap<>();
            Map<String, Integer> perFile = new TreeMap<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(files, "*.rules")) {
                for (Path f : dir) {
                    int n = 0;
                    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                        String t = line.strip();
                        Matcher sid = SID.matcher(t);
                        if (t.isEmpty() || t.startsWith("#") || !sid.find()) {
                            continue;
                        }
                        Matcher gid = GID.matcher(t);
                        rules.put((gid.find() ? gid.group(1) : "1") + ":" + sid.group(1), Hashes.fnv(t.getBytes(StandardCharsets.UTF_8)));
                        n++;
                    }
                    perFile.put(f.getFileName().toString(), n);
                }
            }
            return new Rules(rules, perFile);
        }

        @Override
        public List<String> contents() {
            List<String> lines = new ArrayList<>();
            perFile.forEach((f, n) -> lines.add(f + ": " + n + " rules"));
            lines.add("total: " + rules.size() + " rules in " + perFile.size() + " files");
            return lines;
        }

        @Override
        public long total() {
            return rules.size();
        }

        @Override
        public List<String> differences(FeedSummary before) {
            Map<String, Long> old = ((Rules) before).rules;
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            rules.forEach((k, h) -> {
                Long was = old.get(k);
                if (was == null) {
                    added.add(k);
                } else if (!was.equals(h)) {
                    changed.add(k);
                }
            });
            old.keySet().forEach(k -> {
                if (!rules.containsKey(k)) {
                    removed.add(k);
                }
            });
            List<String> lines = new ArrayList<>();
            line(lines, "sids added", added);
            line(lines, "sids removed", removed);
            line(lines, "sids changed", changed);
            return lines;
        }

        private static void line(List<String> lines, String what, List<String> keys) {
            if (!keys.isEmpty()) {
                lines.add(what + ": " + keys.size() + " (" + String.join(", ", keys.subList(0, Math.min(10, keys.size())))
                        + (keys.size() > 10 ? ", …" : "") + ")");
            }
        }
    }

    /** AV databases: name, version (0 for a text signature file) and signature count. */
    record Databases(Map<String, ClamavFeed.Database> databases) implements FeedSummary {

        static Databases of(Path files) throws IOException {
            Map<String, ClamavFeed.Database> all = new TreeMap<>();
            for (ClamavFeed.Database d : ClamavFeed.inventory(files)) {
                all.put(d.name(), d);
            }
            return new Databases(all);
        }

        @Override
        public List<String> contents() {
            List<String> lines = new ArrayList<>();
            databases.values().forEach(d -> lines.add(d.describe()));
            lines.add("total: " + total() + " signatures in " + databases.size() + " files");
            return lines;
        }

        @Override
        public long total() {
            return databases.values().stream().mapToLong(ClamavFeed.Database::signatures).sum();
        }

        @Override
        public List<String> differences(FeedSummary before) {
            Map<String, ClamavFeed.Database> old = ((Databases) before).databases;
            List<String> lines = new ArrayList<>();
            Set<String> all = new TreeSet<>(old.keySet());
            all.addAll(databases.keySet());
            for (String n : all) {
                ClamavFeed.Database a = old.get(n);
                ClamavFeed.Database b = databases.get(n);
                if (a == null) {
                    lines.add("added " + b.describe());
                } else if (b == null) {
                    lines.add("removed " + a.describe());
                } else if (a.version() != b.version() || a.signatures() != b.signatures()) {
                    lines.add("changed " + n + ": " + (a.version() > 0 ? "version " + a.version() + " → " + b.version() + ", " : "")
                            + a.signatures() + " → " + b.signatures() + " signatures");
                }
            }
            return lines;
        }
    }

    /** How many entries of sorted unique {@code a} are also in sorted unique {@code b}. */
    private static long common(long[] a, long[] b) {
        long n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                n++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return n;
    }

    /** A growing array of 64-bit FNV-1a hashes of list entries (lower-cased, trimmed; comments and blank lines left out). */
    final class Hashes {
        private long[] values = new long[1024];
        private int size;

        void addLines(Path file, char tag) throws IOException {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
                byte[] line = new byte[4096];
                int len = 0;
                boolean overlong = false;
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == '\n') {
                        add(line, len, tag, overlong);
                        len = 0;
                        overlong = false;
                    } else if (len < line.length) {
                        line[len++] = (byte) c;
                    } else {
                        overlong = true;
                    }
                }
                add(line, len, tag, overlong);
            }
        }

        private void add(byte[] line, int len, char tag, boolean overlong) {
            int start = 0;
            int end = len;
            while (start < end && (line[start] == ' ' || line[start] == '\t')) {
                start++;
            }
            while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) {
                end--;
            }
            if (overlong || start == end || line[start] == '#') {
                return;
            }
            long h = 0xcbf29ce484222325L ^ tag;
            for (int i = start; i < end; i++) {
                byte b = line[i];
                h ^= (b >= 'A' && b <= 'Z') ? b + 32 : b & 0xff;
                h *= 0x100000001b3L;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = h;
        }

        long[] sortedUnique() {
            long[] v = Arrays.copyOf(values, size);
            Arrays.sort(v);
            int n = 0;
            for (int i = 0; i < v.length; i++) {
                if (i == 0 || v[i] != v[i - 1]) {
                    v[n++] = v[i];
                }
            }
            return Arrays.copyOf(v, n);
        }

        static long fnv(byte[] bytes) {
            long h = 0xcbf29ce484222325L;
            for (byte b : bytes) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            return h;
        }
    }
}
