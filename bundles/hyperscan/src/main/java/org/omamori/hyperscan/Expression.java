package org.omamori.hyperscan;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One pattern to compile.
 *
 * @param id        reported to the {@link MatchListener} on match; not negative, and need not be unique
 * @param pattern   Hyperscan/PCRE syntax without delimiters; write arbitrary bytes as {@code \xHH};
 *                  other characters are taken as UTF-8
 * @param flags     compile flags
 * @param minOffset the smallest end offset a match may have, 0 for no bound ({@code HS_EXT_FLAG_MIN_OFFSET})
 * @param maxOffset the largest end offset a match may have, 0 for no bound ({@code HS_EXT_FLAG_MAX_OFFSET})
 */
public record Expression(int id, String pattern, Set<ExpressionFlag> flags, long minOffset, long maxOffset) {

    public Expression {
        if (id < 0) {
            throw new IllegalArgumentException("expression id must not be negative: " + id);
        }
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.indexOf('\0') >= 0) {
            // Hyperscan reads NUL-terminated C strings: a raw NUL would silently cut the pattern.
            throw new IllegalArgumentException("pattern of expression " + id + " contains a NUL character; write it as \\x00");
        }
        if (minOffset < 0 || maxOffset < 0) {
            throw new IllegalArgumentException("offset bounds of expression " + id + " must not be negative");
        }
        if (maxOffset != 0 && minOffset > maxOffset) {
            throw new IllegalArgumentException("expression " + id + ": minOffset " + minOffset + " > maxOffset " + maxOffset);
        }
        Objects.requireNonNull(flags, "flags");
        flags = Collections.unmodifiableSet(flags.isEmpty() ? EnumSet.noneOf(ExpressionFlag.class) : EnumSet.copyOf(flags));
    }

    /** An expression without offset bounds. */
    public Expression(int id, String pattern, Set<ExpressionFlag> flags) {
        this(id, pattern, flags, 0, 0);
    }

    /** An expression without offset bounds. */
    public static Expression of(int id, String pattern, ExpressionFlag... flags) {
        return new Expression(id, pattern, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags));
    }

    boolean bounded() {
        return minOffset != 0 || maxOffset != 0;
    }

    int nativeFlags() {
        int bits = 0;
        for (ExpressionFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }
}
