package org.omamori.engine.ips;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** How many pcre searches of this confirmation ran out of their budget or stack. */
    private int exhausted;
    /**
     * Pcres whose JDK search ran out of budget or stack in this direction (a few, newest kept):
     * searched linearly from then on, so hostile bytes cost one budget per pcre, not one per try.
     */
    private final PcreStep[] costly = new PcreStep[8];
    private int costlyCount;
    /**
     * Recent pcre answers by step, start and bytes: a non-relative pcre gives the same answer on
     * the same bytes whichever trigger occurrence is tried, so a piece with thousands of them
     * costs one search, not one each (a direction's state is reused: cleared by {@link #forget}).
     */
    private final Answer[] answers = new Answer[16];
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

    /** One remembered pcre search: its step, where it started, the bytes it saw, and what it found. */
    private static final class Answer {
        PcreStep step;
        long from;
        java.nio.ByteBuffer data;
        int offset;
        long first;
        long end;
        boolean ended;
        long result;
    }
    private final int[] budget = new int[1];
    /** byte_extract/byte_math variables of the chain being confirmed, and the value a byte_* step last read. */
    private final long[] variables = new long[ProbeStep.MAX_VARIABLES + 1];
    /** What the pcre search under way may still spend; what it spent is then charged to {@link #budget}. */
    private final int[] pcreBudget = new int[1];
    /** The bytes the pcres of this confirmation read; one object, re-aimed per pcre step. */
    private final BoundedChars chars = new BoundedChars();
    /** Matchers made for earlier confirmations, by pattern (a few slots): a matcher costs several arrays to make. */
    private final Pattern[] matcherPatterns = new Pattern[MATCHER_SLOTS];
    private final Matcher[] matchers = new Matcher[MATCHER_SLOTS];
    private static final int MATCHER_SLOTS = 16;

    /**
     * A matcher of {@code pattern} over the view's bytes from index {@code start}, charging the
     * budget. Valid until the next call: confirmations do not nest, and a chain's pcre steps run
     * one after the other.
     */
    Matcher matcher(Pattern pattern, ByteView view, int start) {
        chars.over(view, start, pcreBudget);
        int slot = System.identityHashCode(pattern) & (MATCHER_SLOTS - 1);
        Matcher m = matchers[slot];
        if (matcherPatterns[slot] != pattern) {
            m = pattern.matcher(chars);
            matchers[slot] = m;
            matcherPatterns[slot] = pattern;
        } else {
            m.reset(chars);
        }
        return m;
    }

    Search begin(Chain chain, ByteView view, int anchoredStep, long anchorStart, Sightings sightings, long bufferStart,
                 boolean ended) {
        this.ended = ended;
        this.undecided = false;
        this.exhausted = 0;
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
        return exhausted;
    }

    /** Forgets the costly pcres: the direction serves another inspection. */
    void forget() {
        if (!remembers) {
            return; // most inspections of a head with no body remember nothing here
        }
        remembers = false;
        java.util.Arrays.fill(costly, null);
        costlyCount = 0;
        for (Occurrences o : occurrences) {
            if (o != null) {
                o.forget();
            }
        }
        for (Answer a : answers) {
            if (a != null) {
                a.step = null;
                a.data = null;
            }
        }
    }

    /** {@link #find}, or what it said before for the same step, start and bytes. */
    private long answer(PcreStep p, long from, boolean fromIsSubjectStart) {
        int slot = System.identityHashCode(p) & (answers.length - 1);
        Answer a = answers[slot];
        if (a != null && a.step == p && a.from == from && a.data == view.data() && a.offset == view.offset()
                && a.first == view.firstPosition() && a.end == view.endPosition() && a.ended == ended) {
            return a.result;
        }
        long result = find(p, from, fromIsSubjectStart);
        remembers = true;
        if (a == null) {
            a = answers[slot] = new Answer();
        }
        a.step = p;
        a.from = from;
        a.data = view.data();
        a.offset = view.offset();
        a.first = view.firstPosition();
        a.end = view.endPosition();
        a.ended = ended;
        a.result = result;
        return result;
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
        long end = answer(p, from, p.relative ? from == previousEnd : from == 0);
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

    /** A pcre search from {@code from}: the JDK's regex while it stays within budget and stack, then Hyperscan. */
    private long find(PcreStep p, long from, boolean fromIsSubjectStart) {
        if (p.simple != null && (p.relative || view.firstPosition() == 0)) {
            // ^ then bounded single characters: the JDK's answer without its matcher (AnchoredSequence)
            int end = p.simple.end(view, (int) (from - view.firstPosition()));
            if (end < 0) {
                return PcreStep.NO_MATCH;
            }
            return !ended && p.simple.needsEnd() ? PcreStep.UNDECIDED : view.firstPosition() + end;
        }
        if (!p.linearOnly && !isCostly(p)) {
            long end;
            pcreBudget[0] = Math.min(Chain.PCRE_STEP_BUDGET, budget[0]);
            int granted = pcreBudget[0];
            try {
                end = p.prefix == null ? jdkFind(p, from) : jdkFindAtPrefix(p, from);
            } catch (BoundedChars.Exhausted e) {
                end = PcreStep.EXHAUSTED;
            } catch (StackOverflowError e) {
                // The JDK's regex recurses per repetition of a group: (a+)+ on 60 KB overflows.
                forgetMatcher(p.pattern);
                end = PcreStep.EXHAUSTED;
            }
            budget[0] -= granted - Math.max(0, pcreBudget[0]);
            if (end != PcreStep.EXHAUSTED) {
                return end;
            }
            exhausted++;
            costly[costlyCount++ & (costly.length - 1)] = p;
            remembers = true;
            p.ranOutOfBudget();
        }
        return p.linearFind(view, from, fromIsSubjectStart, ended);
    }

    private boolean isCostly(PcreStep p) {
        for (PcreStep c : costly) {
            if (c == p) {
                return true;
            }
        }
        return false;
    }

    private void forgetMatcher(Pattern pattern) {
        int slot = System.identityHashCode(pattern) & (MATCHER_SLOTS - 1);
        matcherPatterns[slot] = null;
        matchers[slot] = null;
    }

    /** Buffer position where the leftmost match searched from {@code from} ends, {@link PcreStep#NO_MATCH} or {@link PcreStep#UNDECIDED}. */
    private long jdkFind(PcreStep p, long from) {
        Matcher m = matcher(p.pattern, view, 0);
        m.region((int) (from - view.firstPosition()), view.length());
        m.useTransparentBounds(!p.relative); // a non-relative subject starts at 0 or after the context byte
        m.useAnchoringBounds(p.relative);
        if (!m.find()) {
            return PcreStep.NO_MATCH;
        }
        return !ended && m.requireEnd() ? PcreStep.UNDECIDED : view.firstPosition() + m.end();
    }

    /**
     * The same leftmost match as {@link #jdkFind}, for a pattern every match of which begins
     * with a literal: the JDK regex tries every position (and without Boyer-Moore when
     * case-insensitive), which dominated relative pcres over a large window, so the literal is
     * found first with {@link ContentStep#find} and the regex tried only where it occurs. The
     * characters start at {@code from} and the bounds are transparent and non-anchoring, so
     * {@code ^}, {@code $}, look-arounds and {@code \b} see exactly what the region search sees.
     * Returns {@link PcreStep#EXHAUSTED} when the step budget ran out.
     */
    private long jdkFindAtPrefix(PcreStep p, long from) {
        int start = (int) (from - view.firstPosition());
        long last = view.endPosition() - p.prefix.length;
        long at = next(p.prefix, p.sightingId, from, last);
        if (at < 0) {
            return PcreStep.NO_MATCH; // the usual case for a trigger without its pcre: no matcher made
        }
        if (p.atPrefix != null) {
            return sequenceAtPrefix(p, at, last);
        }
        Matcher m = matcher(p.pattern, view, start);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        for (; at >= 0; at = next(p.prefix, p.sightingId, at + 1, last)) {
            m.region((int) (at - from), view.length() - start);
            if (m.lookingAt()) {
                return !ended && m.requireEnd() ? PcreStep.UNDECIDED : from + m.end();
            }
            if (--pcreBudget[0] < 0) {
                return PcreStep.EXHAUSTED;
            }
        }
        return PcreStep.NO_MATCH;
    }

    /**
     * {@link #jdkFindAtPrefix} for a pattern of {@link AnchoredSequence#startingAnywhere}'s form:
     * the same answer at each place the prefix occurs (from {@code at}), without the JDK's matcher;
     * the bytes read are charged to the step budget as {@link BoundedChars} charges the JDK's.
     */
    private long sequenceAtPrefix(PcreStep p, long at, long last) {
        long first = view.firstPosition();
        for (; at >= 0; at = next(p.prefix, p.sightingId, at + 1, last)) {
            sequenceReads[0] = 0;
            int end = p.atPrefix.end(view, (int) (at - first), sequenceReads);
            pcreBudget[0] -= sequenceReads[0] >>> 6;
            if (pcreBudget[0] < 0) {
                return PcreStep.EXHAUSTED; // where the JDK's reads would have run out
            }
            if (end >= 0) {
                return !ended && p.atPrefix.needsEnd() ? PcreStep.UNDECIDED : first + end;
            }
            if (--pcreBudget[0] < 0) {
                return PcreStep.EXHAUSTED;
            }
        }
        return PcreStep.NO_MATCH;
    }

    private final int[] sequenceReads = new int[1];

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
