package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Pcre;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.Expression;
import org.omamori.hyperscan.ExpressionFlag;
import org.omamori.hyperscan.ScanMode;

/**
 * A pcre of a {@link Chain}. The JDK's regex confirms it (PCRE's semantics: back-references,
 * look-arounds, leftmost-first match ends) under a step budget and a stack guard; once a search
 * in a direction ran out of either, the pcre is answered there by its {@link #linear} Hyperscan
 * block database instead (linear in the bytes, compiled at first need), or counts as not
 * matched when Hyperscan cannot read it exactly (back-references, look-arounds).
 *
 * <p>{@code prefix}: the literal every match begins with (see {@link PcreTranslation#literalPrefix}),
 * or null; {@code sightingId}: its id among the prefixes the stream scan reports, or -1.
 */
final class PcreStep implements Chain.Step {

    /** A search result: no match. */
    static final long NO_MATCH = -1;
    /** A search result: the search ran out of budget or stack, there is no answer. */
    static final long EXHAUSTED = -2;
    /** A search result: the match found depends on where the buffer ends, and it has not ended yet. */
    static final long UNDECIDED = -3;

    private static final Object NO_LINEAR = new Object();

    final Pattern pattern;
    final boolean relative;
    final boolean negated;
    final ContentStep prefix;
    /** The pattern matched without the JDK when it is of {@link AnchoredSequence}'s simple form, else null. */
    final AnchoredSequence simple;
    /**
     * With a {@link #prefix}: the pattern matched at each place its prefix occurs without the JDK,
     * when it is of {@link AnchoredSequence#startingAnywhere}'s form (such as {@code name=[0-9a-f]{4,16}&}), else null.
     */
    final AnchoredSequence atPrefix;
    /** Set once while the rule set compiles, before any inspection sees it. */
    int sightingId = -1;
    /** The pcre as Hyperscan reads it, or null (free-spacing mode, which Hyperscan lacks). */
    private final Expression hyperscan;
    /** {@code ^} or {@code \A} outside a class: the linear search must start where the subject starts. */
    private final boolean anchorsAtStart;
    /** Null until first needed, then the Hyperscan database or {@link #NO_LINEAR}. */
    private volatile Object linear;
    /**
     * The JDK's search of this pcre ran out of budget or stack once, and Hyperscan reads it: from
     * then on every search of it is Hyperscan's, so hostile bytes cannot make each inspection pay
     * the budget again. (A pcre Hyperscan cannot read is tried with the JDK in every direction anew:
     * one hostile request must not turn a rule off for everyone.)
     */
    volatile boolean linearOnly;

    PcreStep(Pcre p, Pattern pattern) {
        this.pattern = pattern;
        this.relative = p.relative();
        this.negated = p.negated();
        this.prefix = prefixFinder(p.buffer(), pattern);
        this.simple = AnchoredSequence.of(pattern);
        this.atPrefix = prefix == null ? null : AnchoredSequence.startingAnywhere(pattern);
        this.anchorsAtStart = anchorsAtStart(p.pattern());
        Set<ExpressionFlag> flags = EnumSet.of(ExpressionFlag.ALLOWEMPTY);
        if (p.caseless()) {
            flags.add(ExpressionFlag.CASELESS);
        }
        if (p.dotAll()) {
            flags.add(ExpressionFlag.DOTALL);
        }
        if (p.multiline()) {
            flags.add(ExpressionFlag.MULTILINE);
        }
        this.hyperscan = p.extended() || p.pattern().indexOf('\0') >= 0 ? null
                : new Expression(0, bytesEscaped(p.pattern().replace("(?P<", "(?<")), flags, 0, 0);
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

    /**
     * Where the earliest match starting at or after {@code from} ends, by Hyperscan (linear time):
     * a buffer position, {@link #NO_MATCH}, {@link #UNDECIDED} when that match ends where the
     * unfinished buffer ends for now (a {@code $}, {@code \b} or {@code \z} there may not hold once
     * more bytes come), or {@link #EXHAUSTED} when Hyperscan cannot answer: it cannot read the pcre,
     * or the pcre anchors at the subject's start and the search does not begin there (the
     * buffer's first bytes have left the window).
     */
    long linearFind(ByteView view, long from, boolean fromIsSubjectStart, boolean ended) {
        Database db = linear();
        if (db == null || anchorsAtStart && !fromIsSubjectStart) {
            return EXHAUSTED;
        }
        int start = (int) (from - view.firstPosition());
        ByteBuffer slice = view.data().slice(view.offset() + start, view.length() - start);
        long[] first = {-1};
        db.scan(slice, (id, f, to) -> {
            first[0] = to; // Hyperscan reports in order of end: the first is the earliest
            return false;
        });
        if (first[0] < 0) {
            return NO_MATCH;
        }
        long end = from + first[0];
        long bufferEnd = view.endPosition();
        if (!ended && (end == bufferEnd || end == bufferEnd - 1 && view.at(end) == '\n')) {
            return UNDECIDED;
        }
        return end;
    }

    /** Called when the JDK's search ran out of budget or stack: see {@link #linearOnly}. */
    void ranOutOfBudget() {
        if (!linearOnly && linear() != null) {
            linearOnly = true;
        }
    }

    /** The Hyperscan database of this pcre, compiled at first need; null when Hyperscan cannot read it exactly. */
    private Database linear() {
        Object l = linear;
        if (l == null) {
            synchronized (this) {
                l = linear;
                if (l == null) {
                    l = compileLinear();
                    linear = l;
                }
            }
        }
        return l instanceof Database db ? db : null;
    }

    private Object compileLinear() {
        if (hyperscan == null || Database.check(hyperscan, ScanMode.BLOCK).isPresent()) {
            return NO_LINEAR;
        }
        try {
            return Database.compile(List.of(hyperscan), ScanMode.BLOCK);
        } catch (Exception e) {
            return NO_LINEAR; // a resource limit only the full compile shows
        }
    }

    /** Frees the Hyperscan database, if one was made: when the rule set is released for good. */
    void close() {
        if (linear instanceof Database db) {
            db.close();
        }
    }

    /**
     * The pattern with its characters 0x80-0xff (bytes: the JDK side reads the body as ISO-8859-1)
     * written as {@code \xHH}, which Hyperscan would otherwise take as UTF-8, two bytes each.
     */
    static String bytesEscaped(String pcre) {
        StringBuilder out = new StringBuilder(pcre.length() + 8);
        for (int i = 0; i < pcre.length(); i++) {
            char c = pcre.charAt(i);
            if (c == '\\' && i + 1 < pcre.length() && pcre.charAt(i + 1) < 0x80) {
                out.append(c).append(pcre.charAt(++i));
            } else if (c == '\\' && i + 1 < pcre.length() && pcre.charAt(i + 1) <= 0xff) {
                continue; // an escaped byte is the byte: written next as \xHH
            } else if (c >= 0x80 && c <= 0xff) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code ^} or {@code \A} occurs outside a character class. */
    static boolean anchorsAtStart(String pcre) {
        boolean inClass = false;
        for (int i = 0; i < pcre.length(); i++) {
            char c = pcre.charAt(i);
            if (c == '\\') {
                if (!inClass && i + 1 < pcre.length() && pcre.charAt(i + 1) == 'A') {
                    return true;
                }
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < pcre.length() && pcre.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < pcre.length() && pcre.charAt(i + 1) == ']') {
                    i++; // a ']' first in a class is a member
                }
            } else if (c == '^') {
                return true;
            }
        }
        return false;
    }
}
