package org.omamori.appliance.memory;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * The running JVM: the long-lived heap pools (Serial's "Tenured Gen", G1's "G1 Old Gen"; not eden or
 * survivors) after their last collection, {@code /proc/self/status} VmRSS, and a notification from
 * the JVM as soon as a collection leaves those pools above a threshold
 * ({@link MemoryPoolMXBean#setCollectionUsageThreshold}).
 */
public final class JvmMemoryProbe implements MemoryProbe, AutoCloseable {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final List<MemoryPoolMXBean> oldPools;
    private final List<GarbageCollectorMXBean> collectors;
    private NotificationListener listener;

    public JvmMemoryProbe() {
        this.oldPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported() && !young(p.getName()))
                .toList();
        List<String> names = oldPools.stream().map(MemoryPoolMXBean::getName).toList();
        this.collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(c -> List.of(c.getMemoryPoolNames()).stream().anyMatch(names::contains))
                .toList();
    }

    private static boolean young(String pool) {
        String n = pool.toLowerCase(Locale.ROOT);
        return n.contains("eden") || n.contains("survivor") || n.contains("young");
    }

    /**
     * Calls {@code whenOver} (on the JVM's notification thread) each time a collection leaves the
     * long-lived pools above {@code fraction} of their maximum.
     */
    public void notifyOver(double fraction, Runnable whenOver) {
        for (MemoryPoolMXBean p : oldPools) {
            long max = p.getUsage().getMax();
            if (max > 0) {
                p.setCollectionUsageThreshold((long) (max * fraction));
            }
        }
        listener = (notification, handback) -> whenOver.run();
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
    }

    @Override
    public HeapAfterCollection heapAfterCollection() {
        long used = 0;
        long max = 0;
        for (MemoryPoolMXBean p : oldPools) {
            MemoryUsage after = p.getCollectionUsage();
            if (after != null) {
                used += after.getUsed();
            }
            long m = p.getUsage().getMax();
            max += m > 0 ? m : p.getUsage().getCommitted();
        }
        long count = 0;
        for (GarbageCollectorMXBean c : collectors) {
            count += Math.max(0, c.getCollectionCount());
        }
        return new HeapAfterCollection(used, max, count);
    }

    @Override
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no resident figure here: the heap alone decides
        }
        return -1;
    }

    @Override
    public void collect() {
        System.gc();
    }

    @Override
    public void close() {
        if (listener != null) {
            try {
                ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
            } catch (ListenerNotFoundException gone) {
                // removed already
            }
            listener = null;
        }
    }
}
