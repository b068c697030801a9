package org.omamori.engine.ips.rules;

import java.util.Objects;

/**
 * A payload keyword that reads bytes or sizes rather than searching: {@code isdataat},
 * {@code byte_test}, {@code byte_jump}, {@code byte_extract}, {@code byte_math}, and the size
 * checks {@code bsize}, {@code dsize}, {@code urilen}. Each sits in its buffer's chain in rule
 * order, like a content; "relative" means from the end of the previous match of that buffer.
 * Semantics follow Suricata's documentation (docs.suricata.io, "Payload Keywords").
 */
public sealed interface Probe extends Match
        permits Probe.IsDataAt, Probe.ByteTest, Probe.ByteJump, Probe.ByteExtract, Probe.ByteMath, Probe.Size {

    /** A number written in the rule, or the name of a variable a byte_extract/byte_math before it set. */
    record Value(long literal, String variable) {
        public static Value of(long literal) {
            return new Value(literal, null);
        }

        public static Value var(String name) {
            return new Value(0, Objects.requireNonNull(name, "name"));
        }

        public boolean isVariable() {
            return variable != null;
        }

        @Override
        public String toString() {
            return variable != null ? variable : Long.toString(literal);
        }
    }

    /** How the bytes read are turned into a number. */
    enum Encoding {
        /** Big or little endian binary (1..8 bytes). */
        BINARY,
        /** ASCII digits in base 10, 16 or 8 ({@code string,dec|hex|oct}). */
        DEC, HEX, OCT
    }

    /**
     * Where the bytes are read and how: {@code count} bytes at {@code offset} (from the buffer's
     * start, or from the previous match's end when {@code relative}), endianness, string
     * encoding, and an optional {@code bitmask} applied (and shifted right by its trailing zeros)
     * before use, as Suricata does.
     */
    record Read(int count, Value offset, boolean relative, boolean littleEndian, Encoding encoding, long bitmask) {
    }

    /** {@code isdataat:[!]N[,relative]}: a byte exists at that position (negated: none does). */
    record IsDataAt(Buffer buffer, boolean negated, Value position, boolean relative) implements Probe {
    }

    /** {@code byte_test}: compares the value read with {@code operator value}; {@code !} negates the operator. */
    record ByteTest(Buffer buffer, Read read, String operator, boolean negateOperator, Value value) implements Probe {
        @Override
        public boolean negated() {
            return false;
        }
    }

    /**
     * {@code byte_jump}: moves the cursor by the value read ({@code * multiplier}, {@code + post_offset},
     * aligned, {@code from_beginning} or {@code from_end}); later relative matches start there.
     */
    record ByteJump(Buffer buffer, Read read, long multiplier, boolean align, boolean fromBeginning, boolean fromEnd,
                    long postOffset) implements Probe {
        @Override
        public boolean negated() {
            return false;
        }
    }

    /** {@code byte_extract}: reads a value into {@code name} ({@code * multiplier}, aligned); the cursor moves past the bytes. */
    record ByteExtract(Buffer buffer, Read read, String name, long multiplier, boolean align) implements Probe {
        @Override
        public boolean negated() {
            return false;
        }
    }

    /** {@code byte_math}: {@code result = read operator rvalue} (+ - * / << >>) into {@code name}; the cursor does not move. */
    record ByteMath(Buffer buffer, Read read, char operator, Value rvalue, String name) implements Probe {
        @Override
        public boolean negated() {
            return false;
        }
    }

    /** Which size a {@link Size} compares. */
    enum SizeOf {
        /** {@code bsize}: the sticky buffer's length. */
        BSIZE,
        /** {@code dsize}: the payload's length (here: the direction's whole message, see the engine's README). */
        DSIZE,
        /** {@code urilen}: the URI's length, normalised or raw by its buffer. */
        URILEN
    }

    /** A length in {@code [min, max]} (inclusive), or outside it when {@code negated}. */
    record Size(Buffer buffer, SizeOf of, long min, long max, boolean negated) implements Probe {
    }
}
