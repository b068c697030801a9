package org.omamori.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Deterministic synthetic data for the benchmarks: the same seed gives the same names on every
 * machine. Domains look like real ones (6-14 characters, a handful of TLDs, some second-level
 * {@code co.jp}); queries are half hits (a subdomain of a listed domain) and half misses.
 */
final class SyntheticLists {

    static final String[] CATEGORIES = {"phishing", "malware", "news", "adult"};
    private static final String[] TLDS = {"com", "net", "org", "jp", "co.jp", "info", "example", "test"};
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private SyntheticLists() {
    }

    static String label(SplittableRandom r, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = LETTERS.charAt(r.nextInt(i == 0 ? 26 : LETTERS.length()));
        }
        return new String(c);
    }

    /** {@code count} domain names, deterministic. */
    static String[] domains(int count) {
        SplittableRandom r = new SplittableRandom(20261123L);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = label(r, 6, 14) + "." + TLDS[r.nextInt(TLDS.length)];
        }
        return out;
    }

    /** Writes the domains round-robin into the benchmark categories; returns the lists root. */
    static Path write(String[] domains) {
        try {
            Path root = Files.createTempDirectory("omamori-bench-lists");
            BufferedWriter[] w = new BufferedWriter[CATEGORIES.length];
            for (int c = 0; c < CATEGORIES.length; c++) {
                Files.createDirectories(root.resolve(CATEGORIES[c]));
                w[c] = Files.newBufferedWriter(root.resolve(CATEGORIES[c]).resolve("domains"), StandardCharsets.US_ASCII);
            }
            for (int i = 0; i < domains.length; i++) {
                w[i % w.length].write(domains[i]);
                w[i % w.length].write('\n');
            }
            for (BufferedWriter b : w) {
                b.close();
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} (a power of two) hosts: even indexes are subdomains of listed domains, odd
     * ones are names listed nowhere (checked with {@code isListed}, which walks parents).
     */
    static String[] queries(String[] domains, java.util.Set<String> listed, int count) {
        SplittableRandom r = new SplittableRandom(7L);
        String[] q = new String[count];
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                q[i] = label(r, 3, 8) + "." + domains[r.nextInt(domains.length)];
            } else {
                String miss;
                do {
                    miss = label(r, 3, 8) + "." + label(r, 6, 14) + "." + TLDS[r.nextInt(TLDS.length)];
                } while (parentWalk(listed, miss));
                q[i] = miss;
            }
        }
        return q;
    }

    /** The naive implementation of the same rule: a substring per label into a HashSet. */
    static boolean parentWalk(java.util.Set<String> listed, String host) {
        for (int i = 0; i >= 0; i = host.indexOf('.', i) < 0 ? -1 : host.indexOf('.', i) + 1) {
            if (listed.contains(i == 0 ? host : host.substring(i))) {
                return true;
            }
        }
        return false;
    }

    static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Used heap after the collector has had its chance. */
    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
