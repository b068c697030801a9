package org.omamori.engine.ips;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pcre steps of a {@link Search}: the JDK's regex within the step budget, Hyperscan's linear
 * search past it, and what a direction remembers between confirmations (answers already given,
 * pcres that proved costly, matchers already made). One per {@link Search}, reused with it.
 */
final class PcreSearch {
    private final Search search;
    /** The confirmation's step budget, shared with {@link #search}: what a pcre spends is charged to it. */
    private final int[] budget;
    /** How many pcre searches of this confirmation ran out of their budget or stack. */
    private int exhausted;
    /** Something below was written since the last {@link #forget}. */
    private boolean remembers;
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
    /** What the pcre search under way may still spend; what it spent is then charged to {@link #budget}. */
    private final int[] pcreBudget = new int[1];
    /** The bytes the pcres of this confirmation read; one object, re-aimed per pcre step. */
    private final BoundedChars chars = new BoundedChars();
    /** Matchers made for earlier confirmations, by pattern (a few slots): a matcher costs several arrays to make. */
    private final Pattern[] matcherPatterns = new Pattern[MATCHER_SLOTS];
    private final Matcher[] matchers = new Matcher[MATCHER_SLOTS];
    private static final int MATCHER_SLOTS = 16;
    /** Bytes an {@link AnchoredSequence} read, for the budget. */
    private final int[] sequenceReads = new int[1];
    /** The bytes {@link AnchoredSequence} reads from a window with no array, copied here rather than into an array per place (made at first need). */
    private byte[] sequenceBytes;

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

    PcreSearch(Search search, int[] budget) {
        this.search = search;
        this.budget = budget;
    }

    /** A new confirmation begins. */
    void begin() {
        exhausted = 0;
    }

    /** How many pcre searches of the last confirmation ran out of budget or stack. */
    int exhausted() {
        return exhausted;
    }

    /** Forgets the costly pcres and the answers: the direction serves another inspection. */
    void forget() {
        if (!remembers) {
            return;
        }
        remembers = false;
        java.util.Arrays.fill(costly, null);
        costlyCount = 0;
        for (Answer a : answers) {
            if (a != null) {
                a.step = null;
                a.data = null;
            }
        }
    }

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

    /** {@link #find}, or what it said before for the same step, start and bytes. */
    long answer(PcreStep p, long from, boolean fromIsSubjectStart, ByteView view, boolean ended) {
        int slot = System.identityHashCode(p) & (answers.length - 1);
        Answer a = answers[slot];
        if (a != null && a.step == p && a.from == from && a.data == view.data() && a.offset == view.offset()
                && a.first == view.firstPosition() && a.end == view.endPosition() && a.ended == ended) {
            return a.result;
        }
        long result = find(p, from, fromIsSubjectStart, view, ended);
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
    /** A pcre search from {@code from}: the JDK's regex while it stays within budget and stack, then Hyperscan. */
    private long find(PcreStep p, long from, boolean fromIsSubjectStart, ByteView view, boolean ended) {
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
                end = p.prefix == null ? jdkFind(p, from, view, ended) : jdkFindAtPrefix(p, from, view, ended);
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
    private long jdkFind(PcreStep p, long from, ByteView view, boolean ended) {
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
     * found first with {@link Search#next} and the regex tried only where it occurs. The
     * characters start at {@code from} and the bounds are transparent and non-anchoring, so
     * {@code ^}, {@code $}, look-arounds and {@code \b} see exactly what the region search sees.
     * Returns {@link PcreStep#EXHAUSTED} when the step budget ran out.
     */
    private long jdkFindAtPrefix(PcreStep p, long from, ByteView view, boolean ended) {
        int start = (int) (from - view.firstPosition());
        long last = view.endPosition() - p.prefix.length;
        long at = search.next(p.prefix, p.sightingId, from, last);
        if (at < 0) {
            return PcreStep.NO_MATCH; // the usual case for a trigger without its pcre: no matcher made
        }
        if (p.atPrefix != null) {
            return sequenceAtPrefix(p, at, last, view, ended);
        }
        Matcher m = matcher(p.pattern, view, start);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        for (; at >= 0; at = search.next(p.prefix, p.sightingId, at + 1, last)) {
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
    private long sequenceAtPrefix(PcreStep p, long at, long last, ByteView view, boolean ended) {
        long first = view.firstPosition();
        if (sequenceBytes == null) {
            sequenceBytes = new byte[256];
        }
        for (; at >= 0; at = search.next(p.prefix, p.sightingId, at + 1, last)) {
            sequenceReads[0] = 0;
            int end = p.atPrefix.end(view, (int) (at - first), sequenceReads, sequenceBytes);
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
}
