package org.omamori.engine.ips;

/**
 * One confirmation: the chain, the bytes, the pinned step if any, the prefix sightings, and
 * the step budget left. Chains are shared by all inspections, so their state lives here; an
 * inspection's direction reuses one (confirmations do not nest).
 */
final class Search {
    private Chain.Step[] steps;
    private ByteView view;
    private int anchoredStep;
    private long anchorStart;
    private Sightings sightings;
    private long bufferStart;
    private boolean ended;
    /** A pcre match was set aside because it needs the end of a buffer that has not ended. */
    private boolean undecided;
    /** Something above was written since the last {@link #forget}. */
    private boolean remembers;
    /**
     * Where contents start in this direction's stream, as far as confirmations searched for them
     * (by step, a few slots): each trigger occurrence of a rule asks for its other contents again
     * over much the same bytes, and is answered from here ({@link Occurrences}).
     */
    private final Occurrences[] occurrences = new Occurrences[OCCURRENCE_SLOTS];
    private static final int OCCURRENCE_SLOTS = 32;
    /** Positions handed to {@link ContentStep#find} in stream buffers, for tests and diagnostics. */
    private final long[] searched = new long[1];
    /**
     * What reaching the pinned trigger means: {@link #SEARCH_AFTER} the steps after it are
     * searched from there; {@link #AFTER_HOLDS} or {@link #AFTER_FAILS} they were searched
     * already ({@link #confirm}) and hold, or not.
     */
    private int afterTrigger;
    private static final int SEARCH_AFTER = -1;
    private static final int AFTER_FAILS = 0;
    private static final int AFTER_HOLDS = 1;
    /** The chain's {@link Chain#laterEndNoBetter}. */
    private boolean[] laterEndNoBetter;
    /** The chain's byte_extract/byte_math variables: steps after the trigger may read what steps before it set. */
    private boolean hasVariables;

    private final int[] budget = new int[1];
    private final PcreSearch pcres = new PcreSearch(this, budget);
    /** byte_extract/byte_math variables of the chain being confirmed, and the value a byte_* step last read. */
    private final long[] variables = new long[ProbeStep.MAX_VARIABLES + 1];
    Search begin(Chain chain, ByteView view, int anchoredStep, long anchorStart, Sightings sightings, long bufferStart,
                 boolean ended) {
        this.ended = ended;
        this.undecided = false;
        pcres.begin();
        this.steps = chain.steps;
        this.laterEndNoBetter = chain.laterEndNoBetter;
        this.hasVariables = chain.hasVariables;
        this.afterTrigger = SEARCH_AFTER;
        this.view = view;
        this.anchoredStep = anchoredStep;
        this.anchorStart = anchorStart;
        this.sightings = sightings;
        this.bufferStart = bufferStart;
        this.budget[0] = Chain.STEP_BUDGET;
        return this;
    }

    /**
     * Whether the chain holds. With a pinned trigger and no variables, the steps after the
     * trigger depend only on where it ends, not on how the steps before it were placed: they are
     * tried once, first, and only if they hold (or wait for the buffer's end) are the steps before
     * searched, for one placement that reaches the trigger. Tried the other way round, each
     * placement of the steps before would try the steps after again, and a trigger that occurs in
     * ordinary text after many occurrences of the other contents cost a search of every
     * combination of them, for each of its occurrences.
     */
    boolean confirm() {
        if (anchoredStep < 0 || hasVariables) {
            return from(0, 0);
        }
        ContentStep trigger = (ContentStep) steps[anchoredStep];
        long at = anchorStart;
        if (at < view.firstPosition() || at + trigger.length > view.endPosition() || trigger.endsWith) {
            return from(0, 0); // no place for the trigger, or one that depends on the buffer's end: as it comes
        }
        boolean after = from(anchoredStep + 1, at + trigger.length);
        if (!after && !undecided) {
            if (ended || !mayWaitBefore()) {
                return false;
            }
            // The chain fails; but a step before the trigger may wait for more bytes, which the
            // plain search would have found out (then the candidate is tried again later).
            afterTrigger = AFTER_FAILS;
            from(0, 0);
            afterTrigger = SEARCH_AFTER;
            return false;
        }
        boolean afterUndecided = undecided;
        undecided = false;
        afterTrigger = AFTER_HOLDS; // for the steps before: is there a placement that reaches the trigger?
        boolean reached = from(0, 0);
        afterTrigger = SEARCH_AFTER;
        if (!reached) {
            return false; // undecided as the search of the steps before left it
        }
        undecided |= afterUndecided; // as if the steps after were tried from this placement
        return after;
    }

    /** Whether a step before the pinned trigger can wait for the buffer's end (a probe, a pcre, an {@code endswith}). */
    private boolean mayWaitBefore() {
        for (int i = 0; i < anchoredStep; i++) {
            if (!(steps[i] instanceof ContentStep c) || c.endsWith) {
                return true;
            }
        }
        return false;
    }

    boolean from(int index, long previousEnd) {
        if (index == steps.length) {
            return true;
        }
        if (--budget[0] < 0) {
            return false;
        }
        // instanceof rather than a pattern switch: this runs per candidate, and a type switch is an indy call site
        if (steps[index] instanceof ContentStep c) {
            if (c.endsWith && !ended) {
                undecided = true; // where the buffer ends is not known yet
                return false;
            }
            return c.negated ? !occurs(c, previousEnd) && from(index + 1, previousEnd)
                    : index == anchoredStep ? anchored(c, index, previousEnd) : content(c, index, previousEnd);
        }
        if (steps[index] instanceof ProbeStep p) {
            long next = p.apply(view, previousEnd, variables, ended);
            if (next == ProbeStep.UNDECIDED) {
                undecided = true;
                return false;
            }
            return next >= 0 && from(index + 1, next);
        }
        return pcre((PcreStep) steps[index], index, previousEnd);
    }

    /** The last confirmation failed for want of the buffer's end (it may match when the buffer ends). */
    boolean undecided() {
        return undecided;
    }

    /** How many pcre searches of the last confirmation ran out of budget or stack. */
    int exhausted() {
        return pcres.exhausted();
    }

    /** Forgets what this direction remembered (occurrences, pcre answers): it serves another inspection. */
    void forget() {
        pcres.forget();
        if (!remembers) {
            return; // most inspections of a head with no body remember nothing here
        }
        remembers = false;
        for (Occurrences o : occurrences) {
            if (o != null) {
                o.forget();
            }
        }
    }

    private boolean pcre(PcreStep p, int index, long previousEnd) {
        long first = view.firstPosition();
        // The subject of a relative pcre starts where the previous match ended (so ^ anchors
        // there), else at the buffer's start; when that start has left the window, the first
        // byte held only gives the context (look-behind, \b, ^ under /m) and ^ matches nowhere.
        long from = p.relative ? Math.max(previousEnd, first) : first > 0 ? first + 1 : 0;
        if (from > view.endPosition()) {
            return p.negated && from(index + 1, previousEnd);
        }
        long end = pcres.answer(p, from, p.relative ? from == previousEnd : from == 0, view, ended);
        if (end == PcreStep.UNDECIDED) {
            undecided = true;
            return false;
        }
        if (end == PcreStep.EXHAUSTED) {
            return false; // no answer: the rule is not confirmed (counted by the caller)
        }
        if (p.negated) {
            return end < 0 && from(index + 1, previousEnd);
        }
        return end >= 0 && from(index + 1, end);
    }

    /**
     * The pinned trigger: Hyperscan reported exactly these bytes (the same literal, the same
     * case rule) ending there, so only its position is checked, and that the bytes after it
     * are still held.
     */
    private boolean anchored(ContentStep c, int index, long previousEnd) {
        long at = anchorStart;
        return (!c.endsWith || at + c.length == view.endPosition())
                && at >= c.lowestStart(previousEnd) && at <= c.highestStart(previousEnd)
                && at >= view.firstPosition() && at + c.length <= view.endPosition()
                && (afterTrigger == SEARCH_AFTER ? from(index + 1, at + c.length) : afterTrigger == AFTER_HOLDS);
    }

    private boolean content(ContentStep c, int index, long previousEnd) {
        long lo = c.lowestStart(previousEnd);
        long hi = Math.min(c.highestStart(previousEnd), view.endPosition() - c.length);
        if (c.endsWith) {
            lo = Math.max(lo, view.endPosition() - c.length);
        }
        if (index == anchoredStep - 1 && steps[anchoredStep] instanceof ContentStep a && a.relative) {
            // The pinned trigger is relative to this step's end: only a short stretch before it can do.
            hi = Math.min(hi, anchorStart - a.distance - c.length);
            if (a.within >= 0) {
                lo = Math.max(lo, anchorStart + a.length - a.distance - a.within - c.length);
            }
        }
        for (long at = next(c, c.sightingId, Math.max(lo, view.firstPosition()), hi); at >= 0; at = next(c, c.sightingId, at + 1, hi)) {
            if (from(index + 1, at + c.length)) {
                return true;
            }
            if (--budget[0] < 0 || laterEndNoBetter[index]) {
                return false; // a later occurrence ends later: the steps after it can do no better
            }
        }
        return false;
    }

    /** Whether negated content {@code c} occurs where it must not, after a match that ended at {@code previousEnd}. */
    private boolean occurs(ContentStep c, long previousEnd) {
        long lo = Math.max(c.lowestStart(previousEnd), view.firstPosition());
        long hi = Math.min(c.highestStart(previousEnd), view.endPosition() - c.length);
        if (c.endsWith) {
            lo = Math.max(lo, view.endPosition() - c.length);
        }
        return find(c, lo, hi) >= 0;
    }

    /**
     * {@link ContentStep#find} within the view; in a stream answered from, and added to, what
     * earlier confirmations in this direction found ({@link Occurrences}).
     */
    private long find(ContentStep c, long from, long to) {
        from = Math.max(from, view.firstPosition());
        to = Math.min(to, view.endPosition() - c.length);
        if (from > to) {
            return -1;
        }
        if (sightings == null) {
            return c.find(view, from, to); // a header buffer, whole and small: nothing to remember
        }
        int slot = (System.identityHashCode(c) ^ (int) bufferStart) & (OCCURRENCE_SLOTS - 1);
        remembers = true;
        Occurrences o = occurrences[slot];
        if (o == null) {
            o = occurrences[slot] = new Occurrences();
        }
        if (!o.isFor(c, view, bufferStart)) {
            o.reset(c, view, bufferStart);
        }
        return o.first(view, from, to, searched);
    }

    /** Positions searched for contents in stream buffers since this search was made. */
    long positionsSearched() {
        return searched[0];
    }

    /** Steps the last confirmation took (its budget spent). */
    int stepsTaken() {
        return Chain.STEP_BUDGET - budget[0];
    }

    /**
     * The first start of {@code literal} in [from, to] (within the view): read from the
     * stream's sightings of it (id {@code sightingId}) where they are complete (from the oldest
     * kept to what the scan has reached), searched in the bytes elsewhere, or everywhere when
     * there are none (a header buffer, a literal the scan does not report).
     */
    long next(ContentStep literal, int sightingId, long from, long to) {
        if (sightings == null || sightingId < 0) {
            return find(literal, from, to);
        }
        int length = literal.length;
        long complete = sightings.completeFrom(sightingId) - length - bufferStart;
        if (from < complete) {
            long at = find(literal, from, Math.min(to, complete - 1));
            if (at >= 0) {
                return at;
            }
            from = complete;
        }
        long recordedTo = Math.min(to, sightings.scannedTo() - length - bufferStart);
        if (from <= recordedTo) {
            long end = sightings.firstEndFrom(sightingId, from + length + bufferStart);
            long at = end - length - bufferStart;
            if (end >= 0 && at <= recordedTo) {
                return at;
            }
            from = recordedTo + 1;
        }
        return from <= to ? find(literal, from, to) : -1;
    }
}
