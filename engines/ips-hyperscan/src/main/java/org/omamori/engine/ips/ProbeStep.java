package org.omamori.engine.ips;

import java.util.Map;

import org.omamori.engine.ips.rules.Probe;

/**
 * A payload keyword of a {@link Chain} that reads bytes or a size instead of searching
 * ({@link Probe}): {@code isdataat}, {@code byte_test}, {@code byte_jump}, {@code byte_extract},
 * {@code byte_math}, {@code bsize}, {@code dsize}, {@code urilen}, with Suricata's semantics
 * (docs.suricata.io "Payload Keywords"):
 * <ul>
 * <li>{@code isdataat:N} holds when the buffer has a byte at position N; {@code isdataat:N,relative}
 * when N more bytes follow the previous match's end ({@code end + N <= length}); {@code !} negates.</li>
 * <li>The byte_* keywords read {@code count} bytes at {@code offset} (from the buffer's start, or
 * from the previous match's end when relative), big endian unless {@code little}, or ASCII digits
 * ({@code string,dec|hex|oct}, every byte a digit); a {@code bitmask} is applied and the value
 * shifted right by the mask's trailing zeros. byte_test compares (unsigned) and leaves the cursor;
 * byte_jump moves it past the bytes read by {@code value * multiplier} (aligned to 4, or from the
 * buffer's start or end) plus {@code post_offset}; byte_extract stores the value and moves the cursor
 * past the bytes; byte_math stores {@code value op rvalue} and leaves the cursor.</li>
 * <li>Sizes compare the buffer's whole length.</li>
 * </ul>
 * A stream buffer that has not ended may still grow: where more bytes could change the answer,
 * the step is {@link #UNDECIDED} and the rule is tried again with them (as a pcre needing {@code $}).
 */
final class ProbeStep implements Chain.Step {

    /** The step does not hold. */
    static final long FAIL = -1;
    /** The answer needs bytes the buffer may still get. */
    static final long UNDECIDED = -2;

    final Probe probe;
    /** Variable slots of the chain: what this step reads ({@code offset}, the compared value or rvalue), what it writes. */
    private final int offsetVar;
    private final int valueVar;
    private final int resultVar;

    ProbeStep(Probe probe, Map<String, Integer> variables) {
        this.probe = probe;
        int offset = -1;
        int value = -1;
        int result = -1;
        switch (probe) {
            case Probe.IsDataAt p -> offset = slot(p.position(), variables);
            case Probe.ByteTest p -> {
                offset = slot(p.read().offset(), variables);
                value = slot(p.value(), variables);
            }
            case Probe.ByteJump p -> offset = slot(p.read().offset(), variables);
            case Probe.ByteExtract p -> {
                offset = slot(p.read().offset(), variables);
                result = define(p.name(), variables);
            }
            case Probe.ByteMath p -> {
                offset = slot(p.read().offset(), variables);
                value = slot(p.rvalue(), variables);
                result = define(p.name(), variables);
            }
            case Probe.Size p -> { }
        }
        this.offsetVar = offset;
        this.valueVar = value;
        this.resultVar = result;
    }

    /** Most variables one chain may set; Suricata allows few per rule too. */
    static final int MAX_VARIABLES = 16;

    private static int slot(Probe.Value v, Map<String, Integer> variables) {
        if (!v.isVariable()) {
            return -1;
        }
        Integer slot = variables.get(v.variable());
        if (slot == null) {
            throw new Chain.NotRunnable("variable-across-buffers", "uses " + v.variable() + " set in another buffer");
        }
        return slot;
    }

    private static int define(String name, Map<String, Integer> variables) {
        Integer old = variables.get(name);
        if (old != null) {
            return old;
        }
        if (variables.size() == MAX_VARIABLES) {
            throw new Chain.NotRunnable("byte_extract", "sets more than " + MAX_VARIABLES + " variables");
        }
        variables.put(name, variables.size());
        return variables.size() - 1;
    }

    private long resolve(Probe.Value v, int slot, long[] vars) {
        return slot >= 0 ? vars[slot] : v.literal();
    }

    /**
     * Applies the step after a match that ended at {@code previousEnd} (buffer positions):
     * the cursor for the next step, {@link #FAIL} or {@link #UNDECIDED}.
     */
    long apply(ByteView view, long previousEnd, long[] vars, boolean ended) {
        long length = view.endPosition(); // the buffer's length so far (positions count from its start)
        return switch (probe) {
            case Probe.IsDataAt p -> {
                long n = resolve(p.position(), offsetVar, vars);
                boolean has = p.relative() ? previousEnd + n <= length : n < length;
                if (has) {
                    yield p.negated() ? FAIL : previousEnd;
                }
                yield !ended ? UNDECIDED : p.negated() ? previousEnd : FAIL;
            }
            case Probe.Size p -> {
                if (!ended) {
                    yield UNDECIDED;
                }
                boolean in = length >= p.min() && length <= p.max();
                yield in != p.negated() ? previousEnd : FAIL;
            }
            case Probe.ByteTest p -> {
                long at = start(p.read(), previousEnd, vars);
                long v = read(view, p.read(), at, ended, vars);
                if (v < 0) {
                    yield v == UNDECIDED_READ ? UNDECIDED : FAIL;
                }
                long value = vars[READ_SLOT];
                long compared = resolve(p.value(), valueVar, vars);
                boolean holds = switch (p.operator()) {
                    case "<" -> Long.compareUnsigned(value, compared) < 0;
                    case ">" -> Long.compareUnsigned(value, compared) > 0;
                    case "=" -> value == compared;
                    case "<=" -> Long.compareUnsigned(value, compared) <= 0;
                    case ">=" -> Long.compareUnsigned(value, compared) >= 0;
                    case "&" -> (value & compared) != 0;
                    case "^" -> (value ^ compared) != 0;
                    default -> false;
                };
                yield holds != p.negateOperator() ? previousEnd : FAIL;
            }
            case Probe.ByteJump p -> {
                long at = start(p.read(), previousEnd, vars);
                long v = read(view, p.read(), at, ended, vars);
                if (v < 0) {
                    yield v == UNDECIDED_READ ? UNDECIDED : FAIL;
                }
                long jump = vars[READ_SLOT] * p.multiplier();
                if (p.align()) {
                    jump = (jump + 3) & ~3L;
                }
                long to;
                if (p.fromBeginning()) {
                    to = jump;
                } else if (p.fromEnd()) {
                    if (!ended) {
                        yield UNDECIDED;
                    }
                    to = length + jump;
                } else {
                    to = at + p.read().count() + jump;
                }
                to += p.postOffset();
                if (to < 0) {
                    yield FAIL;
                }
                if (to > length) {
                    yield ended ? FAIL : UNDECIDED;
                }
                yield to;
            }
            case Probe.ByteExtract p -> {
                long at = start(p.read(), previousEnd, vars);
                long v = read(view, p.read(), at, ended, vars);
                if (v < 0) {
                    yield v == UNDECIDED_READ ? UNDECIDED : FAIL;
                }
                long value = vars[READ_SLOT] * p.multiplier();
                if (p.align()) {
                    value = (value + 3) & ~3L;
                }
                vars[resultVar] = value;
                yield at + p.read().count();
            }
            case Probe.ByteMath p -> {
                long at = start(p.read(), previousEnd, vars);
                long v = read(view, p.read(), at, ended, vars);
                if (v < 0) {
                    yield v == UNDECIDED_READ ? UNDECIDED : FAIL;
                }
                long r = resolve(p.rvalue(), valueVar, vars);
                long value = vars[READ_SLOT];
                long result;
                switch (p.operator()) {
                    case '+' -> result = value + r;
                    case '-' -> result = value - r;
                    case '*' -> result = value * r;
                    case '/' -> {
                        if (r == 0) {
                            yield FAIL;
                        }
                        result = Long.divideUnsigned(value, r);
                    }
                    case '<' -> result = r >= 64 ? 0 : value << r;
                    default -> result = r >= 64 ? 0 : value >>> r;
                }
                vars[resultVar] = result & 0xFFFF_FFFFL; // Suricata keeps byte_math results as 32-bit
                yield previousEnd;
            }
        };
    }

    private long start(Probe.Read read, long previousEnd, long[] vars) {
        long offset = resolve(read.offset(), offsetVar, vars);
        return read.relative() ? previousEnd + offset : offset;
    }

    private static final long UNDECIDED_READ = -2;
    /** Where {@link #read} leaves the value in the search's variable array (the slot after the variables). */
    static final int READ_SLOT = MAX_VARIABLES;

    /** Reads the value at {@code at} into {@code bits[READ_SLOT]}: 0, -1 when it cannot be read, {@link #UNDECIDED_READ} when its bytes may still come. */
    private static long read(ByteView view, Probe.Read read, long at, boolean ended, long[] bits) {
        int n = read.count();
        if (at < view.firstPosition()) {
            return -1;
        }
        if (n == 0) { // string with 0 bytes: the digits there, at most 20
            int base = read.encoding() == Probe.Encoding.HEX ? 16 : read.encoding() == Probe.Encoding.OCT ? 8 : 10;
            while (n < 20 && at + n < view.endPosition() && Character.digit((char) (view.at(at + n) & 0xFF), base) >= 0) {
                n++;
            }
            if (n == 0 || n < 20 && at + n == view.endPosition() && !ended) {
                return n == 0 && at < view.endPosition() ? -1 : ended ? -1 : UNDECIDED_READ;
            }
        }
        if (at + n > view.endPosition()) {
            return ended ? -1 : UNDECIDED_READ;
        }
        long value = 0;
        if (read.encoding() == Probe.Encoding.BINARY) {
            for (int i = 0; i < n; i++) {
                int b = view.at(at + (read.littleEndian() ? n - 1 - i : i)) & 0xFF;
                value = value << 8 | b;
            }
        } else {
            int base = switch (read.encoding()) {
                case HEX -> 16;
                case OCT -> 8;
                default -> 10;
            };
            for (int i = 0; i < n; i++) {
                int d = Character.digit((char) (view.at(at + i) & 0xFF), base);
                if (d < 0) {
                    return -1;
                }
                value = value * base + d;
            }
        }
        long mask = read.bitmask();
        if (mask != 0) {
            value &= mask;
            value >>>= Long.numberOfTrailingZeros(mask);
        }
        bits[READ_SLOT] = value;
        return 0;
    }
}
