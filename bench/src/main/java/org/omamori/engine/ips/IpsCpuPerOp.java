package org.omamori.engine.ips;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.sun.management.ThreadMXBean;

/**
 * {@link IpsThroughputBenchmark}'s {@code engine}, {@code rawHyperscan} and {@code rawExchange} in alternating 50 ms
 * slices, measured in the thread's CPU time rather than wall time (less sensitive to other load
 * on a shared machine than {@link IpsInterleaved}), and the bytes the engine allocates per
 * inspection. Prints engine and raw CPU ns per payload, their ratio as rates (raw / engine), the
 * median of the slices' ratios, and bytes allocated per engine op (the benchmark's own request
 * object and verdict included); then the same against the exchange baseline ({@code rawExchange}:
 * raw Hyperscan's scans of the request's head too, see {@link RawExchange}).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -Dips.ruleDir=DIR -cp benchmarks.jar org.omamori.engine.ips.IpsCpuPerOp [dense|sparse] [bytes] [seconds]</pre>
 */
public final class IpsCpuPerOp {

    private static long sink;

    private IpsCpuPerOp() {
    }

    public static void main(String[] args) throws Exception {
        IpsThroughputBenchmark b = new IpsThroughputBenchmark();
        b.payload = args.length > 0 ? args[0] : "sparse";
        b.size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 8;
        b.rules = 1000;
        b.ruleDir = System.getProperty("ips.ruleDir", "none");
        b.setUp();
        try {
            measure(b, seconds);
        } finally {
            b.tearDown();
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void measure(IpsThroughputBenchmark b, double seconds) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long warm = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warm) {
            sink += b.engine().hashCode() + b.rawHyperscan() + b.rawExchange();
        }
        long[] cpu = new long[3];
        long[] ops = new long[3];
        long allocated = 0;
        List<Double> ratios = new ArrayList<>();
        List<Double> exchangeRatios = new ArrayList<>();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < until) {
            double[] perOp = new double[3];
            for (int v = 0; v < 3; v++) {
                long cpu0 = mx.getCurrentThreadCpuTime();
                long bytes0 = mx.getThreadAllocatedBytes(thread);
                long end = System.nanoTime() + 50_000_000L;
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 16; i++) {
                        sink += switch (v) {
                            case 0 -> b.engine().hashCode();
                            case 1 -> b.rawHyperscan();
                            default -> b.rawExchange();
                        };
                    }
                    n += 16;
                }
                long used = mx.getCurrentThreadCpuTime() - cpu0;
                if (v == 0) {
                    allocated += mx.getThreadAllocatedBytes(thread) - bytes0;
                }
                cpu[v] += used;
                ops[v] += n;
                perOp[v] = (double) used / n;
            }
            ratios.add(perOp[1] / perOp[0]);
            exchangeRatios.add(perOp[2] / perOp[0]);
        }
        Collections.sort(ratios);
        Collections.sort(exchangeRatios);
        double engine = (double) cpu[0] / ops[0];
        double raw = (double) cpu[1] / ops[1];
        System.out.printf("%s %d: engine %.0f ns cpu/op, raw %.0f ns cpu/op, engine/raw (rate) %.2f, median %.2f, "
                + "alloc %.0f B/engine op%n", b.payload, b.size, engine, raw, raw / engine, ratios.get(ratios.size() / 2),
                (double) allocated / ops[0]);
        double exchange = (double) cpu[2] / ops[2];
        System.out.printf("%s %d: rawExchange %.0f ns cpu/op, engine/rawExchange (rate) %.2f, median %.2f%n", b.payload, b.size,
                exchange, exchange / engine, exchangeRatios.get(exchangeRatios.size() / 2));
    }
}
