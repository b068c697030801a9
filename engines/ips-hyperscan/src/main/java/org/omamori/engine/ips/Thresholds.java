package org.omamori.engine.ips;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.omamori.engine.ips.rules.Threshold;

/**
 * The counters of the rules' {@code threshold}/{@code detection_filter} (Suricata's
 * "Thresholding Keywords"): per rule and tracked key, a window that starts at its first match and
 * lasts {@code seconds} (inclusive, as Suricata's {@code start + seconds >= now}); a match after it
 * starts a new window counting 1. limit alerts matches 1..count of a window; threshold alerts each
 * count-th (the count starts again, the window does not); both alerts the count-th once;
 * detection_filter alerts every match past count. Matching and flowbits are not affected: only
 * the alert is, and each alert held back is counted ({@link #suppressed()}), never silently lost.
 * At most {@link #MAX_TRACKED} keys are tracked (hostile sources cannot grow it without bound):
 * past that, expired windows are dropped, and a match that still finds no room alerts.
 */
final class Thresholds {

    static final int MAX_TRACKED = 100_000;

    private static final class Window {
        boolean started;
        long start;
        long count;
    }

    private final Map<TrackKey, Window> windows = new ConcurrentHashMap<>();
    private final LongAdder suppressed = new LongAdder();
    private volatile LongSupplier clock = System::nanoTime;

    /** For tests: a clock in nanoseconds. */
    void clock(LongSupplier nanos) {
        this.clock = nanos;
    }

    /** Now, by the clock thresholds and xbits share. */
    long now() {
        return clock.getAsLong();
    }

    /** Alerts held back by a threshold or by threshold.config since the rule set was compiled. */
    long suppressed() {
        return suppressed.sum();
    }

    /** Counts one alert held back elsewhere (threshold.config's suppress, a rate_filter's pass). */
    void held() {
        suppressed.increment();
    }

    /** Whether this match of {@code rule} alerts; {@code who} is the tracked key's bytes (empty for by_rule). */
    boolean alerts(int rule, Threshold t, byte[] who) {
        long now = clock.getAsLong();
        TrackKey key = new TrackKey(rule, who);
        Window w = windows.get(key);
        if (w == null) {
            if (windows.size() >= MAX_TRACKED) {
                long span = t.seconds() * 1_000_000_000L;
                windows.values().removeIf(old -> now - old.start > span); // (windows of longer-lived rules may go early: they restart)
                if (windows.size() >= MAX_TRACKED) {
                    return true; // no room to count: alert rather than lose it
                }
            }
            w = windows.computeIfAbsent(key, k -> new Window());
        }
        boolean alert;
        synchronized (w) {
            if (!w.started || now - w.start > t.seconds() * 1_000_000_000L) {
                w.started = true;
                w.start = now;
                w.count = 0;
            }
            w.count++;
            alert = switch (t.type()) {
                case LIMIT -> w.count <= t.count();
                case THRESHOLD -> {
                    if (w.count >= t.count()) {
                        w.count = 0; // the count starts again, the window goes on
                        yield true;
                    }
                    yield false;
                }
                case BOTH -> w.count == t.count();
                case DETECTION_FILTER -> w.count > t.count();
            };
        }
        if (!alert) {
            suppressed.increment();
        }
        return alert;
    }
}
