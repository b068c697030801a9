package org.omamori.engine.ips;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A pcre of the simplest form ET writes for whole header values, matched without the JDK regex:
 * {@code ^}, then single characters each with a bounded count, then an optional {@code $}; e.g.
 * the "Dotted Quad Host" rules' {@code ^1\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}$}, confirmed on every
 * request to a numeric host. A character is a literal (printable ASCII, or escaped punctuation),
 * {@code .}, {@code \d \w \s \D \W \S}, or a class of literals, ranges and those escapes; a count is
 * none, {@code ?}, {@code {n}} or {@code {n,m}}, greedy. Anything else (groups, alternation,
 * unbounded or lazy counts, flags other than {@code s}) is left to the JDK: {@link #of} gives null.
 *
 * <p>It answers as {@link java.util.regex.Matcher#find()} does for such a pattern under the
 * engine's flags ({@link Pattern#UNIX_LINES}): the match can only start at the subject's start,
 * each count takes as many as it can and gives back one at a time, and {@code $} holds at the end
 * or before a final {@code \n}. The work is bounded when it is made: at most {@link #MAX_TRIES}
 * placements of the counts, on bytes read without a copy ({@code AnchoredSequenceTest} compares it
 * with the JDK on generated and hostile inputs).
 */
final class AnchoredSequence {

    /** Placements of the counts tried at most (the product of their ranges); more and the JDK answers. */
    static final int MAX_TRIES = 4096;

    /** Per atom: the bytes it matches (256 bits), and its count. */
    private final long[][] sets;
    private final int[] min;
    private final int[] max;
    private final boolean dollar;
    /** The most bytes a match spans (the counts' maxima): no byte further from the start is read, but one for {@code $}. */
    private final long reachable;

    private AnchoredSequence(List<long[]> sets, List<int[]> counts, boolean dollar) {
        this.sets = sets.toArray(long[][]::new);
        this.min = counts.stream().mapToInt(c -> c[0]).toArray();
        this.max = counts.stream().mapToInt(c -> c[1]).toArray();
        this.dollar = dollar;
        this.reachable = java.util.Arrays.stream(max).asLongStream().sum();
    }

    /** Whether the pattern ends with {@code $}: a match then needs the subject's end. */
    boolean needsEnd() {
        return dollar;
    }

    /**
     * Where the match of the subject {@code view[start, length)} ends (an index of the view), or -1.
     */
    int end(ByteView view, int start) {
        return end(view, start, null);
    }

    /**
     * {@link #end(ByteView, int)}, adding the bytes it read to {@code reads[0]} when {@code reads} is
     * not null (the caller charges them to its step budget as the JDK's reads are charged).
     */
    int end(ByteView view, int start, int[] reads) {
        return end(view, start, reads, null);
    }

    /**
     * {@link #end(ByteView, int, int[])}, copying the bytes a match can reach into {@code spare} when
     * the view has no array and they fit (the caller's, reused: a body's window is direct memory, and
     * a relative pcre is tried at each place its prefix occurs), else into an array of their own.
     */
    int end(ByteView view, int start, int[] reads, byte[] spare) {
        java.nio.ByteBuffer data = view.data();
        int length = view.length();
        if (data.hasArray()) {
            return match(data.array(), data.arrayOffset() + view.offset(), length, 0, start, reads);
        }
        // no array (a body's window, a read-only view of the head as sent): only the bytes a match can reach are read
        int reach = Math.max(0, (int) Math.min(length - start, reachable + 1));
        byte[] copy = spare != null && spare.length >= reach ? spare : new byte[reach];
        data.get(view.offset() + start, copy, 0, reach);
        return match(copy, -start, length, 0, start, reads);
    }

    /** {@code a[base + i]} is the subject's byte at view index {@code i}, for the indexes a match can read. */
    private int match(byte[] a, int base, int length, int atom, int at, int[] reads) {
        if (atom == sets.length) {
            if (!dollar) {
                return at;
            }
            return at == length || at == length - 1 && a[base + at] == '\n' ? at : -1;
        }
        long[] set = sets[atom];
        int k = 0;
        int most = max[atom];
        while (k < most && at + k < length && has(set, a[base + at + k] & 0xFF)) {
            k++;
        }
        if (reads != null) {
            reads[0] += k + 1;
        }
        for (int c = k; c >= min[atom]; c--) {
            int end = match(a, base, length, atom + 1, at + c, reads);
            if (end >= 0) {
                return end;
            }
        }
        return -1;
    }

    private static boolean has(long[] set, int b) {
        return (set[b >>> 6] & 1L << b) != 0;
    }

    /** The matcher of {@code pattern}, or null when it is not of the form above. */
    static AnchoredSequence of(Pattern pattern) {
        return pattern.pattern().startsWith("^") ? parse(pattern, 1) : null;
    }

    /**
     * The same form without the {@code ^} (a pcre whose matches all begin with a literal, such as
     * {@code name=[0-9a-f]{4,16}&}): {@link #end} then answers as
     * {@link java.util.regex.Matcher#lookingAt()} does from that index with transparent,
     * non-anchoring bounds over the rest of the subject, which is how a pcre is tried at each
     * place its literal prefix occurs. Null when the pattern is not of that form, or begins with
     * {@code ^}.
     */
    static AnchoredSequence startingAnywhere(Pattern pattern) {
        return pattern.pattern().isEmpty() || pattern.pattern().startsWith("^") ? null : parse(pattern, 0);
    }

    private static AnchoredSequence parse(Pattern pattern, int i) {
        if ((pattern.flags() & ~(Pattern.UNIX_LINES | Pattern.DOTALL)) != 0 || (pattern.flags() & Pattern.UNIX_LINES) == 0) {
            return null;
        }
        boolean dotAll = (pattern.flags() & Pattern.DOTALL) != 0;
        String re = pattern.pattern();
        List<long[]> sets = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        long tries = 1;
        boolean dollar = false;
        while (i < re.length()) {
            char c = re.charAt(i);
            long[] set = new long[4];
            if (c == '$' && i == re.length() - 1) {
                dollar = true;
                i++;
                break;
            } else if (c == '\\') {
                if (i + 1 >= re.length() || !escape(re.charAt(i + 1), set)) {
                    return null;
                }
                i += 2;
            } else if (c == '.') {
                for (int b = 0; b < 256; b++) {
                    if (dotAll || b != '\n') {
                        add(set, b);
                    }
                }
                i++;
            } else if (c == '[') {
                i = charClass(re, i + 1, set);
                if (i < 0) {
                    return null;
                }
            } else if (plain(c)) {
                add(set, c);
                i++;
            } else {
                return null;
            }
            int lo = 1;
            int hi = 1;
            if (i < re.length() && re.charAt(i) == '?') {
                lo = 0;
                i++;
            } else if (i < re.length() && re.charAt(i) == '{') {
                int close = re.indexOf('}', i);
                if (close < 0) {
                    return null;
                }
                String[] parts = re.substring(i + 1, close).split(",", -1);
                if (parts.length > 2 || !digits(parts[0]) || parts.length == 2 && !digits(parts[1])) {
                    return null; // {n,} is unbounded; anything else is no count
                }
                lo = Integer.parseInt(parts[0]);
                hi = parts.length == 2 ? Integer.parseInt(parts[1]) : lo;
                if (hi < lo) {
                    return null;
                }
                i = close + 1;
            }
            if (i < re.length() && "?+*{".indexOf(re.charAt(i)) >= 0) {
                return null; // lazy, possessive or a second count
            }
            tries *= hi - lo + 1;
            if (tries > MAX_TRIES) {
                return null;
            }
            sets.add(set);
            counts.add(new int[] {lo, hi});
        }
        return i == re.length() ? new AnchoredSequence(sets, counts, dollar) : null;
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A literal outside a class: printable ASCII that is no metacharacter. */
    private static boolean plain(char c) {
        return c >= 0x20 && c < 0x7F && "\\^$.|?*+()[]{}".indexOf(c) < 0;
    }

    /** {@code \x} as a set: a class escape, or escaped punctuation (the character itself). */
    private static boolean escape(char e, long[] set) {
        switch (e) {
            case 'd', 'D' -> range(set, '0', '9');
            case 'w', 'W' -> {
                range(set, 'a', 'z');
                range(set, 'A', 'Z');
                range(set, '0', '9');
                add(set, '_');
            }
            case 's', 'S' -> {
                for (char s : new char[] {' ', '\t', '\n', 0x0B, '\f', '\r'}) {
                    add(set, s);
                }
            }
            default -> {
                if (e >= 0x20 && e < 0x7F && !Character.isLetterOrDigit(e)) {
                    add(set, e); // escaped punctuation is the character
                    return true;
                }
                return false;
            }
        }
        if (Character.isUpperCase(e)) {
            for (int w = 0; w < 4; w++) {
                set[w] = ~set[w];
            }
        }
        return true;
    }

    /**
     * A class from just after its {@code [} to its {@code ]}: literals, escaped punctuation,
     * ranges of letters or digits, {@code \d \w \s}, negated with a leading {@code ^}. Returns the
     * index after the class, or -1 for anything else ({@code -} unescaped but in a range, nested
     * classes, intersections, a {@code ]} first).
     */
    private static int charClass(String re, int i, long[] set) {
        boolean negated = i < re.length() && re.charAt(i) == '^';
        if (negated) {
            i++;
        }
        boolean empty = true;
        while (i < re.length() && re.charAt(i) != ']') {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 >= re.length()) {
                    return -1;
                }
                char e = re.charAt(i + 1);
                if (Character.isUpperCase(e) || !escape(e, set)) {
                    return -1; // a negated escape inside a class: left to the JDK
                }
                i += 2;
            } else if (Character.isLetterOrDigit(c) && c < 0x80 && i + 2 < re.length() && re.charAt(i + 1) == '-'
                    && re.charAt(i + 2) != ']') {
                char to = re.charAt(i + 2);
                boolean sameKind = Character.isDigit(c) ? to >= c && to <= '9'
                        : Character.isLowerCase(c) ? to >= c && to <= 'z' : to >= c && to <= 'Z';
                if (!sameKind) {
                    return -1;
                }
                range(set, c, to);
                i += 3;
            } else if (c >= 0x20 && c < 0x7F && "[]-&^\\".indexOf(c) < 0) {
                add(set, c);
                i++;
            } else {
                return -1;
            }
            empty = false;
        }
        if (i >= re.length() || empty) {
            return -1;
        }
        if (negated) {
            for (int w = 0; w < 4; w++) {
                set[w] = ~set[w];
            }
        }
        return i + 1;
    }

    private static void range(long[] set, char from, char to) {
        for (int b = from; b <= to; b++) {
            add(set, b);
        }
    }

    private static void add(long[] set, int b) {
        set[b >>> 6] |= 1L << b;
    }
}
