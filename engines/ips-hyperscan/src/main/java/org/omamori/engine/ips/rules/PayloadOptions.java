package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.omamori.engine.ips.rules.Probe.Encoding;
import org.omamori.engine.ips.rules.Probe.Read;
import org.omamori.engine.ips.rules.Probe.Value;

/**
 * The values of the payload keywords that read bytes or sizes ({@link Probe}) and of
 * {@code threshold}/{@code detection_filter}, as Suricata's documentation writes them
 * (docs.suricata.io "Payload Keywords", "Thresholding Keywords"). A malformed value is a
 * {@link RuleSyntaxError}; a valid one the engine does not run ({@code dce}, {@code backoff}) is an
 * {@link UnsupportedFeature}. Variables must have been set by a byte_extract/byte_math before.
 */
final class PayloadOptions {

    /** Suricata reads at most 8 bytes as binary and at most 20 digits as a string (10 for byte_jump/byte_extract in older versions). */
    private static final int MAX_BINARY = 8;
    private static final int MAX_STRING = 20;
    private static final long MAX_OFFSET = 65535;

    private PayloadOptions() {
    }

    // ---- isdataat ----------------------------------------------------------------------------

    static Probe.IsDataAt isDataAt(String value, Buffer buffer, Set<String> variables) throws RuleSyntaxError {
        List<String> p = parts("isdataat", value);
        String first = p.get(0);
        boolean negated = first.startsWith("!");
        if (negated) {
            first = first.substring(1).strip();
        }
        Value position = value("isdataat", first, variables, 0, MAX_OFFSET);
        boolean relative = false;
        for (String extra : p.subList(1, p.size())) {
            switch (extra.toLowerCase(Locale.ROOT)) {
                case "relative" -> relative = true;
                case "rawbytes" -> { }
                default -> throw new RuleSyntaxError("isdataat: unknown option '" + GroupParser.clip(extra) + "'");
            }
        }
        return new Probe.IsDataAt(buffer, negated, position, relative);
    }

    // ---- sizes ---------------------------------------------------------------------------------

    /** {@code N}, {@code <N}, {@code >N}, {@code <=N}, {@code >=N}, {@code !N}, {@code N<>M} (exclusive, as Suricata), with {@code urilen}'s {@code ,norm|,raw}. */
    static Probe.Size size(String keyword, String value, Buffer buffer, Probe.SizeOf of) throws RuleSyntaxError {
        String v = value.strip();
        Buffer b = buffer;
        if (of == Probe.SizeOf.URILEN) {
            int comma = v.indexOf(',');
            b = Buffer.HTTP_URI;
            if (comma >= 0) {
                String kind = v.substring(comma + 1).strip().toLowerCase(Locale.ROOT);
                b = switch (kind) {
                    case "norm" -> Buffer.HTTP_URI;
                    case "raw" -> Buffer.HTTP_URI_RAW;
                    default -> throw new RuleSyntaxError("urilen: expected norm or raw but found '" + GroupParser.clip(kind) + "'");
                };
                v = v.substring(0, comma).strip();
            }
        }
        if (v.isEmpty()) {
            throw new RuleSyntaxError(keyword + ": missing value");
        }
        boolean negated = false;
        long min;
        long max;
        int range = v.indexOf("<>");
        if (range > 0) {
            long lo = number(keyword, v.substring(0, range));
            long hi = number(keyword, v.substring(range + 2));
            if (hi <= lo + 1) {
                throw new RuleSyntaxError(keyword + ": empty range " + GroupParser.clip(v));
            }
            min = lo + 1; // Suricata's N<>M excludes both ends
            max = hi - 1;
        } else if (v.startsWith("<=")) {
            min = 0;
            max = number(keyword, v.substring(2));
        } else if (v.startsWith(">=")) {
            min = number(keyword, v.substring(2));
            max = Long.MAX_VALUE;
        } else if (v.startsWith("<")) {
            long n = number(keyword, v.substring(1));
            if (n == 0) {
                throw new RuleSyntaxError(keyword + ": <0 can never hold");
            }
            min = 0;
            max = n - 1;
        } else if (v.startsWith(">")) {
            min = number(keyword, v.substring(1)) + 1;
            max = Long.MAX_VALUE;
        } else if (v.startsWith("!")) {
            negated = true;
            min = max = number(keyword, v.substring(1));
        } else if (v.startsWith("=")) {
            min = max = number(keyword, v.substring(1));
        } else {
            min = max = number(keyword, v);
        }
        return new Probe.Size(b, of, min, max, negated);
    }

    // ---- byte_test, byte_jump, byte_extract, byte_math -----------------------------------------

    static Probe.ByteTest byteTest(String value, Buffer buffer, Set<String> variables) throws RuleSyntaxError, UnsupportedFeature {
        List<String> p = parts("byte_test", value);
        if (p.size() < 4) {
            throw new RuleSyntaxError("byte_test: expected bytes, operator, value, offset");
        }
        // 0 bytes with string: as many digits as there are (Suricata accepts it; ET Open uses it)
        int count = p.get(0).strip().equals("0") ? 0 : count("byte_test", p.get(0));
        String op = p.get(1).replace(" ", "");
        boolean negate = op.startsWith("!");
        if (negate) {
            op = op.substring(1);
        }
        if (!Set.of("<", ">", "=", "<=", ">=", "&", "^").contains(op)) {
            throw new RuleSyntaxError("byte_test: unknown operator '" + GroupParser.clip(p.get(1)) + "'");
        }
        Value compared = value("byte_test", p.get(2), variables, Long.MIN_VALUE, Long.MAX_VALUE);
        Value offset = value("byte_test", p.get(3), variables, -MAX_OFFSET, MAX_OFFSET);
        ReadFlags f = flags("byte_test", p.subList(4, p.size()), Set.of());
        if (count == 0 && f.encoding == Encoding.BINARY) {
            throw new RuleSyntaxError("byte_test: 0 bytes only with string");
        }
        return new Probe.ByteTest(buffer, f.read(count, offset, "byte_test"), op, negate, compared);
    }

    static Probe.ByteJump byteJump(String value, Buffer buffer, Set<String> variables) throws RuleSyntaxError, UnsupportedFeature {
        List<String> p = parts("byte_jump", value);
        if (p.size() < 2) {
            throw new RuleSyntaxError("byte_jump: expected bytes, offset");
        }
        int count = count("byte_jump", p.get(0));
        Value offset = value("byte_jump", p.get(1), variables, -MAX_OFFSET, MAX_OFFSET);
        ReadFlags f = flags("byte_jump", p.subList(2, p.size()), Set.of("multiplier", "align", "from_beginning", "from_end", "post_offset"));
        if (f.fromBeginning && f.fromEnd) {
            throw new RuleSyntaxError("byte_jump: from_beginning and from_end together");
        }
        return new Probe.ByteJump(buffer, f.read(count, offset, "byte_jump"), f.multiplier, f.align, f.fromBeginning, f.fromEnd,
                f.postOffset);
    }

    static Probe.ByteExtract byteExtract(String value, Buffer buffer, Set<String> variables) throws RuleSyntaxError, UnsupportedFeature {
        List<String> p = parts("byte_extract", value);
        if (p.size() < 3) {
            throw new RuleSyntaxError("byte_extract: expected bytes, offset, name");
        }
        int count = count("byte_extract", p.get(0));
        Value offset = Value.of(number("byte_extract", p.get(1), -MAX_OFFSET, MAX_OFFSET));
        String name = name("byte_extract", p.get(2));
        ReadFlags f = flags("byte_extract", p.subList(3, p.size()), Set.of("multiplier", "align"));
        variables.add(name);
        return new Probe.ByteExtract(buffer, f.read(count, offset, "byte_extract"), name, f.multiplier, f.align);
    }

    static Probe.ByteMath byteMath(String value, Buffer buffer, Set<String> variables) throws RuleSyntaxError, UnsupportedFeature {
        List<String> p = parts("byte_math", value);
        Integer count = null;
        Value offset = null;
        Character operator = null;
        Value rvalue = null;
        String result = null;
        List<String> rest = new ArrayList<>();
        for (String part : p) {
            int space = part.indexOf(' ');
            String key = (space < 0 ? part : part.substring(0, space)).toLowerCase(Locale.ROOT);
            String arg = space < 0 ? "" : part.substring(space + 1).strip();
            switch (key) {
                case "bytes" -> count = count("byte_math", arg);
                case "offset" -> offset = value("byte_math", arg, variables, -MAX_OFFSET, MAX_OFFSET);
                case "oper" -> operator = switch (arg) {
                    case "+" -> '+';
                    case "-" -> '-';
                    case "*" -> '*';
                    case "/" -> '/';
                    case "<<" -> '<';
                    case ">>" -> '>';
                    default -> throw new RuleSyntaxError("byte_math: unknown oper '" + GroupParser.clip(arg) + "'");
                };
                case "rvalue" -> rvalue = value("byte_math", arg, variables, 0, 0xFFFF_FFFFL);
                case "result" -> result = name("byte_math", arg);
                case "endian" -> rest.add(arg);
                case "string" -> {
                    rest.add("string");
                    rest.add(arg);
                }
                default -> rest.add(part);
            }
        }
        if (count == null || offset == null || operator == null || rvalue == null || result == null) {
            throw new RuleSyntaxError("byte_math: needs bytes, offset, oper, rvalue and result");
        }
        ReadFlags f = flags("byte_math", rest, Set.of());
        variables.add(result);
        return new Probe.ByteMath(buffer, f.read(count, offset, "byte_math"), operator, rvalue, result);
    }

    /** The modifiers after the fixed fields of the byte_* keywords. */
    private static final class ReadFlags {
        boolean relative;
        Boolean little;
        Encoding encoding = Encoding.BINARY;
        long bitmask;
        long multiplier = 1;
        boolean align;
        boolean fromBeginning;
        boolean fromEnd;
        long postOffset;

        Read read(int count, Value offset, String keyword) throws RuleSyntaxError {
            if (encoding == Encoding.BINARY && count > MAX_BINARY) {
                throw new RuleSyntaxError(keyword + ": at most " + MAX_BINARY + " bytes unless string");
            }
            if (encoding != Encoding.BINARY && count > MAX_STRING) {
                throw new RuleSyntaxError(keyword + ": at most " + MAX_STRING + " digits");
            }
            return new Read(count, offset, relative, little != null && little, encoding, bitmask);
        }
    }

    private static ReadFlags flags(String keyword, List<String> parts, Set<String> allowed) throws RuleSyntaxError, UnsupportedFeature {
        ReadFlags f = new ReadFlags();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            int space = part.indexOf(' ');
            String key = (space < 0 ? part : part.substring(0, space)).toLowerCase(Locale.ROOT);
            String arg = space < 0 ? "" : part.substring(space + 1).strip();
            switch (key) {
                case "relative" -> f.relative = true;
                case "big" -> f.little = endian(keyword, f.little, false);
                case "little" -> f.little = endian(keyword, f.little, true);
                case "string" -> {
                    String base = arg.toLowerCase(Locale.ROOT);
                    if (base.isEmpty()) {
                        String next = i + 1 < parts.size() ? parts.get(i + 1).toLowerCase(Locale.ROOT) : "";
                        base = Set.of("dec", "hex", "oct").contains(next) ? parts.get(++i).toLowerCase(Locale.ROOT) : "dec";
                    }
                    f.encoding = switch (base) {
                        case "dec" -> Encoding.DEC;
                        case "hex" -> Encoding.HEX;
                        case "oct" -> Encoding.OCT;
                        default -> throw new RuleSyntaxError(keyword + ": string needs dec, hex or oct, found '" + GroupParser.clip(base) + "'");
                    };
                }
                case "dec", "hex", "oct" -> f.encoding = Encoding.valueOf(key.toUpperCase(Locale.ROOT)); // "string dec" split by a comma
                case "bitmask" -> f.bitmask = bitmask(keyword, arg);
                case "dce" -> throw new UnsupportedFeature(keyword + ":dce", keyword + " with dce needs DCE/RPC decoding");
                case "multiplier" -> {
                    allow(keyword, key, allowed);
                    f.multiplier = number(keyword, arg, 1, 65535);
                }
                case "align" -> {
                    allow(keyword, key, allowed);
                    if (!arg.isEmpty() && !arg.equals("4") && !arg.equals("2")) {
                        throw new RuleSyntaxError(keyword + ": align takes 2 or 4");
                    }
                    f.align = true;
                }
                case "from_beginning" -> {
                    allow(keyword, key, allowed);
                    f.fromBeginning = true;
                }
                case "from_end" -> {
                    allow(keyword, key, allowed);
                    f.fromEnd = true;
                }
                case "post_offset" -> {
                    allow(keyword, key, allowed);
                    f.postOffset = number(keyword, arg, -MAX_OFFSET, MAX_OFFSET);
                }
                default -> throw new RuleSyntaxError(keyword + ": unknown option '" + GroupParser.clip(part) + "'");
            }
        }
        return f;
    }

    private static void allow(String keyword, String key, Set<String> allowed) throws RuleSyntaxError {
        if (!allowed.contains(key)) {
            throw new RuleSyntaxError(keyword + ": " + key + " is not an option of " + keyword);
        }
    }

    private static Boolean endian(String keyword, Boolean old, boolean little) throws RuleSyntaxError {
        if (old != null && old != little) {
            throw new RuleSyntaxError(keyword + ": both big and little endian");
        }
        return little;
    }

    private static long bitmask(String keyword, String v) throws RuleSyntaxError {
        String s = v.toLowerCase(Locale.ROOT);
        try {
            long m = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
            if (m == 0) {
                throw new RuleSyntaxError(keyword + ": bitmask 0 matches nothing");
            }
            return m;
        } catch (NumberFormatException e) {
            throw new RuleSyntaxError(keyword + ": bad bitmask '" + GroupParser.clip(v) + "'");
        }
    }

    // ---- threshold, detection_filter ----------------------------------------------------------

    static Threshold threshold(String keyword, String value) throws RuleSyntaxError, UnsupportedFeature {
        Threshold.Type type = keyword.equals("detection_filter") ? Threshold.Type.DETECTION_FILTER : null;
        Threshold.Track track = null;
        Integer count = null;
        Integer seconds = null;
        for (String part : parts(keyword, value)) {
            int space = part.indexOf(' ');
            if (space < 0) {
                throw new RuleSyntaxError(keyword + ": expected 'name value' but found '" + GroupParser.clip(part) + "'");
            }
            String key = part.substring(0, space).toLowerCase(Locale.ROOT);
            String arg = part.substring(space + 1).strip().toLowerCase(Locale.ROOT);
            switch (key) {
                case "type" -> {
                    if (keyword.equals("detection_filter")) {
                        throw new RuleSyntaxError("detection_filter: takes no type");
                    }
                    type = switch (arg) {
                        case "limit" -> Threshold.Type.LIMIT;
                        case "threshold" -> Threshold.Type.THRESHOLD;
                        case "both" -> Threshold.Type.BOTH;
                        case "backoff" -> throw new UnsupportedFeature("threshold:backoff", "threshold type backoff is not supported");
                        default -> throw new RuleSyntaxError(keyword + ": unknown type '" + GroupParser.clip(arg) + "'");
                    };
                }
                case "track" -> track = switch (arg) {
                    case "by_src" -> Threshold.Track.BY_SRC;
                    case "by_dst" -> Threshold.Track.BY_DST;
                    case "by_rule" -> Threshold.Track.BY_RULE;
                    case "by_both" -> Threshold.Track.BY_BOTH;
                    case "by_flow" -> Threshold.Track.BY_FLOW;
                    default -> throw new RuleSyntaxError(keyword + ": unknown track '" + GroupParser.clip(arg) + "'");
                };
                case "count" -> count = (int) number(keyword, arg, 1, Integer.MAX_VALUE);
                case "seconds" -> seconds = (int) number(keyword, arg, 1, Integer.MAX_VALUE);
                case "multiplier" -> throw new UnsupportedFeature("threshold:backoff", "threshold multiplier (backoff) is not supported");
                default -> throw new RuleSyntaxError(keyword + ": unknown option '" + GroupParser.clip(key) + "'");
            }
        }
        if (type == null || track == null || count == null || seconds == null) {
            throw new RuleSyntaxError(keyword + ": needs " + (keyword.equals("threshold") ? "type, " : "") + "track, count and seconds");
        }
        return new Threshold(type, track, count, seconds);
    }

    // ---- small readers -------------------------------------------------------------------------

    /** Splits on commas and strips; an empty part is an error. */
    private static List<String> parts(String keyword, String value) throws RuleSyntaxError {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            String t = s.strip();
            if (t.isEmpty()) {
                throw new RuleSyntaxError(keyword + ": empty field in '" + GroupParser.clip(value) + "'");
            }
            out.add(t);
        }
        return out;
    }

    private static int count(String keyword, String v) throws RuleSyntaxError {
        return (int) number(keyword, v, 1, MAX_STRING);
    }

    private static long number(String keyword, String v) throws RuleSyntaxError {
        return number(keyword, v, 0, Integer.MAX_VALUE);
    }

    private static long number(String keyword, String v, long min, long max) throws RuleSyntaxError {
        String s = v.strip();
        long n;
        try {
            n = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RuleSyntaxError(keyword + ": not a number '" + GroupParser.clip(s) + "'");
        }
        if (n < min || n > max) {
            throw new RuleSyntaxError(keyword + ": " + n + " out of range " + min + ".." + max);
        }
        return n;
    }

    /** A number, or the name of a variable set before. */
    private static Value value(String keyword, String v, Set<String> variables, long min, long max) throws RuleSyntaxError {
        String s = v.strip();
        if (!s.isEmpty() && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '_') && !s.startsWith("0x")) {
            if (!variables.contains(s)) {
                throw new RuleSyntaxError(keyword + ": variable '" + GroupParser.clip(s) + "' is not set by a byte_extract or byte_math before it");
            }
            return Value.var(s);
        }
        return Value.of(number(keyword, s, min, max));
    }

    private static String name(String keyword, String v) throws RuleSyntaxError {
        String s = v.strip();
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            throw new RuleSyntaxError(keyword + ": bad variable name '" + GroupParser.clip(s) + "'");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
                throw new RuleSyntaxError(keyword + ": bad variable name '" + GroupParser.clip(s) + "'");
            }
        }
        return s;
    }
}
