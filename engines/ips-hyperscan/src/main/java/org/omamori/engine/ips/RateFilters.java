package org.omamori.engine.ips;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.omamori.engine.ips.rules.ThresholdConfig.RateFilter;

/**
 * The counters of threshold.config's {@code rate_filter}, as Suricata keeps them
 * (detect-engine-threshold.c): per rule and tracked key, a window starts at the first match and
 * counts matches while {@code now - start < seconds}; the match that makes the count exceed
 * {@code count} switches the new action on for {@code timeout} seconds (every match meanwhile gets
 * it); the first match after the timeout is an ordinary one, and the next counts on in the window
 * it began in (a window still open switches the action on again at once). At most {@link Thresholds#MAX_TRACKED} keys: past that, finished entries are dropped,
 * and a match that still finds no room keeps the rule's own action.
 */
final class RateFilters {

    private static final long NANOS = 1_000_000_000L;

    private static final class State {
        boolean counting;
        long start;
        long count;
        boolean active;
        long activeSince;
        /** When this entry no longer matters (window and timeout over): it may then be dropped. */
        long done;
    }

    private final Map<TrackKey, State> states = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    /** {@code clock}: nanoseconds, the one thresholds and xbits use. */
    RateFilters(LongSupplier clock) {
        this.clock = clock;
    }

    /** Whether the new action of {@code filter} applies to this match of {@code rule} by {@code who}. */
    boolean active(int rule, RateFilter filter, byte[] who) {
        long now = clock.getAsLong();
        TrackKey key = new TrackKey(rule, who);
        State s = states.get(key);
        if (s == null) {
            if (states.size() >= Thresholds.MAX_TRACKED) {
                states.values().removeIf(old -> now - old.done > 0);
                if (states.size() >= Thresholds.MAX_TRACKED) {
                    return false; // no room to count: the rule's own action
                }
            }
            s = states.computeIfAbsent(key, k -> new State());
        }
        synchronized (s) {
            boolean on = step(s, filter, now);
            s.done = Math.max(s.start + filter.seconds() * NANOS, s.active ? s.activeSince + filter.timeout() * NANOS : 0);
            return on;
        }
    }

    private static boolean step(State s, RateFilter f, long now) {
        if (s.active) {
            if (now - s.activeSince > f.timeout() * NANOS) {
                s.active = false; // over: this match is an ordinary one, not counted (as Suricata)
                return false;
            }
            return true;
        }
        if (s.counting && now - s.start < f.seconds() * NANOS) {
            if (++s.count > f.count()) {
                s.active = true;
                s.activeSince = now;
                return true;
            }
            return false;
        }
        s.counting = true;
        s.start = now;
        s.count = 1;
        return false;
    }
}
