package org.omamori.hyperscan;

import com.gliwka.hyperscan.jni.hyperscan;

/** Compile flags of one expression, as Hyperscan's {@code HS_FLAG_*}. */
public enum ExpressionFlag {
    /** Matches letters regardless of case ({@code i}). */
    CASELESS(hyperscan.HS_FLAG_CASELESS),
    /** {@code .} also matches newlines ({@code s}). */
    DOTALL(hyperscan.HS_FLAG_DOTALL),
    /** {@code ^} and {@code $} also match at newlines ({@code m}). */
    MULTILINE(hyperscan.HS_FLAG_MULTILINE),
    /** Reports at most one match of this expression per scan or stream. */
    SINGLEMATCH(hyperscan.HS_FLAG_SINGLEMATCH),
    /** Allows an expression that can match the empty string. */
    ALLOWEMPTY(hyperscan.HS_FLAG_ALLOWEMPTY),
    /** The pattern and the data are UTF-8. */
    UTF8(hyperscan.HS_FLAG_UTF8),
    /** Unicode character properties for {@code \w}, {@code \d} and friends; needs {@link #UTF8}. */
    UCP(hyperscan.HS_FLAG_UCP),
    /**
     * Compiles a superset of the pattern (for example without back-references) so that it
     * compiles at all; every match must then be confirmed with a full regex engine.
     */
    PREFILTER(hyperscan.HS_FLAG_PREFILTER),
    /** Reports the leftmost start of each match in {@code from}; otherwise {@code from} is 0. */
    SOM_LEFTMOST(hyperscan.HS_FLAG_SOM_LEFTMOST);

    final int bit;

    ExpressionFlag(int bit) {
        this.bit = bit;
    }
}
