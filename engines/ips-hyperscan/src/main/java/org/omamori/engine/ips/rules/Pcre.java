package org.omamori.engine.ips.rules;

import java.util.Objects;

/**
 * A {@code pcre} match.
 *
 * @param pattern    the expression between the slashes, unescaped only as the rule language requires
 * @param caseless   {@code i}
 * @param dotAll     {@code s}
 * @param multiline  {@code m}
 * @param extended   {@code x}
 * @param relative   {@code R}: starts where the previous match of its buffer ended
 */
public record Pcre(Buffer buffer, String pattern, boolean negated, boolean caseless, boolean dotAll,
                   boolean multiline, boolean extended, boolean relative) implements Match {

    public Pcre {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("pcre must not be empty");
        }
    }
}
