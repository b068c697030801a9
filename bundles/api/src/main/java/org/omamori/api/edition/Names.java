package org.omamori.api.edition;

import java.util.Objects;

/**
 * A name in Japanese (what customers read: mail, pages, invoices) and in English (operators,
 * engine vendors). Both are one line, not blank, at most 200 characters.
 */
public record Names(String ja, String en) {

    public Names {
        ja = Checks.line("ja", ja, 200);
        en = Checks.line("en", en, 200);
    }

    @Override
    public String toString() {
        return ja + " / " + en;
    }

    static Names require(String what, Names names) {
        return Objects.requireNonNull(names, what);
    }
}
