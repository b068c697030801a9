package org.omamori.engine.ips;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.omamori.engine.ips.rules.Pcre;

/**
 * PCRE as rules write it, for the JDK's regex engine (used only to confirm a candidate on
 * bounded bytes) and for Hyperscan (used to find candidates). Bytes are matched as ISO-8859-1
 * characters, so {@code \xff} means the byte 0xff in both.
 */
final class PcreTranslation {

    private PcreTranslation() {
    }

    /** The JDK pattern for a pcre; throws IllegalArgumentException naming what Java cannot read. */
    static Pattern toJava(Pcre p) {
        int flags = 0;
        if (p.caseless()) {
            flags |= Pattern.CASE_INSENSITIVE;
        }
        if (p.dotAll()) {
            flags |= Pattern.DOTALL;
        }
        if (p.multiline()) {
            flags |= Pattern.MULTILINE;
        }
        if (p.extended()) {
            flags |= Pattern.COMMENTS;
        }
        try {
            return Pattern.compile(p.pattern().replace("(?P<", "(?<"), flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pcre the JDK cannot read: " + e.getDescription());
        }
    }
}
