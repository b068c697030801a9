package org.omamori.engine.ips;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@link IpsThroughputBenchmark}'s {@code rawHyperscan} and {@code engine} in alternating 10 ms
 * slices, reported as the fastest slice's time per operation (and the 10th percentile) of each
 * and their ratio. On a machine loaded by other work a slice is only ever slowed, so the fastest
 * slices show the code's own cost where {@link IpsInterleaved}'s totals swing with the load (its
 * 1 KiB dense ratio went from 0.48 to 0.72 between two runs of one jar); compare two builds by
 * running each in turn, several times.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -Dips.ruleDir=/path/to/rules -cp benchmarks.jar org.omamori.engine.ips.IpsMinRatio [dense,sparse] [1024] [slices]</pre>
 */
public final class IpsMinRatio {

    private static long sink;

    private IpsMinRatio() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("match callback: raw " + RawHyperscan.callback() + ", engine "
                + org.omamori.hyperscan.Hyperscan.matchCallback());
        String[] kinds = (args.length > 0 ? args[0] : "dense,sparse").split(",");
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int slices = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        for (String kind : kinds) {
            IpsThroughputBenchmark b = new IpsThroughputBenchmark();
            b.size = size;
            b.rules = 1000;
            b.payload = kind;
            b.ruleDir = System.getProperty("ips.ruleDir", "none");
            b.setUp();
            try {
                LongSupplier raw = b::rawHyperscan;
                LongSupplier engine = () -> b.engine().hashCode();
                List<Double> r = new ArrayList<>();
                List<Double> e = new ArrayList<>();
                for (int i = 0; i < slices; i++) {
                    boolean rawFirst = i % 2 == 0;
                    double first = slice(rawFirst ? raw : engine);
                    double second = slice(rawFirst ? engine : raw);
                    if (i >= slices / 5) { // the first fifth warms up
                        (rawFirst ? r : e).add(first);
                        (rawFirst ? e : r).add(second);
                    }
                }
                Collections.sort(r);
                Collections.sort(e);
                double r10 = r.get(r.size() / 10);
                double e10 = e.get(e.size() / 10);
                System.out.printf("%s %d | raw min %.3f p10 %.3f us | engine min %.3f p10 %.3f us | raw/engine min %.3f p10 %.3f%n",
                        kind, size, r.get(0), r10, e.get(0), e10, r.get(0) / e.get(0), r10 / e10);
            } finally {
                b.tearDown();
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Microseconds per operation over one slice of about 10 ms. */
    private static double slice(LongSupplier op) {
        long start = System.nanoTime();
        long n = 0;
        do {
            for (int i = 0; i < 20; i++) {
                sink += op.getAsLong();
            }
            n += 20;
        } while (System.nanoTime() - start < 10_000_000L);
        return (System.nanoTime() - start) / 1e3 / n;
    }
}
