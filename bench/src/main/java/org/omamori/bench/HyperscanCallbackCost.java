package org.omamori.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.Expression;
import org.omamori.hyperscan.Hyperscan;
import org.omamori.hyperscan.MatchListener;
import org.omamori.hyperscan.ScanMode;
import org.omamori.hyperscan.Scanner;

/**
 * The cost of one match callback of the Hyperscan bundle, as the process has it (the
 * foreign-function upcall on Java 22+, JavaCPP's with {@code -Domamori.hyperscan.ffm=false}): a
 * block scan of 64 KiB where every byte matches, minus the same scan with no match, per match.
 * Prints the median of each round's fastest scans.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar org.omamori.bench.HyperscanCallbackCost [rounds]</pre>
 */
public final class HyperscanCallbackCost {

    private static long matches;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int size = 64 << 10;
        ByteBuffer hits = ByteBuffer.allocateDirect(size);
        ByteBuffer misses = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            hits.put(i, (byte) 'a');
            misses.put(i, (byte) 'b');
        }
        MatchListener count = (id, from, to) -> {
            matches++;
            return true;
        };
        System.out.println("match callback: " + Hyperscan.matchCallback());
        double[] perMatch = new double[rounds];
        try (Database db = Database.compile(List.of(Expression.of(1, "a")), ScanMode.BLOCK); Scanner scanner = db.scanner()) {
            for (int r = 0; r < rounds; r++) {
                long hitNanos = Long.MAX_VALUE;
                long missNanos = Long.MAX_VALUE;
                for (int i = 0; i < 200; i++) {
                    long t0 = System.nanoTime();
                    scanner.scan(hits, count);
                    long t1 = System.nanoTime();
                    scanner.scan(misses, count);
                    long t2 = System.nanoTime();
                    hitNanos = Math.min(hitNanos, t1 - t0);
                    missNanos = Math.min(missNanos, t2 - t1);
                }
                perMatch[r] = (hitNanos - missNanos) / (double) size;
                System.out.printf("round %d: %.1f ns per match (scan with %d matches %d us, without %d us)%n", r, perMatch[r],
                        size, hitNanos / 1000, missNanos / 1000);
            }
        }
        // Allocation per call, after warm-up: block scans and stream scans (as the IPS engine makes them) of 1 KiB, 64 matches.
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        ByteBuffer page = ByteBuffer.allocate(1024);
        for (int i = 0; i < 1024; i += 16) {
            page.put(i, (byte) 'a');
        }
        try (Database block = Database.compile(List.of(Expression.of(1, "a")), ScanMode.BLOCK);
                Database stream = Database.compile(List.of(Expression.of(1, "a")), ScanMode.STREAM);
                Scanner scanner = block.scanner(); Scanner streams = stream.scanner()) {
            for (int round = 0; round < 3; round++) {
                long a0 = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++) {
                    scanner.scan(page, count);
                }
                long a1 = threads.getCurrentThreadAllocatedBytes();
                var s = streams.openStream();
                for (int i = 0; i < 100_000; i++) {
                    s.scan(page, count);
                    s.reset(count);
                }
                s.close();
                long a2 = threads.getCurrentThreadAllocatedBytes();
                System.out.printf("allocated per 1 KiB block scan %.2f B, per stream scan + reset %.2f B%n",
                        (a1 - a0) / 100_000.0, (a2 - a1) / 100_000.0);
            }
        }
        Arrays.sort(perMatch);
        System.out.printf("median %.1f ns per match (%d matches counted)%n", perMatch[rounds / 2], matches);
    }

    private HyperscanCallbackCost() {
    }
}
