package org.omamori.engine.ips.rules;

import java.util.List;
import java.util.Objects;

/**
 * Suricata's global {@code threshold.config}: what an operator tunes on the sensor without
 * editing the vendor's rules (docs.suricata.io, "Global-Thresholds"). Entries keep the file
 * order; {@code sid} 0 means every rule (of {@code gid}, or of all generators when it is 0 too).
 * Read by {@link ThresholdConfigParser}; applied by the engine.
 *
 * @param entries the lines, in file order
 */
public record ThresholdConfig(List<Entry> entries) {

    public static final ThresholdConfig NONE = new ThresholdConfig(List.of());

    public ThresholdConfig {
        entries = List.copyOf(entries);
    }

    /** This file's entries followed by {@code other}'s (several files, read in order). */
    public ThresholdConfig and(ThresholdConfig other) {
        List<Entry> all = new java.util.ArrayList<>(entries);
        all.addAll(other.entries);
        return new ThresholdConfig(all);
    }

    /** One line of the file. */
    public sealed interface Entry permits Suppress, EventFilter, RateFilter {
        /** Generator id: 1 for text rules, 0 for all. */
        int gid();

        /** The rule's sid, 0 for all rules of {@link #gid()}. */
        long sid();

        /** Where the line is, for messages. */
        Rule.Origin origin();
    }

    /** Whose address a suppression looks at. */
    public enum SuppressTrack { BY_SRC, BY_DST, BY_EITHER }

    /**
     * {@code suppress}: the rule's alerts are not given (the rule still matches, its flowbits are
     * still set); with {@code track} and {@code ip}, only for matches whose source, destination or
     * either address is in {@code ip}.
     *
     * @param track null for every match
     * @param ip    the addresses ({@link AddressSpec#ANY} when no track is given)
     */
    public record Suppress(int gid, long sid, SuppressTrack track, AddressSpec ip, Rule.Origin origin) implements Entry {
        public Suppress {
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /** {@code threshold} or {@code event_filter} (the same): a threshold as the rule keyword gives one. */
    public record EventFilter(int gid, long sid, Threshold threshold, Rule.Origin origin) implements Entry {
        public EventFilter {
            Objects.requireNonNull(threshold, "threshold");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /** What a {@code rate_filter} turns a rule's matches into while it is active. */
    public enum NewAction { ALERT, DROP, PASS, REJECT }

    /**
     * {@code rate_filter}: once a tracked key has matched more than {@code count} times within
     * {@code seconds}, the rule's action is {@code action} for {@code timeout} seconds.
     *
     * @param track by_src, by_dst, by_rule or by_both
     */
    public record RateFilter(int gid, long sid, Threshold.Track track, int count, int seconds, NewAction action,
                             int timeout, Rule.Origin origin) implements Entry {
        public RateFilter {
            Objects.requireNonNull(track, "track");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(origin, "origin");
            if (count < 1 || seconds < 1 || timeout < 0) {
                throw new IllegalArgumentException("count and seconds must be at least 1, timeout at least 0");
            }
        }
    }
}
