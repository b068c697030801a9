package org.omamori.appliance.memory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.omamori.api.memory.LoadShedding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the appliance sheds load (docs/operations.md "Memory budget"). {@link #check()} is
 * called every {@link MemorySettings#check()} and when the JVM reports a collection that left the
 * heap over its threshold: shedding starts when the heap still used after a collection passes the
 * high-water mark and stays over it for 5 s with a collection asked for in between (after a young
 * collection G1's old generation still holds garbage its next cycle frees), or the resident set
 * passes the budget's; it stops when both are under their
 * low-water marks. While shedding, a full collection is asked for when none has measured the heap
 * for five seconds (little is allocated while intakes refuse work, so none may come by itself).
 * One log line when shedding starts, one every 30 s while it lasts and one when it stops, each
 * with the refusals per intake. Thread-safe.
 */
public final class MemoryGuard implements LoadShedding {

    /** The intakes counted by name in the metric; any other is counted as "other". */
    public static final List<String> INTAKES = List.of("proxy", "dns", "definitions");

    private static final Logger LOG = LoggerFactory.getLogger(MemoryGuard.class);
    private static final long MB = 1 << 20;
    private static final long REMEASURE_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long REPORT_NANOS = Duration.ofSeconds(30).toNanos();

    private final MemorySettings settings;
    private final MemoryProbe probe;
    private final LongSupplier nanos;
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final LongAdder episodes = new LongAdder();

    private volatile boolean shedding;
    private volatile String reason = "";
    private volatile long residentBytes = -1;
    private volatile MemoryProbe.HeapAfterCollection heap = new MemoryProbe.HeapAfterCollection(0, 0, 0);
    // Guarded by this.
    private long shedSince;
    private long lastMeasured;
    private long lastConfirmed = Long.MIN_VALUE / 2;
    private static final long NEVER = Long.MIN_VALUE;
    /** Since when the heap after collection has been over the mark without shedding yet, or NEVER. */
    private long overSince = NEVER;
    private long overCollections;
    private long lastCollections = -1;
    private long lastReport;
    private Map<String, Long> refusedAtStart = Map.of();

    public MemoryGuard(MemorySettings settings, MemoryProbe probe, LongSupplier nanos) {
        this.settings = settings;
        this.probe = probe;
        this.nanos = nanos;
        for (String intake : INTAKES) {
            refused.put(intake, new LongAdder());
        }
        refused.put("other", new LongAdder());
    }

    public MemorySettings settings() {
        return settings;
    }

    /** Looks at the heap after the last collection and the resident set, and starts or stops shedding. */
    public synchronized void check() {
        long now = nanos.getAsLong();
        MemoryProbe.HeapAfterCollection h = probe.heapAfterCollection();
        long rss = probe.residentBytes();
        heap = h;
        residentBytes = rss;
        if (h.collections() != lastCollections) {
            lastCollections = h.collections();
            lastMeasured = now;
        }
        double heapShare = share(h);
        double residentShare = rss > 0 ? (double) rss / settings.budgetBytes() : 0;
        if (!shedding) {
            boolean heapOver = false;
            if (heapShare > settings.heapHigh()) {
                // After a young collection G1's old generation still counts garbage that its next old-generation
                // cycle frees: ask for a collection (at most one per interval) and shed only when the heap is still
                // over the mark at least 5 s later, collections in between. Serial's reading comes from a full
                // collection and the one asked for is synchronous: over twice, it is live.
                if (overSince == NEVER) {
                    overSince = now;
                    if (now - lastConfirmed >= REMEASURE_NANOS) {
                        lastConfirmed = now;
                        probe.collect();
                        h = probe.heapAfterCollection();
                        heap = h;
                        lastCollections = h.collections();
                        lastMeasured = now;
                        heapShare = share(h);
                    }
                    overCollections = h.collections();
                    if (heapShare <= settings.heapHigh()) {
                        overSince = NEVER;
                    }
                } else {
                    heapOver = now - overSince >= REMEASURE_NANOS && h.collections() > overCollections;
                }
            } else {
                overSince = NEVER;
            }
            String why = null;
            if (heapOver) {
                why = String.format(Locale.ROOT, "heap after collection %d MB of %d MB (over %d %%)", h.usedBytes() / MB,
                        h.maxBytes() / MB, Math.round(settings.heapHigh() * 100));
            } else if (residentShare > settings.residentHigh()) {
                why = String.format(Locale.ROOT, "resident %d MB of the %d MB budget (over %d %%)", rss / MB,
                        settings.budgetBytes() / MB, Math.round(settings.residentHigh() * 100));
            }
            if (why != null) {
                start(why, now);
            }
            return;
        }
        if (heapShare < settings.heapLow() && residentShare < settings.residentLow()) {
            stop(now, heapShare, residentShare);
            return;
        }
        if (now - lastMeasured > REMEASURE_NANOS) {
            lastMeasured = now; // at most one asked-for collection per interval
            probe.collect();
        }
        if (now - lastReport > REPORT_NANOS) {
            lastReport = now;
            LOG.warn("memory budget: still shedding load after {} s ({}); refused since: {}", (now - shedSince) / 1_000_000_000L,
                    state(heapShare, residentShare), refusedSince());
        }
    }

    private static double share(MemoryProbe.HeapAfterCollection h) {
        return h.maxBytes() > 0 ? (double) h.usedBytes() / h.maxBytes() : 0;
    }

    private void start(String why, long now) {
        overSince = NEVER;
        reason = why;
        shedSince = now;
        lastReport = now;
        refusedAtStart = snapshot();
        episodes.increment();
        shedding = true;
        LOG.warn("memory budget: shedding load: {}; the web proxy answers 503, the DNS filter REFUSED and definitions"
                + " wait until the heap after collection is under {} %{}", why, Math.round(settings.heapLow() * 100),
                Double.isInfinite(settings.residentHigh()) ? ""
                        : " and the resident set under " + Math.round(settings.residentLow() * 100) + " % of the budget");
    }

    private void stop(long now, double heapShare, double residentShare) {
        shedding = false;
        reason = "";
        LOG.info("memory budget: load accepted again after {} s ({}); refused meanwhile: {}",
                (now - shedSince) / 1_000_000_000L, state(heapShare, residentShare), refusedSince());
        notifyAll();
    }

    private String state(double heapShare, double residentShare) {
        return String.format(Locale.ROOT, "heap after collection %d %%, resident %s", Math.round(heapShare * 100),
                residentShare > 0 ? Math.round(residentShare * 100) + " % of the budget" : "unknown");
    }

    private Map<String, Long> snapshot() {
        return refused.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
    }

    private String refusedSince() {
        Map<String, Long> now = snapshot();
        return now.keySet().stream().sorted()
                .map(k -> k + " " + (now.get(k) - refusedAtStart.getOrDefault(k, 0L)))
                .collect(Collectors.joining(", "));
    }

    @Override
    public boolean shedding() {
        return shedding;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public void refused(String intake) {
        LongAdder count = refused.get(intake);
        (count == null ? refused.get("other") : count).increment();
    }

    /** Refusals by intake since start. */
    public long refusedCount(String intake) {
        LongAdder count = refused.get(intake);
        return count == null ? 0 : count.sum();
    }

    /** How many times shedding started. */
    public long episodes() {
        return episodes.sum();
    }

    public long residentBytes() {
        return residentBytes;
    }

    public MemoryProbe.HeapAfterCollection heap() {
        return heap;
    }

    @Override
    public boolean awaitAccepting(Duration timeout) throws InterruptedException {
        long deadline = nanos.getAsLong() + timeout.toNanos();
        synchronized (this) {
            while (shedding) {
                long left = deadline - nanos.getAsLong();
                if (left <= 0) {
                    return false;
                }
                // Woken by stop(); the timed wait also covers a clock that is not System.nanoTime (tests).
                wait(Math.max(1, Math.min(left / 1_000_000, 1_000)));
            }
            return true;
        }
    }

    /** Stops shedding for good (the guard is going away): whoever waits goes on. */
    public synchronized void release() {
        shedding = false;
        reason = "";
        notifyAll();
    }
}
