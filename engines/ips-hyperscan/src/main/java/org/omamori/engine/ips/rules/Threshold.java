package org.omamori.engine.ips.rules;

import java.util.Objects;

/**
 * A rule's {@code threshold:} or {@code detection_filter:}: how often a match alerts. Matching
 * itself (and its flowbits) is not affected, only the alert, as in Suricata.
 *
 * @param type    limit, threshold, both (threshold:) or detection_filter
 * @param track   whose matches are counted together
 * @param count   the count the type speaks of, at least 1
 * @param seconds the time window, at least 1
 */
public record Threshold(Type type, Track track, int count, int seconds) {

    public enum Type {
        /** Alerts the first {@code count} matches of each window, then none until it ends. */
        LIMIT,
        /** Alerts every {@code count}-th match within a window. */
        THRESHOLD,
        /** Alerts once per window, at the {@code count}-th match. */
        BOTH,
        /** {@code detection_filter}: alerts every match after the first {@code count} of a window. */
        DETECTION_FILTER
    }

    public enum Track { BY_SRC, BY_DST, BY_RULE, BY_BOTH, BY_FLOW }

    public Threshold {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(track, "track");
        if (count < 1 || seconds < 1) {
            throw new IllegalArgumentException("count and seconds must be at least 1");
        }
    }
}
