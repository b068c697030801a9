package org.omamori.engine.ips;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.Threshold;
import org.omamori.engine.ips.rules.ThresholdConfig;
import org.omamori.engine.ips.rules.ThresholdConfig.RateFilter;
import org.omamori.engine.ips.rules.ThresholdConfig.Suppress;

/**
 * What becomes of a confirmed rule's alert: the rule's own {@code threshold}/{@code detection_filter}
 * and the global threshold.config, applied as Suricata does (docs.suricata.io, "Global-Thresholds"):
 * <ul>
 * <li>{@code suppress} lines all apply (a sid's own, its gen_id's {@code sig_id 0}, the global
 * {@code gen_id 0, sig_id 0}), before any threshold, whether or not the rule has a threshold: a
 * suppressed match is not counted by the thresholds.</li>
 * <li>{@code threshold}/{@code event_filter} for a sid replaces the rule's own threshold or
 * detection_filter (the last line for a sid wins); a {@code rate_filter} for a sid whose rule has
 * its own threshold is ignored, as Suricata ignores it (said in {@link #notes()}).</li>
 * <li>{@code sig_id 0} thresholds and rate filters go to the rules that have none of their own nor
 * one for their sid; among several, the first line in the file.</li>
 * </ul>
 * An alert held back (suppressed, thresholded, or a rate filter's {@code pass}) is counted in
 * {@link Thresholds#suppressed()}, never lost silently; drop and reject rules still block such a
 * match and it is recorded with a note, as for a rule's own threshold. The rules' engine uses
 * gen_id 1 for every rule ({@code gid} is not read): lines for other generators match nothing.
 */
final class AlertFilters {

    private static final int GID = 1;

    /** Per rule index: the threshold in force (its own or threshold.config's), or null. */
    private final Threshold[] thresholds;
    private final RateFilter[] rates;
    /** Per rule index: its suppressions, or null for none; rules sharing only global ones share the array. */
    private final Suppress[][] suppressions;
    private final Thresholds counters;
    private final RateFilters rateCounters;
    private final List<String> notes;

    private AlertFilters(Threshold[] thresholds, RateFilter[] rates, Suppress[][] suppressions, Thresholds counters,
                         List<String> notes) {
        this.thresholds = thresholds;
        this.rates = rates;
        this.suppressions = suppressions;
        this.counters = counters;
        this.rateCounters = new RateFilters(counters::now);
        this.notes = List.copyOf(notes);
    }

    /** The rules' own thresholds with {@code config} applied to them ({@code rules} may hold nulls: dropped rules). */
    static AlertFilters of(CompiledRule[] rules, ThresholdConfig config, Thresholds counters) {
        int n = rules.length;
        Threshold[] thresholds = new Threshold[n];
        RateFilter[] rates = new RateFilter[n];
        boolean[] fromSid = new boolean[n];
        Map<Long, Integer> bySid = new HashMap<>();
        for (CompiledRule r : rules) {
            if (r != null) {
                thresholds[r.index] = r.threshold;
                bySid.put(r.rule.sid(), r.index);
            }
        }
        List<String> notes = new ArrayList<>();
        List<Suppress> everyRule = new ArrayList<>();
        Map<Integer, List<Suppress>> perRule = new HashMap<>();
        List<ThresholdConfig.Entry> wildcards = new ArrayList<>();
        for (ThresholdConfig.Entry e : config.entries()) {
            if (e.gid() != 0 && e.gid() != GID) {
                notes.add(e.origin() + ": gen_id " + e.gid() + " matches no rule (the rules are gen_id 1): no effect");
                continue;
            }
            if (e.sid() == 0) {
                if (e instanceof Suppress s) {
                    everyRule.add(s);
                } else {
                    wildcards.add(e);
                }
                continue;
            }
            Integer index = bySid.get(e.sid());
            if (index == null) {
                notes.add(e.origin() + ": sid " + e.sid() + " is not in the rule set in force (absent, skipped or failed): no effect");
                continue;
            }
            switch (e) {
                case Suppress s -> perRule.computeIfAbsent(index, k -> new ArrayList<>()).add(s);
                case ThresholdConfig.EventFilter f -> {
                    thresholds[index] = f.threshold(); // replaces the rule's own, as Suricata
                    rates[index] = null;
                    fromSid[index] = true;
                }
                case RateFilter f -> {
                    if (rules[index].threshold != null) {
                        notes.add(e.origin() + ": sid " + e.sid() + " has a threshold of its own, which Suricata gives"
                                + " precedence over a rate_filter: no effect");
                    } else {
                        rates[index] = f;
                        thresholds[index] = null;
                        fromSid[index] = true;
                    }
                }
            }
        }
        for (CompiledRule r : rules) {
            if (r == null || fromSid[r.index] || r.threshold != null || wildcards.isEmpty()) {
                continue;
            }
            ThresholdConfig.Entry first = wildcards.get(0);
            if (first instanceof ThresholdConfig.EventFilter f) {
                thresholds[r.index] = f.threshold();
            } else if (first instanceof RateFilter f) {
                rates[r.index] = f;
            }
        }
        Suppress[][] suppressions = new Suppress[n][];
        Suppress[] global = everyRule.toArray(Suppress[]::new);
        for (int i = 0; i < n; i++) {
            List<Suppress> own = perRule.get(i);
            if (own == null) {
                suppressions[i] = global.length == 0 ? null : global;
            } else {
                List<Suppress> all = new ArrayList<>(own);
                all.addAll(everyRule);
                suppressions[i] = all.toArray(Suppress[]::new);
            }
        }
        return new AlertFilters(thresholds, rates, suppressions, counters, notes);
    }

    /** Lines of threshold.config that had no effect on this rule set, with file, line and why. */
    List<String> notes() {
        return notes;
    }

    /**
     * The verdict a confirmed match of an alerting rule (not pass, not noalert) gives, or null when
     * its alert is held back and it does not block.
     */
    Verdict verdict(CompiledRule rule, Connection c, Side side) {
        Suppress[] suppress = suppressions[rule.index];
        if (suppress != null && suppressed(suppress, c, side)) {
            return held(rule, "suppressed by threshold.config");
        }
        Threshold t = thresholds[rule.index];
        if (t != null && !counters.alerts(rule.index, t, Tracking.thresholdKey(t.track(), c, side))) {
            return held(rule, t == rule.threshold ? "held back by its threshold" : "held back by threshold.config");
        }
        // the second alert of an exchange (an address-only rule's response direction) is a verdict of its own
        Verdict base = Side.firedKey(rule, side, 1) != rule.index ? rule.verdict.withNote(rule.verdict.note() + "; response")
                : rule.verdict;
        RateFilter r = rates[rule.index];
        if (r != null && rateCounters.active(rule.index, r, Tracking.thresholdKey(r.track(), c, side))) {
            String note = base.note() + "; rate_filter " + r.action().name().toLowerCase(java.util.Locale.ROOT)
                    + " (" + r.origin() + ")";
            return switch (r.action()) {
                case ALERT -> rule.dropAction ? new Verdict(Action.PASS, rule.verdict.finding(), note) : base;
                case DROP, REJECT -> new Verdict(Action.BLOCK, rule.verdict.finding(), note);
                case PASS -> {
                    counters.held();
                    yield null;
                }
            };
        }
        return base;
    }

    /** The alert is not given (counted); a drop or reject rule still blocks, and that is recorded. */
    private Verdict held(CompiledRule rule, String why) {
        return rule.dropAction ? rule.verdict.withNote(rule.verdict.note() + "; alert " + why) : null;
    }

    private boolean suppressed(Suppress[] suppress, Connection c, Side side) {
        byte[] client = null;
        byte[] server = null;
        for (Suppress s : suppress) {
            if (s.track() == null) {
                counters.held();
                return true;
            }
            if (client == null) {
                client = c.source().getAddress();
                server = c.destination().getAddress();
            }
            byte[] src = side == Side.REQUEST ? client : server;
            byte[] dst = side == Side.REQUEST ? server : client;
            boolean hit = switch (s.track()) {
                case BY_SRC -> s.ip().matches(src);
                case BY_DST -> s.ip().matches(dst);
                case BY_EITHER -> s.ip().matches(src) || s.ip().matches(dst);
            };
            if (hit) {
                counters.held();
                return true;
            }
        }
        return false;
    }
}
