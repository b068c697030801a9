package org.omamori.api.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * An engine's decision on a request.
 *
 * @param action  pass, neutralise or block
 * @param finding the rule or signature that decided; empty only for a pass with nothing seen.
 *                A pass may carry a finding: that is an access-log entry (e.g. a category seen).
 * @param note    free text for the event, e.g. why something was not scanned; never null
 */
public record Verdict(Action action, Optional<Finding> finding, String note) {

    private static final Verdict CLEAN = new Verdict(Action.PASS, Optional.empty(), "");

    public Verdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(note, "note");
        if (action != Action.PASS && finding.isEmpty()) {
            throw new IllegalArgumentException(action + " must name the rule or signature that decided");
        }
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
        return new Verdict(action, finding, newNote);
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
