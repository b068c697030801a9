package org.omamori.dns;

import java.util.Locale;

/** What happens to a query over a client's or the global limit; either way it is counted. */
public enum OverLimit {
    /** Answer REFUSED (a header-only answer, never larger than the query). */
    REFUSE,
    /** Send nothing. */
    DROP;

    /** {@code refuse} or {@code drop}, as written in the configuration. */
    public static OverLimit parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "refuse" -> REFUSE;
            case "drop" -> DROP;
            default -> throw new IllegalArgumentException("overLimit must be 'refuse' or 'drop', not '" + text + "'");
        };
    }
}
