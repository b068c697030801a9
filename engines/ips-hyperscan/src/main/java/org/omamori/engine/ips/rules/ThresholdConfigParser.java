package org.omamori.engine.ips.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads Suricata's {@code threshold.config} (docs.suricata.io, "Global-Thresholds"):
 * <pre>
 * suppress gen_id G, sig_id S[, track by_src|by_dst|by_either, ip ADDRESSES]
 * threshold|event_filter gen_id G, sig_id S, type limit|threshold|both, track by_src|by_dst|by_rule|by_both|by_flow, count N, seconds T
 * rate_filter gen_id G, sig_id S, track by_src|by_dst|by_rule|by_both, count N, seconds T, new_action alert|drop|pass|reject, timeout T
 * </pre>
 * UTF-8; blank lines and lines starting with {@code #} are skipped; a line ending in {@code \}
 * continues on the next. The options after {@code sig_id} may come in any order. {@code ip} takes
 * rule address syntax: an address, a block, a list {@code [a,b]} or a variable ({@code $HOME_NET}).
 * Every line that is not one of these fails the file with its file name and line: a tuning file
 * half read would let noise through or hide alerts the operator did not mean to hide.
 */
public final class ThresholdConfigParser {

    /** Bounds against hostile or mistaken input: a threshold file is a few hundred lines. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;
    public static final int MAX_LINE = 8192;
    public static final int MAX_ENTRIES = 100_000;
    /** Errors listed in the message of a file that fails; the exception holds them all. */
    private static final int ERRORS_IN_MESSAGE = 10;

    private final Variables variables;

    public ThresholdConfigParser(Variables variables) {
        this.variables = variables;
    }

    /** A threshold file that does not read: every bad line with file and line. */
    public static final class Invalid extends Exception {
        private final List<RuleParseException> errors;

        Invalid(List<RuleParseException> errors) {
            super(message(errors), null, false, false);
            this.errors = List.copyOf(errors);
        }

        public List<RuleParseException> errors() {
            return errors;
        }

        private static String message(List<RuleParseException> errors) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(ERRORS_IN_MESSAGE, errors.size()); i++) {
                s.append(i == 0 ? "" : "; ").append(errors.get(i).getMessage());
            }
            if (errors.size() > ERRORS_IN_MESSAGE) {
                s.append("; and ").append(errors.size() - ERRORS_IN_MESSAGE).append(" more");
            }
            return s.toString();
        }
    }

    /** Reads a file; the name in messages is its path as given. */
    public ThresholdConfig read(Path file) throws IOException, Invalid {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        }
    }

    /** Reads {@code in} to its end (at most {@link #MAX_BYTES}). */
    public ThresholdConfig read(String name, InputStream in) throws IOException, Invalid {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new Invalid(List.of(new RuleParseException(name, 0, "larger than " + MAX_BYTES / (1024 * 1024)
                    + " MiB: not a threshold file")));
        }
        List<RuleParseException> errors = new ArrayList<>();
        List<ThresholdConfig.Entry> entries = new ArrayList<>();
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        int number = 0;
        StringBuilder pending = null;
        int pendingLine = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            number++;
            String line = decode(bytes, start, end);
            start = end + 1;
            if (line == null) {
                errors.add(new RuleParseException(name, number, "not UTF-8"));
                pending = null;
                continue;
            }
            if (line.length() > MAX_LINE) {
                errors.add(new RuleParseException(name, number, "line longer than " + MAX_LINE + " characters"));
                pending = null;
                continue;
            }
            String t = line.strip();
            if (pending == null && (t.isEmpty() || t.charAt(0) == '#')) {
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                pendingLine = number;
            }
            boolean continues = t.endsWith("\\");
            pending.append(continues ? t.substring(0, t.length() - 1) : t).append(' ');
            if (pending.length() > MAX_LINE) {
                errors.add(new RuleParseException(name, pendingLine, "entry longer than " + MAX_LINE + " characters"));
                pending = null;
                continue;
            }
            if (continues) {
                continue;
            }
            try {
                entries.add(entry(pending.toString().strip(), new Rule.Origin(name, pendingLine)));
            } catch (RuleSyntaxError e) {
                errors.add(new RuleParseException(name, pendingLine, e.getMessage()));
            }
            pending = null;
            if (entries.size() > MAX_ENTRIES) {
                errors.add(new RuleParseException(name, number, "more than " + MAX_ENTRIES + " entries"));
                break;
            }
        }
        if (pending != null) {
            errors.add(new RuleParseException(name, pendingLine, "file ends inside an entry continued with '\\'"));
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new ThresholdConfig(entries);
    }

    private static String decode(byte[] bytes, int from, int to) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, end - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** One entry, continuation lines joined. */
    ThresholdConfig.Entry entry(String text, Rule.Origin origin) throws RuleSyntaxError {
        int space = firstSpace(text);
        String kind = text.substring(0, space);
        List<String> parts = splitTopLevel(text.substring(space).strip());
        if (!Set.of("suppress", "threshold", "event_filter", "rate_filter").contains(kind)) {
            throw new RuleSyntaxError("unknown entry '" + clip(kind) + "': expected suppress, threshold, event_filter or rate_filter");
        }
        if (parts.size() < 2) {
            throw new RuleSyntaxError(kind + " needs 'gen_id G, sig_id S' first");
        }
        int gid = (int) number(kind, "gen_id", value("gen_id", parts.get(0), kind), Integer.MAX_VALUE);
        long sid = number(kind, "sig_id", value("sig_id", parts.get(1), kind), 0xFFFF_FFFFL);
        if (gid == 0 && sid != 0) {
            throw new RuleSyntaxError("gen_id 0 with sig_id " + sid + ": a rule is named by gen_id 1 (Suricata refuses this too)");
        }
        Map<String, String> options = options(kind, parts.subList(2, parts.size()));
        return switch (kind) {
            case "suppress" -> suppress(gid, sid, options, origin);
            case "rate_filter" -> rateFilter(gid, sid, options, origin);
            default -> eventFilter(kind, gid, sid, options, origin);
        };
    }

    private ThresholdConfig.Suppress suppress(int gid, long sid, Map<String, String> o, Rule.Origin origin) throws RuleSyntaxError {
        only("suppress", o, Set.of("track", "ip"));
        if (o.isEmpty()) {
            return new ThresholdConfig.Suppress(gid, sid, null, AddressSpec.ANY, origin);
        }
        if (!o.containsKey("track") || !o.containsKey("ip")) {
            throw new RuleSyntaxError("suppress takes 'track' and 'ip' together, or neither");
        }
        ThresholdConfig.SuppressTrack track = switch (o.get("track")) {
            case "by_src" -> ThresholdConfig.SuppressTrack.BY_SRC;
            case "by_dst" -> ThresholdConfig.SuppressTrack.BY_DST;
            case "by_either" -> ThresholdConfig.SuppressTrack.BY_EITHER;
            default -> throw new RuleSyntaxError("suppress track must be by_src, by_dst or by_either, not '" + clip(o.get("track")) + "'");
        };
        AddressSpec ip;
        try {
            ip = new AddressParser(variables).spec(o.get("ip"));
        } catch (RuleSyntaxError e) {
            throw new RuleSyntaxError("suppress ip: " + e.getMessage());
        } catch (UnsupportedFeature e) {
            throw new RuleSyntaxError("suppress ip: " + e.getMessage() + " is not supported");
        }
        return new ThresholdConfig.Suppress(gid, sid, track, ip, origin);
    }

    private static ThresholdConfig.EventFilter eventFilter(String kind, int gid, long sid, Map<String, String> o,
                                                           Rule.Origin origin) throws RuleSyntaxError {
        only(kind, o, Set.of("type", "track", "count", "seconds"));
        required(kind, o, "type", "track", "count", "seconds");
        Threshold.Type type = switch (o.get("type")) {
            case "limit" -> Threshold.Type.LIMIT;
            case "threshold" -> Threshold.Type.THRESHOLD;
            case "both" -> Threshold.Type.BOTH;
            default -> throw new RuleSyntaxError(kind + " type must be limit, threshold or both, not '" + clip(o.get("type")) + "'");
        };
        Threshold.Track track = track(kind, o.get("track"), true);
        int count = (int) atLeastOne(kind, "count", o.get("count"));
        int seconds = (int) atLeastOne(kind, "seconds", o.get("seconds"));
        return new ThresholdConfig.EventFilter(gid, sid, new Threshold(type, track, count, seconds), origin);
    }

    private static ThresholdConfig.RateFilter rateFilter(int gid, long sid, Map<String, String> o, Rule.Origin origin)
            throws RuleSyntaxError {
        String kind = "rate_filter";
        only(kind, o, Set.of("track", "count", "seconds", "new_action", "timeout"));
        required(kind, o, "track", "count", "seconds", "new_action", "timeout");
        Threshold.Track track = track(kind, o.get("track"), false);
        ThresholdConfig.NewAction action = switch (o.get("new_action")) {
            case "alert" -> ThresholdConfig.NewAction.ALERT;
            case "drop" -> ThresholdConfig.NewAction.DROP;
            case "pass" -> ThresholdConfig.NewAction.PASS;
            case "reject" -> ThresholdConfig.NewAction.REJECT;
            case "sdrop", "log" -> throw new RuleSyntaxError("rate_filter new_action " + o.get("new_action")
                    + " is not supported (Suricata parses it but does not implement it): use alert, drop, pass or reject");
            default -> throw new RuleSyntaxError("rate_filter new_action must be alert, drop, pass or reject, not '"
                    + clip(o.get("new_action")) + "'");
        };
        int count = (int) atLeastOne(kind, "count", o.get("count"));
        int seconds = (int) atLeastOne(kind, "seconds", o.get("seconds"));
        int timeout = (int) number(kind, "timeout", o.get("timeout"), Integer.MAX_VALUE);
        return new ThresholdConfig.RateFilter(gid, sid, track, count, seconds, action, timeout, origin);
    }

    private static Threshold.Track track(String kind, String value, boolean byFlow) throws RuleSyntaxError {
        return switch (value) {
            case "by_src" -> Threshold.Track.BY_SRC;
            case "by_dst" -> Threshold.Track.BY_DST;
            case "by_rule" -> Threshold.Track.BY_RULE;
            case "by_both" -> Threshold.Track.BY_BOTH;
            case "by_flow" -> {
                if (!byFlow) {
                    throw new RuleSyntaxError(kind + " track must be by_src, by_dst, by_rule or by_both, not 'by_flow'");
                }
                yield Threshold.Track.BY_FLOW;
            }
            default -> throw new RuleSyntaxError(kind + " track must be by_src, by_dst, by_rule, by_both"
                    + (byFlow ? " or by_flow" : "") + ", not '" + clip(value) + "'");
        };
    }

    /** {@code key value} pairs after gen_id and sig_id, each key once. */
    private static Map<String, String> options(String kind, List<String> parts) throws RuleSyntaxError {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new RuleSyntaxError(kind + ": empty option (two commas, or a comma at the end)");
            }
            int space = firstSpace(p);
            String key = p.substring(0, space).toLowerCase(Locale.ROOT);
            String value = p.substring(space).strip();
            if (value.isEmpty()) {
                throw new RuleSyntaxError(kind + ": option '" + clip(key) + "' has no value");
            }
            if (out.put(key, value) != null) {
                throw new RuleSyntaxError(kind + ": option '" + clip(key) + "' given twice");
            }
        }
        return out;
    }

    private static void only(String kind, Map<String, String> options, Set<String> allowed) throws RuleSyntaxError {
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new RuleSyntaxError(kind + ": unknown option '" + clip(key) + "' (expected "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static void required(String kind, Map<String, String> options, String... keys) throws RuleSyntaxError {
        for (String k : keys) {
            if (!options.containsKey(k)) {
                throw new RuleSyntaxError(kind + " needs '" + k + "'");
            }
        }
    }

    /** {@code gen_id 1}: the value after the expected key. */
    private static String value(String key, String part, String kind) throws RuleSyntaxError {
        int space = firstSpace(part);
        if (!part.substring(0, space).equals(key)) {
            throw new RuleSyntaxError(kind + ": expected '" + key + " N', found '" + clip(part) + "'");
        }
        return part.substring(space).strip();
    }

    private static long atLeastOne(String kind, String key, String value) throws RuleSyntaxError {
        long n = number(kind, key, value, Integer.MAX_VALUE);
        if (n < 1) {
            throw new RuleSyntaxError(kind + " " + key + " must be at least 1");
        }
        return n;
    }

    private static long number(String kind, String key, String value, long max) throws RuleSyntaxError {
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RuleSyntaxError(kind + " " + key + " must be a number, not '" + clip(value) + "'");
        }
        long n = Long.parseLong(value);
        if (n > max) {
            throw new RuleSyntaxError(kind + " " + key + " " + value + " is too large (at most " + max + ")");
        }
        return n;
    }

    /** Splits on commas outside {@code [...]} (an ip list has its own commas). */
    private static List<String> splitTopLevel(String s) throws RuleSyntaxError {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                if (--depth < 0) {
                    throw new RuleSyntaxError("']' without '['");
                }
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(from, i).strip());
                from = i + 1;
            }
        }
        if (depth != 0) {
            throw new RuleSyntaxError("'[' without ']'");
        }
        out.add(s.substring(from).strip());
        return out;
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return s.length();
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
