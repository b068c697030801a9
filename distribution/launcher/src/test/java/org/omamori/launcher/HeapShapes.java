package org.omamori.launcher;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;

/**
 * The appliance's kinds of heap, run in a JVM of their own by {@link MarkingCyclesTest}, which prints G1's counts and
 * the old generation's size at the end ({@code name=value} lines).
 * <ul>
 *   <li>{@code steady LIVE GARBAGE}: LIVE MB of small arrays held (the rule sets and lists), GARBAGE MB of short-lived
 *       arrays made beside them (requests);</li>
 *   <li>{@code swap LIVE LIST SWAPS GARBAGE}: LIVE MB held, and a list of LIST MB of humongous arrays swapped for a new
 *       one SWAPS times, GARBAGE MB of requests after each swap. The list's arrays hang off an old-generation object, as
 *       the URL filter's tables do, so a young collection cannot free them once dropped: only a marking cycle can.</li>
 * </ul>
 */
final class HeapShapes {

    /** A humongous array that fills one 1 MB region of a 256 MB heap (more than half a region). */
    private static final int REGION_LONGS = (1 << 17) - 64;
    /** Long enough that the holder itself is humongous, so it is in the old generation from the start. */
    private static final int HOLDER_SLOTS = 1 << 18;

    static volatile Object sink;

    private HeapShapes() {
    }

    public static void main(String[] args) {
        Object[] live = smallArrays(Integer.parseInt(args[1]));
        long oldAfterLastSwap = -1;
        if (args[0].equals("steady")) {
            garbage(Long.parseLong(args[2]));
        } else {
            int listMegabytes = Integer.parseInt(args[2]);
            int swaps = Integer.parseInt(args[3]);
            long garbageMegabytes = Long.parseLong(args[4]);
            long[][] list = list(listMegabytes);
            garbage(garbageMegabytes);
            for (int i = 0; i < swaps; i++) {
                long[][] next = list(listMegabytes);
                list = next; // the old list is dead, its holder still in an old region
                garbage(garbageMegabytes);
            }
            sink = list;
            oldAfterLastSwap = oldGenerationMegabytes();
        }
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            System.out.println(g.getName() + "=" + g.getCollectionCount());
        }
        System.out.println("oldMegabytes=" + oldAfterLastSwap);
        System.out.println("live=" + live.length);
    }

    private static Object[] smallArrays(int megabytes) {
        Object[] live = new Object[megabytes * 512];
        for (int i = 0; i < live.length; i++) {
            live[i] = new byte[2048 - 16];
        }
        return live;
    }

    private static long[][] list(int megabytes) {
        long[][] holder = new long[HOLDER_SLOTS][];
        for (int i = 0; i < megabytes; i++) {
            holder[i] = new long[REGION_LONGS];
        }
        return holder;
    }

    private static void garbage(long megabytes) {
        for (long i = 0; i < megabytes * 1024; i++) {
            sink = new byte[1024 - 16];
        }
    }

    private static long oldGenerationMegabytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getName().equals("G1 Old Gen"))
                .mapToLong(p -> p.getUsage().getUsed() >> 20).findFirst().orElseThrow();
    }
}
