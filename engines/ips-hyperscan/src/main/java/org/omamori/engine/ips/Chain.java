package org.omamori.engine.ips;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Match;
import org.omamori.engine.ips.rules.Pcre;

/**
 * A rule's matches in one buffer, in rule order, and the search that confirms them on the
 * buffer's bytes: Suricata's positional semantics ({@code offset}/{@code depth} from the buffer
 * start, {@code distance}/{@code within} from the previous match's end), with backtracking over
 * occurrences bounded by a step budget so hostile bytes cannot make it run long.
 */
final class Chain {

    /** Search steps one confirmation may take; beyond it the rule counts as not matched. */
    static final int STEP_BUDGET = 200_000;

    final Buffer buffer;
    private final Step[] steps;

    int length() {
        return steps.length;
    }

    /**
     * Whether every step after {@code step} only asks to be somewhere after the previous match
     * (no {@code within}, no negation, no pcre anchored at its start): then a later occurrence of
     * step {@code step} can only succeed where an earlier one would, on the same bytes.
     */
    boolean onlyLowerBoundsAfter(int step) {
        for (int i = step + 1; i < steps.length; i++) {
            switch (steps[i]) {
                case ContentStep c -> {
                    if (c.negated || c.within >= 0) {
                        return false;
                    }
                }
                case PcreStep p -> {
                    String pattern = p.pattern.pattern();
                    if (p.negated || pattern.startsWith("^") || pattern.startsWith("\\A") || pattern.startsWith("\\G")) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * How far past the end of step {@code step} the steps after it can reach, or -1 when not
     * bounded (a relative pcre, a content without {@code within}, an absolute content).
     */
    long reachAfter(int step) {
        long reach = 0;
        for (int i = step + 1; i < steps.length; i++) {
            if (!(steps[i] instanceof ContentStep c) || !c.relative || c.within < 0) {
                return -1;
            }
            reach += c.distance + c.within;
        }
        return reach;
    }

    Chain(Buffer buffer, List<Match> matches) {
        this.buffer = buffer;
        this.steps = new Step[matches.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = switch (matches.get(i)) {
                case Content c -> new ContentStep(c);
                case Pcre p -> new PcreStep(p, PcreTranslation.toJava(p));
            };
        }
    }

    /** True when the whole chain is satisfied in the view. */
    boolean matches(ByteView view) {
        return matches(view, -1, -1, null, 0);
    }

    /**
     * Literals shorter than this are not reported by the stream scan for confirmation: a short
     * literal occurs often in ordinary pages, and every report is a call from native code into
     * Java (~0.1 µs), paid on every page whether or not a rule's trigger occurs. Such a content is
     * searched in the window, as before, only when its rule is a candidate.
     */
    static final int MIN_SIGHTED_LENGTH = 8;

    /**
     * What the stream scan reports for this chain ({@link Sightings}), one key per literal and case
     * ({@code "i:"} or {@code "c:"}, then the literal as ISO-8859-1): the literal prefixes of its
     * pcres, and its positive contents of at least {@link #MIN_SIGHTED_LENGTH} bytes other than
     * step {@code triggerStep} (the rule's trigger, which the scan reports anyway; -1 for none).
     */
    List<String> sightingKeys(int triggerStep) {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            ContentStep literal = sightable(i, triggerStep);
            if (literal != null) {
                keys.add(key(literal));
            }
        }
        return keys;
    }

    /** Tells each literal of {@link #sightingKeys} its id among those the stream scan reports. */
    void assignSightingIds(java.util.Map<String, Integer> ids, int triggerStep) {
        int[] needed = new int[steps.length];
        int n = 0;
        for (int i = 0; i < steps.length; i++) {
            ContentStep literal = sightable(i, triggerStep);
            if (literal == null) {
                continue;
            }
            int id = ids.get(key(literal));
            if (steps[i] instanceof PcreStep p) {
                p.sightingId = id;
                if (!p.negated) {
                    needed[n++] = id; // every match of the pcre begins with its prefix
                }
            } else {
                ((ContentStep) steps[i]).sightingId = id;
                needed[n++] = id; // sightable contents are positive
            }
        }
        neededSightings = java.util.Arrays.copyOf(needed, n);
    }

    /**
     * The sighting ids of literals the chain cannot match without ({@link #assignSightingIds}):
     * if the scan has passed every byte held and one of them was never seen, the chain fails
     * without a search.
     */
    private int[] neededSightings = {};

    /** Whether a literal the chain needs was never seen in a stream whose every held byte the scan has passed. */
    boolean lacksALiteral(Sightings sightings) {
        for (int id : neededSightings) {
            if (!sightings.seen(id)) {
                return true;
            }
        }
        return false;
    }

    /** The literal the stream scan should report for step {@code i}, or null. */
    private ContentStep sightable(int i, int triggerStep) {
        return switch (steps[i]) {
            case PcreStep p -> p.prefix;
            case ContentStep c -> !c.negated && i != triggerStep && c.length >= MIN_SIGHTED_LENGTH ? c : null;
        };
    }

    private static String key(ContentStep literal) {
        return (literal.nocase ? "i:" : "c:") + new String(literal.bytes, StandardCharsets.ISO_8859_1);
    }

    static boolean sightingKeyNocase(String key) {
        return key.startsWith("i:");
    }

    static byte[] sightingKeyBytes(String key) {
        return key.substring(2).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * True when the chain is satisfied with step {@code anchoredStep} (a positive content, the
     * rule's trigger) at buffer position {@code anchorStart}, where Hyperscan found it; the
     * other steps are searched as usual. Pinning the trigger turns a search of the whole window
     * into a check around one place. {@code sightings} (null for a whole header buffer) are
     * where the stream's scan saw pcre prefixes end, {@code bufferStart} the stream position of
     * the buffer's first byte.
     */
    boolean matches(ByteView view, int anchoredStep, long anchorStart, Sightings sightings, long bufferStart) {
        return matches(new Search(), view, anchoredStep, anchorStart, sightings, bufferStart);
    }

    /** {@link #matches(ByteView, int, long, Sightings, long)} reusing {@code search}, which holds everything of one call. */
    boolean matches(Search search, ByteView view, int anchoredStep, long anchorStart, Sightings sightings, long bufferStart) {
        return search.begin(this, view, anchoredStep, anchorStart, sightings, bufferStart).from(0, 0);
    }

    /**
     * One confirmation: the chain, the bytes, the pinned step if any, the prefix sightings, and
     * the step budget left. Chains are shared by all inspections, so their state lives here; an
     * inspection's direction reuses one (confirmations do not nest).
     */
    static final class Search {
        private Step[] steps;
        private ByteView view;
        private int anchoredStep;
        private long anchorStart;
        private Sightings sightings;
        private long bufferStart;
        private final int[] budget = new int[1];
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
            chars.over(view, start, budget);
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

        Search begin(Chain chain, ByteView view, int anchoredStep, long anchorStart, Sightings sightings, long bufferStart) {
            this.steps = chain.steps;
            this.view = view;
            this.anchoredStep = anchoredStep;
            this.anchorStart = anchorStart;
            this.sightings = sightings;
            this.bufferStart = bufferStart;
            this.budget[0] = STEP_BUDGET;
            return this;
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
                return c.negated ? !c.occursIn(view, previousEnd) && from(index + 1, previousEnd)
                        : index == anchoredStep ? anchored(c, index, previousEnd) : content(c, index, previousEnd);
            }
            return searchPcre(view, (PcreStep) steps[index], index, previousEnd, budget, this);
        }

        /**
         * The pinned trigger: Hyperscan reported exactly these bytes (the same literal, the same
         * case rule) ending there, so only its position is checked, and that the bytes after it
         * are still held.
         */
        private boolean anchored(ContentStep c, int index, long previousEnd) {
            long at = anchorStart;
            return at >= c.lowestStart(previousEnd) && at <= c.highestStart(previousEnd)
                    && at >= view.firstPosition() && at + c.length <= view.endPosition()
                    && from(index + 1, at + c.length);
        }

        private boolean content(ContentStep c, int index, long previousEnd) {
            long lo = c.lowestStart(previousEnd);
            long hi = Math.min(c.highestStart(previousEnd), view.endPosition() - c.length);
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
                if (--budget[0] < 0) {
                    return false;
                }
            }
            return false;
        }

        /**
         * The first start of {@code literal} in [from, to] (within the view): read from the
         * stream's sightings of it (id {@code sightingId}) where they are complete (from the oldest
         * kept to what the scan has reached), searched in the bytes elsewhere, or everywhere when
         * there are none (a header buffer, a literal the scan does not report).
         */
        long next(ContentStep literal, int sightingId, long from, long to) {
            if (sightings == null || sightingId < 0) {
                return literal.find(view, from, to);
            }
            int length = literal.length;
            long complete = sightings.completeFrom(sightingId) - length - bufferStart;
            if (from < complete) {
                long at = literal.find(view, from, Math.min(to, complete - 1));
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
            return from <= to ? literal.find(view, from, to) : -1;
        }
    }

    private static boolean searchPcre(ByteView view, PcreStep p, int index, long previousEnd, int[] budget, Search search) {
        long from = p.relative ? previousEnd : 0;
        if (from < view.firstPosition()) {
            from = view.firstPosition();
        }
        if (from > view.endPosition()) {
            return p.negated && search.from(index + 1, previousEnd);
        }
        long matchEnd;
        try {
            matchEnd = p.prefix == null ? findPcre(view, p, from, search) : findPcreAtPrefix(view, p, from, budget, search);
        } catch (BoundedChars.Exhausted e) {
            return false;
        }
        if (matchEnd == -2) {
            return false; // budget spent
        }
        if (p.negated) {
            return matchEnd < 0 && search.from(index + 1, previousEnd);
        }
        return matchEnd >= 0 && search.from(index + 1, matchEnd);
    }

    /** Buffer position where the leftmost match searched from {@code from} ends, or -1. */
    private static long findPcre(ByteView view, PcreStep p, long from, Search search) {
        Matcher m = search.matcher(p.pattern, view, 0);
        m.region((int) (from - view.firstPosition()), view.length());
        m.useTransparentBounds(false);
        m.useAnchoringBounds(p.relative);
        return m.find() ? view.firstPosition() + m.end() : -1;
    }

    /**
     * The same leftmost match as {@link #findPcre}, for a pattern every match of which begins
     * with a literal: the JDK regex tries every position (and without Boyer-Moore when
     * case-insensitive), which dominated relative pcres over a large window, so the literal is
     * found first with {@link ContentStep#find} and the regex tried only where it occurs. The
     * characters start at {@code from} and the bounds are transparent and non-anchoring, so
     * {@code ^}, {@code $}, look-arounds and {@code \b} see exactly what the region search sees.
     * Returns -2 when the step budget ran out.
     */
    private static long findPcreAtPrefix(ByteView view, PcreStep p, long from, int[] budget, Search search) {
        int start = (int) (from - view.firstPosition());
        long last = view.endPosition() - p.prefix.length;
        long at = search.next(p.prefix, p.sightingId, from, last);
        if (at < 0) {
            return -1; // the usual case for a trigger without its pcre: no matcher made
        }
        Matcher m = search.matcher(p.pattern, view, start);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        for (; at >= 0; at = search.next(p.prefix, p.sightingId, at + 1, last)) {
            m.region((int) (at - from), view.length() - start);
            if (m.lookingAt()) {
                return from + m.end();
            }
            if (--budget[0] < 0) {
                return -2;
            }
        }
        return -1;
    }

    sealed interface Step permits ContentStep, PcreStep {
    }


    /**
     * {@code prefix}: the literal every match begins with (see {@link PcreTranslation#literalPrefix}),
     * or null; {@code sightingId}: its id among the prefixes the stream scan reports, or -1.
     */
    static final class PcreStep implements Step {
        final Pattern pattern;
        final boolean relative;
        final boolean negated;
        final ContentStep prefix;
        /** Set once while the rule set compiles, before any inspection sees it. */
        int sightingId = -1;

        PcreStep(Pcre p, Pattern pattern) {
            this.pattern = pattern;
            this.relative = p.relative();
            this.negated = p.negated();
            this.prefix = prefixFinder(p.buffer(), pattern);
        }

        private static ContentStep prefixFinder(Buffer buffer, Pattern pattern) {
            String literal = PcreTranslation.literalPrefix(pattern);
            if (literal == null) {
                return null;
            }
            boolean nocase = (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0;
            OptionalInt none = OptionalInt.empty();
            return new ContentStep(new Content(buffer, literal.getBytes(StandardCharsets.ISO_8859_1), false, nocase, none, none, none, none, false));
        }
    }
}
