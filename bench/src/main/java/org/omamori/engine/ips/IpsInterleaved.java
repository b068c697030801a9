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
 * ratio of the totals and the median of the per-round ratios; then the same ratios against the
 * exchange baseline ({@code rawExchange}, {@code rawExchangeClean}: raw Hyperscan's scans of the
 * request's head too, see {@link RawExchange}), measured in the same rounds (engine, raw, exchange).
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
                + " | regex MB/s | engine/regex | rawExchange MB/s | engine/rawExchange | clean engine/rawExchange");
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
        LongSupplier exchange = b::rawExchange;
        LongSupplier exchangeClean = b::rawExchangeClean;
        rounds(seconds / 4, engine, raw, exchange); // warm-up
        rounds(seconds / 8, engineClean, rawClean, exchangeClean);
        double[] main = rounds(seconds / 2, engine, raw, exchange);
        double[] clean = rounds(seconds / 4, engineClean, rawClean, exchangeClean);
        double regex = rate(b::javaRegex, 1.0, 2);
        double mb = size / 1e6;
        System.out.printf("%s | %d | %.0f | %.0f | %.2f; %.2f | %.2f; %.2f | %.2f | %.0fx | %.0f | %.2f; %.2f | %.2f; %.2f%n", kind,
                size, main[0] * mb, main[1] * mb, main[0] / main[1], main[3], clean[0] / clean[1], clean[3], regex * mb,
                main[0] / regex, main[2] * mb, main[0] / main[2], main[4], clean[0] / clean[2], clean[4]);
    }

    /**
     * Ops per second of {@code a} and of each baseline, in rounds of one slice each whose order turns every round
     * (a b c, b c a, c a b, ...) for about {@code seconds}; then per baseline the median of the rounds' a/baseline
     * ratios: {@code [rate a, rate b, rate c, median a/b, median a/c]}.
     */
    private static double[] rounds(double seconds, LongSupplier a, LongSupplier... baselines) {
        LongSupplier[] all = new LongSupplier[baselines.length + 1];
        all[0] = a;
        System.arraycopy(baselines, 0, all, 1, baselines.length);
        int n = all.length;
        long[] ops = new long[n];
        long[] nanos = new long[n];
        List<List<Double>> ratios = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            ratios.add(new ArrayList<>());
        }
        long until = System.nanoTime() + (long) (seconds * 1e9);
        for (int round = 0; System.nanoTime() < until; round++) {
            double[] rate = new double[n];
            for (int k = 0; k < n; k++) {
                int v = (round + k) % n;
                long[] r = slice(all[v]);
                ops[v] += r[0];
                nanos[v] += r[1];
                rate[v] = (double) r[0] / r[1];
            }
            for (int i = 1; i < n; i++) {
                ratios.get(i - 1).add(rate[0] / rate[i]);
            }
        }
        double[] out = new double[2 * n - 1];
        for (int v = 0; v < n; v++) {
            out[v] = ops[v] * 1e9 / nanos[v];
        }
        for (int i = 1; i < n; i++) {
            List<Double> r = ratios.get(i - 1);
            r.sort(null);
            out[n + i - 1] = r.get(r.size() / 2);
        }
        return out;
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
