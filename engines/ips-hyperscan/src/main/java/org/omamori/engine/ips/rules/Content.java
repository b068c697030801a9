package org.omamori.engine.ips.rules;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A {@code content} match with its modifiers. Positions follow Suricata: {@code offset} and
 * {@code depth} from the start of the buffer, {@code distance} and {@code within} from the end
 * of the previous match of the same buffer.
 *
 * @param bytes       the bytes to find, {@code |hex|} decoded; never empty
 * @param nocase      case-insensitive (ASCII)
 * @param fastPattern marked {@code fast_pattern}
 * @param endsWith    {@code endswith}: the content ends where its buffer ends
 */
public record Content(Buffer buffer, byte[] bytes, boolean negated, boolean nocase,
                      OptionalInt offset, OptionalInt depth, OptionalInt distance, OptionalInt within,
                      boolean fastPattern, boolean endsWith) implements Match {

    public Content(Buffer buffer, byte[] bytes, boolean negated, boolean nocase, OptionalInt offset, OptionalInt depth,
                   OptionalInt distance, OptionalInt within, boolean fastPattern) {
        this(buffer, bytes, negated, nocase, offset, depth, distance, within, fastPattern, false);
    }

    public Content {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(depth, "depth");
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(within, "within");
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("content must not be empty");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Length without copying. */
    public int length() {
        return bytes.length;
    }

    /** Relative to the previous match of its buffer. */
    public boolean relative() {
        return distance.isPresent() || within.isPresent();
    }
}
