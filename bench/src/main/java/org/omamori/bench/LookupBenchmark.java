package org.omamori.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Lookups per second on 1,000,000 listed domains, 50/50 hits (subdomains of listed domains)
 * and misses, one thread. Baselines on the same data in the same run: a HashSet exact-match
 * lookup (cannot see subdomains, so it "misses" every hit) and the naive parent walk over a
 * HashSet (a substring per label) that implements the same rule as the URL filter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LookupBenchmark {

    private static final int QUERIES = 1 << 16;
    private static final int MASK = QUERIES - 1;

    private Path root;
    private CategoryLists lists;
    private UrlFilter filter;
    private Set<String> hashSet;
    private String[] hosts;
    private byte[][] hostBytes;
    private InspectionRequest[] requests;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String[] domains = SyntheticLists.domains(1_000_000);
        root = SyntheticLists.write(domains);
        lists = CategoryLists.load(root);
        filter = new UrlFilter("bench");
        filter.swapIn(lists);
        hashSet = new HashSet<>(List.of(domains).size() * 2);
        hashSet.addAll(List.of(domains));
        hosts = SyntheticLists.queries(domains, hashSet, QUERIES);
        hostBytes = new byte[QUERIES][];
        requests = new InspectionRequest[QUERIES];
        int hits = 0;
        for (int i = 0; i < QUERIES; i++) {
            hostBytes[i] = hosts[i].getBytes(StandardCharsets.US_ASCII);
            requests[i] = InspectionRequest.http("GET", "http://" + hosts[i] + "/index.html").build();
            hits += lists.find(hosts[i]) != CategoryLists.NO_MATCH ? 1 : 0;
        }
        if (hits != QUERIES / 2) {
            throw new IllegalStateException("expected " + QUERIES / 2 + " hits, got " + hits);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        filter.close();
        SyntheticLists.delete(root);
    }

    @Benchmark
    public int urlFilterString() {
        return lists.find(hosts[cursor++ & MASK]);
    }

    @Benchmark
    public int urlFilterBytes() {
        byte[] b = hostBytes[cursor++ & MASK];
        return lists.find(b, 0, b.length);
    }

    @Benchmark
    public Verdict engineInspectHttp() {
        return filter.inspect(requests[cursor++ & MASK]);
    }

    @Benchmark
    public boolean hashSetExact() {
        return hashSet.contains(hosts[cursor++ & MASK]);
    }

    @Benchmark
    public boolean hashSetParentWalk() {
        return SyntheticLists.parentWalk(hashSet, hosts[cursor++ & MASK]);
    }
}
