package org.omamori.api.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An engine's decision on a request.
 *
 * @param action  pass, neutralise or block
 * @param finding the rule or signature that decided; empty only for a pass with nothing seen.
 *                A pass may carry a finding: that is an access-log entry (e.g. a category seen).
 * @param note    free text for the event, e.g. why something was not scanned; never null
 * @param further the engine's other verdicts on the same request, each with its own finding, action
 *                and note, none outranking this one: every rule that matched is reported (one event
 *                each, as Suricata alerts once per matching rule), while only this verdict's action is
 *                enforced. Each has a finding and no further verdicts of its own; empty for an engine
 *                that reports one finding. Since 1.3.
 */
public record Verdict(Action action, Optional<Finding> finding, String note, List<Verdict> further) {

    private static final Verdict CLEAN = new Verdict(Action.PASS, Optional.empty(), "");

    public Verdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(note, "note");
        further = List.copyOf(further);
        if (action != Action.PASS && finding.isEmpty()) {
            throw new IllegalArgumentException(action + " must name the rule or signature that decided");
        }
        for (Verdict v : further) {
            if (v.finding.isEmpty() || !v.further.isEmpty()) {
                throw new IllegalArgumentException("a further verdict has a finding and no further verdicts: " + v);
            }
        }
    }

    /** A verdict with one finding (or none), as in API 1.0 to 1.2. */
    public Verdict(Action action, Optional<Finding> finding, String note) {
        this(action, finding, note, List.of());
    }

    /** Nothing seen: pass. */
    public static Verdict clean() {
        return CLEAN;
    }

    /** Pass, recording what was seen. */
    public static Verdict pass(Finding finding) {
        return new Verdict(Action.PASS, Optional.of(finding), "");
    }

    public static Verdict block(Finding finding) {
        return new Verdict(Action.BLOCK, Optional.of(finding), "");
    }

    public static Verdict neutralise(Finding finding) {
        return new Verdict(Action.NEUTRALISE, Optional.of(finding), "");
    }

    public Verdict withNote(String newNote) {
        return new Verdict(action, finding, newNote, further);
    }

    /**
     * The verdict that several verdicts of one engine on one request make: the one that outranks
     * the others (the first of equals) decides, the others with a finding become its further
     * verdicts, in the order given. Clean when the list is empty. Since 1.3.
     */
    public static Verdict of(List<Verdict> verdicts) {
        Verdict top = null;
        for (Verdict v : verdicts) {
            if (top == null || v.outranks(top)) {
                top = v;
            }
        }
        if (top == null) {
            return CLEAN;
        }
        Verdict[] rest = new Verdict[verdicts.size() - 1];
        int n = 0;
        for (Verdict v : verdicts) {
            if (v != top && v.finding.isPresent()) {
                rest[n++] = v.further.isEmpty() ? v : new Verdict(v.action, v.finding, v.note);
            }
        }
        if (n == 0 && top.further.isEmpty()) {
            return top;
        }
        // List.of makes the unmodifiable list that the constructor's List.copyOf keeps as it is: one copy, not two
        return new Verdict(top.action, top.finding, top.note, List.of(n == rest.length ? rest : Arrays.copyOf(rest, n)));
    }

    /** This verdict's finding and those of its further verdicts, in order. Since 1.3. */
    public List<Finding> findings() {
        if (further.isEmpty()) {
            return finding.map(List::of).orElse(List.of());
        }
        List<Finding> all = new ArrayList<>(further.size() + 1);
        finding.ifPresent(all::add);
        further.forEach(v -> all.add(v.finding.orElseThrow()));
        return all;
    }

    /**
     * Whether this verdict should be enforced rather than {@code other}: block over neutralise over
     * pass; between equal actions, the higher level; a finding over none. Since 1.2.
     */
    public boolean outranks(Verdict other) {
        int byAction = action.compareTo(other.action);
        if (byAction != 0) {
            return byAction > 0;
        }
        if (finding.isEmpty()) {
            return false;
        }
        return other.finding.isEmpty() || finding.get().level().compareTo(other.finding.get().level()) > 0;
    }

    /** True when this verdict stops or changes the traffic. */
    public boolean intervenes() {
        return action != Action.PASS;
    }
}
