package org.omamori.api.edition;

import java.util.List;
import java.util.Objects;

/** The bounds every edition value is checked against when it is made (an edition is foreign code). */
final class Checks {

    private Checks() {
    }

    /** A single line of text: not blank, no control characters, at most {@code max} characters. */
    static String line(String what, String value, int max) {
        String v = text(what, value, max);
        if (v.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " is one line");
        }
        return v;
    }

    /** Text of lines: not blank, no control characters but line feeds, at most {@code max} characters. */
    static String text(String what, String value, int max) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(what + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)) {
                throw new IllegalArgumentException(what + " holds a control character at position " + i);
            }
        }
        return value;
    }

    static long nonNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " is negative: " + value);
        }
        return value;
    }

    static int between(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " is " + min + "-" + max + ": " + value);
        }
        return value;
    }

    static <T> List<T> list(String what, List<T> values, int max) {
        List<T> copy = List.copyOf(Objects.requireNonNull(values, what));
        if (copy.size() > max) {
            throw new IllegalArgumentException(what + " has more than " + max + " entries");
        }
        return copy;
    }

    /** An https (or, for tests and demos, http) address of at most 500 characters. */
    static String url(String what, String value) {
        String v = line(what, value, 500);
        if (!v.startsWith("https://") && !v.startsWith("http://")) {
            throw new IllegalArgumentException(what + " is not an http(s) address: " + v);
        }
        return v;
    }
}
