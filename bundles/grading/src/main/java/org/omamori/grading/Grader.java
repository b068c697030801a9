package org.omamori.grading;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.omamori.events.Event;
import org.omamori.events.EventId;
import org.omamori.events.Kind;

/**
 * Grades one customer's events, fed in (roughly) time order, into important alerts. Not
 * thread-safe: one grader per customer, used by one thread at a time.
 *
 * <p>Time is the events' own: the grader reads no clock. Its state is small and derivable — the
 * ids and facts of the last 24 h of threat events that some count rule looks at, and the alerts
 * still open for repeats — so another node continues with {@link #resume} from what the store
 * keeps. An event id seen before is ignored (transport is at-least-once).
 */
public final class Grader {

    private record Seen(EventId id, Instant time, Facts facts) {
    }

    private record Key(String rule, String host, String peer, boolean suppressed) {
    }

    private final StarTable table;
    private final Map<String, Deque<Seen>> windows = new HashMap<>();
    private final LinkedHashMap<EventId, Instant> ids = new LinkedHashMap<>();
    private final Map<Key, Alert> open = new HashMap<>();
    private List<Suppression> suppressions = List.of();
    private Instant newest = Instant.MIN;

    public Grader(StarTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * A grader that continues where another left off.
     *
     * @param openAlerts   the customer's alerts whose last event is within the dedup time of the newest event
     *                     (older ones are simply not folded into any more)
     * @param recentEvents the customer's threat events of the last {@link StarTable#HORIZON}, already graded:
     *                     they are remembered and counted, not graded again
     */
    public static Grader resume(StarTable table, Collection<Alert> openAlerts, Collection<Event> recentEvents) {
        Grader g = new Grader(table);
        for (Event e : recentEvents) {
            if (g.admit(e)) {
                g.remember(e, Facts.of(e));
            }
        }
        for (Alert a : openAlerts) {
            g.open.put(key(a), a);
        }
        g.prune();
        return g;
    }

    /** Replaces the suppressions in force (operators' and the customer's). */
    public void suppressions(Collection<Suppression> in) {
        this.suppressions = List.copyOf(in);
    }

    /**
     * Grades one event.
     *
     * @return the alerts it opened or repeated; empty for access logs, the appliance's own
     * records, events graded none and events seen before
     */
    public List<AlertChange> accept(Event e) {
        if (!admit(e)) {
            return List.of();
        }
        Facts facts = Facts.of(e);
        InternalHost host = InternalHost.of(e);
        remember(e, facts);
        List<AlertChange> changes = new ArrayList<>(2);
        Optional<StarTable.Rule> rule = table.grade(facts);
        if (rule.isPresent() && rule.get().grade().alerts()) {
            StarTable.Rule r = rule.get();
            changes.add(record(r.id(), r.grade(), false, host, facts, e, facts.peerKey(), table.dedup(),
                    List.of(e.id()), e.time(), e.count(), facts.ruleId()));
        }
        Deque<Seen> window = windows.getOrDefault(host.key(), new ArrayDeque<>());
        for (StarTable.CountRule c : table.counts()) {
            if (!c.matches(facts)) {
                continue;
            }
            Instant since = e.time().minus(c.within());
            Set<String> distinct = new LinkedHashSet<>();
            List<EventId> made = new ArrayList<>();
            int matched = 0;
            Instant first = e.time();
            for (Seen s : window) {
                if (!s.time().isBefore(since) && !s.time().isAfter(e.time()) && c.matches(s.facts())) {
                    distinct.add(c.distinctValue(s.facts()));
                    matched++;
                    if (made.size() < Alert.MAX_EVENTS) {
                        made.add(s.id());
                    }
                    first = s.time().isBefore(first) ? s.time() : first;
                }
            }
            if (distinct.size() >= c.atLeast()) {
                Duration dedup = c.within().compareTo(table.dedup()) > 0 ? c.within() : table.dedup();
                changes.add(record(c.id(), c.grade(), true, host, facts, e, "", dedup, made, first, matched, ""));
            }
        }
        prune();
        return changes;
    }

    /** Whether the event is one to look at: a threat not seen before. */
    private boolean admit(Event e) {
        return e.kind() == Kind.THREAT && !ids.containsKey(e.id());
    }

    private void remember(Event e, Facts facts) {
        ids.put(e.id(), e.time());
        if (e.time().isAfter(newest)) {
            newest = e.time();
        }
        if (table.counts().stream().anyMatch(c -> c.matches(facts))) {
            Deque<Seen> w = windows.computeIfAbsent(InternalHost.of(e).key(), k -> new ArrayDeque<>());
            w.addLast(new Seen(e.id(), e.time(), facts));
        }
    }

    private AlertChange record(String rule, Grade grade, boolean accumulated, InternalHost host, Facts facts, Event e,
                               String peer, Duration dedup, List<EventId> made, Instant first, long count,
                               String engineRule) {
        Optional<String> by = suppressions.stream()
                .filter(s -> s.covers(rule, engineRule, host, e.time()))
                .map(Suppression::id).findFirst();
        Key key = new Key(rule, host.key(), peer, by.isPresent());
        Alert existing = open.get(key);
        if (existing != null && !e.time().isAfter(existing.last().plus(dedup))
                && !e.time().isBefore(existing.first().minus(dedup))) {
            Alert repeated = existing.repeated(e.id(), e.time(), e.last(), e.count());
            open.put(key, repeated);
            return new AlertChange(AlertChange.Type.REPEATED, repeated);
        }
        Alert alert = new Alert(AlertId.of(rule, e.appliance(), made.getFirst()), rule, grade, accumulated, host, facts, first,
                e.last(), Math.max(count, made.size()), made, by);
        open.put(key, alert);
        return new AlertChange(AlertChange.Type.OPENED, alert);
    }

    private static Key key(Alert a) {
        return new Key(a.rule(), a.host().key(), a.accumulated() ? "" : a.facts().peerKey(), a.suppressed());
    }

    /** Forgets what no rule can look at any more. */
    private void prune() {
        if (newest.equals(Instant.MIN)) {
            return; // nothing seen yet
        }
        Instant cutoff = newest.minus(StarTable.HORIZON);
        for (Iterator<Map.Entry<EventId, Instant>> it = ids.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(cutoff)) {
                it.remove();
            } else {
                break; // roughly in time order: stop at the first recent one
            }
        }
        Instant windowCutoff = newest.minus(table.longestWindow());
        for (Iterator<Deque<Seen>> it = windows.values().iterator(); it.hasNext(); ) {
            Deque<Seen> w = it.next();
            while (!w.isEmpty() && w.peekFirst().time().isBefore(windowCutoff)) {
                w.removeFirst();
            }
            if (w.isEmpty()) {
                it.remove();
            }
        }
        open.values().removeIf(a -> a.last().isBefore(newest.minus(table.longestWindow())));
    }

    /** How many events the grader remembers, for metrics and tests. */
    public int remembered() {
        return ids.size();
    }

    /** The alerts still open for repeats. */
    public Collection<Alert> openAlerts() {
        return List.copyOf(open.values());
    }
}
