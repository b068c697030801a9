package org.omamori.engine.ips;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Match;
import org.omamori.engine.ips.rules.Pcre;
import org.omamori.engine.ips.rules.Probe;

/**
 * A rule's matches in one buffer, in rule order, and the search that confirms them on the
 * buffer's bytes: Suricata's positional semantics ({@code offset}/{@code depth} from the buffer
 * start, {@code distance}/{@code within} from the previous match's end), with backtracking over
 * occurrences bounded by a step budget so hostile bytes cannot make it run long.
 */
final class Chain {

    /** Search steps one confirmation may take; beyond it the rule counts as not matched. */
    static final int STEP_BUDGET = 200_000;

    /**
     * Steps one JDK regex search of a pcre may take (a step is 64 characters read), out of the
     * confirmation's: past it Hyperscan answers in linear time where it reads the pcre, so the
     * limit costs few answers and bounds each pathological pcre to a few milliseconds.
     */
    static final int PCRE_STEP_BUDGET = 10_000;

    final Buffer buffer;
    /** Read by {@link Search}. */
    final Step[] steps;

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
                case ProbeStep p -> {
                    return false; // reads at a fixed distance from the previous match
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

    /** Whether a step of the chain sets or reads variables (byte_extract, byte_math). */
    final boolean hasVariables;

    /**
     * Per step: when the steps after it fail from one end of it, they fail from every later end
     * too, so a search need not try its later occurrences. So when the next step is a positive
     * content or pcre that asks at most a lower bound of the previous end ({@code distance}
     * without {@code within}), or nothing of it (absolute): from a later end it can only be
     * placed where it could from the earlier one, and what follows it depends only on where it
     * is. Not with variables, which earlier steps set.
     */
    final boolean[] laterEndNoBetter;

    Chain(Buffer buffer, List<Match> matches) {
        this.buffer = buffer;
        this.steps = new Step[matches.size()];
        java.util.Map<String, Integer> variables = new java.util.HashMap<>();
        for (int i = 0; i < steps.length; i++) {
            steps[i] = switch (matches.get(i)) {
                case Content c -> new ContentStep(c);
                case Pcre p -> new PcreStep(p, PcreTranslation.toJava(p));
                case Probe p -> new ProbeStep(p, variables);
            };
        }
        this.hasVariables = !variables.isEmpty();
        this.laterEndNoBetter = new boolean[steps.length];
        for (int i = 0; i + 1 < steps.length && !hasVariables; i++) {
            laterEndNoBetter[i] = switch (steps[i + 1]) {
                case ContentStep c -> !c.negated && (!c.relative || c.within < 0);
                case PcreStep p -> !p.negated && !p.relative;
                case ProbeStep p -> false;
            };
        }
    }

    /** A chain the engine cannot run although its rule parsed; the keyword is counted like a parser skip. */
    static final class NotRunnable extends IllegalArgumentException {
        final String keyword;

        NotRunnable(String keyword, String reason) {
            super(reason);
            this.keyword = keyword;
        }
    }

    /** True when the whole chain is satisfied in the view, a whole buffer. */
    boolean matches(ByteView view) {
        return matches(new Search(), view, -1, -1, null, 0, true);
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

    /** Whether the stream scan reports literals of this chain, so that {@link #lacksALiteral} can say anything. */
    boolean needsSightings() {
        return neededSightings.length > 0;
    }

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
            case ProbeStep p -> null;
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
     * the buffer's first byte, {@code ended} whether the buffer ends where the view ends (a header
     * buffer, a stream whose direction ended): until then a pcre match that needs the end
     * ({@code $}, {@code \z}, {@code \b} there) is undecided ({@link Search#undecided()}).
     * {@code search} holds everything of one call and is reused.
     */
    boolean matches(Search search, ByteView view, int anchoredStep, long anchorStart, Sightings sightings, long bufferStart,
                    boolean ended) {
        return search.begin(this, view, anchoredStep, anchorStart, sightings, bufferStart, ended).confirm();
    }

    /** Frees what the chain's pcres made for their linear search. */
    void close() {
        for (Step s : steps) {
            if (s instanceof PcreStep p) {
                p.close();
            }
        }
    }

    sealed interface Step permits ContentStep, PcreStep, ProbeStep {
    }
}
