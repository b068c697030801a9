package org.omamori.engine.ips;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@link IpsThroughputBenchmark}'s variants measured in alternating 20 ms slices in one JVM
 * (engine, raw, raw, engine, ...), so that other load on the machine hits both sides alike; JMH
 * runs them minutes apart. Prints, per payload kind and size, MB/s of {@code engine},
 * {@code rawHyperscan}, {@code engineClean}, {@code rawClean} and {@code javaRegex}, the
 * ratio of the totals and the median of the per-round ratios.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar org.omamori.engine.ips.IpsInterleaved [seconds per size] [dense,sparse] [1024,65536,1048576]</pre>
 * With {@code -Dips.ruleDir=/path/to/rules} a real rule set (e.g. ET Open) is loaded next to the
 * synthetic rules, as {@link IpsThroughputBenchmark#ruleDir}; the regex figures then cover only the synthetic rules.
 */
public final class IpsInterleaved {

    private static final long SLICE_NANOS = 20_000_000L;
    private static long sink;

    private IpsInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("match callback: raw " + RawHyperscan.callback() + ", engine "
                + org.omamori.hyperscan.Hyperscan.matchCallback());
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6;
        String[] kinds = (args.length > 1 ? args[1] : "dense,sparse").split(",");
        int[] sizes = Arrays.stream((args.length > 2 ? args[2] : "1024,65536,1048576").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        System.out.println("payload | size | engine MB/s | raw MB/s | engine/raw (total; median of rounds) | clean engine/raw"
                + " | regex MB/s | engine/regex");
        for (String kind : kinds) {
            for (int size : sizes) {
                IpsThroughputBenchmark b = new IpsThroughputBenchmark();
                b.size = size;
                b.rules = 1000;
                b.payload = kind;
                b.ruleDir = System.getProperty("ips.ruleDir", "none");
                b.setUp();
                try {
                    measure(b, kind, size, seconds);
                } finally {
                    b.tearDown();
                }
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void measure(IpsThroughputBenchmark b, String kind, int size, double seconds) {
        LongSupplier engine = () -> b.engine().hashCode();
        LongSupplier raw = b::rawHyperscan;
        LongSupplier engineClean = () -> b.engineClean().hashCode();
        LongSupplier rawClean = b::rawClean;
        pair(engine, raw, seconds / 4); // warm-up
        pair(engineClean, rawClean, seconds / 8);
        double[] main = pair(engine, raw, seconds / 2);
        double[] clean = pair(engineClean, rawClean, seconds / 4);
        double regex = rate(b::javaRegex, 1.0, 2);
        double mb = size / 1e6;
        System.out.printf("%s | %d | %.0f | %.0f | %.2f; %.2f | %.2f; %.2f | %.2f | %.0fx%n", kind, size, main[0] * mb,
                main[1] * mb, main[0] / main[1], main[2], clean[0] / clean[1], clean[2], regex * mb, main[0] / regex);
    }

    /** Ops per second of a and b, alternating slices (a b b a ...) for about {@code seconds}; and the median round ratio. */
    private static double[] pair(LongSupplier a, LongSupplier b, double seconds) {
        long[] ops = new long[2];
        long[] nanos = new long[2];
        List<Double> ratios = new ArrayList<>();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        for (int round = 0; System.nanoTime() < until; round++) {
            boolean aFirst = round % 2 == 0;
            long[] r1 = slice(aFirst ? a : b);
            long[] r2 = slice(aFirst ? b : a);
            long[] ra = aFirst ? r1 : r2;
            long[] rb = aFirst ? r2 : r1;
            ops[0] += ra[0];
            nanos[0] += ra[1];
            ops[1] += rb[0];
            nanos[1] += rb[1];
            ratios.add(((double) ra[0] / ra[1]) / ((double) rb[0] / rb[1]));
        }
        ratios.sort(null);
        return new double[] {ops[0] * 1e9 / nanos[0], ops[1] * 1e9 / nanos[1], ratios.get(ratios.size() / 2)};
    }

    private static long[] slice(LongSupplier op) {
        long start = System.nanoTime();
        long n = 0;
        long now;
        do {
            sink += op.getAsLong();
            n++;
            now = System.nanoTime();
        } while (now - start < SLICE_NANOS);
        return new long[] {n, now - start};
    }

    private static double rate(LongSupplier op, double seconds, int minOps) {
        long start = System.nanoTime();
        long n = 0;
        long now;
        do {
            sink += op.getAsLong();
            n++;
            now = System.nanoTime();
        } while (now - start < seconds * 1e9 || n < minOps);
        return n * 1e9 / (now - start);
    }
}
