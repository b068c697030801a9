package org.omamori.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What the budget's collector options do with the appliance's kind of heap, in a JVM started with them: a live set of
 * rule and list tables near half the heap, and a stream of short-lived garbage (requests) beside it. With G1's
 * adaptive marking threshold such a heap started a concurrent cycle (remark, mixed collections) at nearly every young
 * collection, the proxy's p99 under load paid for it (bench/README.md "proxyp99").
 */
class MarkingCyclesTest {

    /** Holds {@code args[0]} MB of small arrays, allocates {@code args[1]} MB of garbage, prints G1's counts. */
    public static final class Churn {
        static volatile Object sink;

        public static void main(String[] args) {
            int liveMegabytes = Integer.parseInt(args[0]);
            long garbageMegabytes = Long.parseLong(args[1]);
            Object[] live = new Object[liveMegabytes * 512];
            for (int i = 0; i < live.length; i++) {
                live[i] = new byte[2048 - 16];
            }
            for (long i = 0; i < garbageMegabytes * 1024; i++) {
                sink = new byte[1024 - 16];
            }
            for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
                System.out.println(g.getName() + "=" + g.getCollectionCount());
            }
            System.out.println("live=" + live.length);
        }
    }

    /** Runs {@link Churn} in a JVM with the default budget's options; returns its output. */
    private static String churn(int liveMegabytes, int garbageMegabytes) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(new MemoryBudget(MemoryBudget.DEFAULT_MEGABYTES, "test").jvmOptions(Runtime.version().feature(), 2));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Churn.class.getName(),
                String.valueOf(liveMegabytes), String.valueOf(garbageMegabytes)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static long count(String out, String collector) {
        return out.lines().filter(l -> l.startsWith(collector + "=")).mapToLong(l -> Long.parseLong(l.substring(collector.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(collector + " not in " + out));
    }

    @Test
    void aLiveSetOfTwoFifthsOfTheHeapIsNotMarkedAgainAndAgain() throws Exception {
        // 110 MB of 256: the adaptive threshold gave 9 cycles (18 pauses of "G1 Concurrent GC") for 3 GB of garbage.
        String out = churn(110, 3000);

        assertThat(count(out, "G1 Young Generation")).as(out).isGreaterThan(10);
        assertThat(count(out, "G1 Concurrent GC")).as("remark and cleanup pauses: " + out).isZero();
        assertThat(count(out, "G1 Old Generation")).as(out).isZero();
    }

    @Test
    void aLiveSetPastThreeQuartersIsStillMarkedConcurrentlyWithoutAFullCollection() throws Exception {
        String out = churn(200, 2000);

        assertThat(count(out, "G1 Concurrent GC")).as(out).isPositive();
        assertThat(count(out, "G1 Old Generation")).as("full collections: " + out).isZero();
    }
}
