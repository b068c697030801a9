package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Splitting the option list and reading option values: numbers, texts, metadata. All by hand, linear. */
final class OptionValues {

    private OptionValues() {
    }

    /** One {@code name} or {@code name:value} option; the name is lower case. */
    record Option(String name, String value) {
        String label() {
            return name;
        }
    }


    /**
     * Splits {@code name; name:value; ...}. A value ends at the first {@code ;} not escaped as
     * {@code \;}, quotes or not, as in Suricata: a pcre may hold a bare {@code "}, while a
     * {@code ;} in a message must be escaped. The last option may omit its {@code ;}.
     */
    static List<Option> options(String body) throws RuleSyntaxError {
        List<Option> options = new ArrayList<>();
        int n = body.length();
        int i = 0;
        while (true) {
            while (i < n && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return options;
            }
            if (options.size() == RuleParser.MAX_OPTIONS) {
                throw new RuleSyntaxError("more than " + RuleParser.MAX_OPTIONS + " options");
            }
            int start = i;
            while (i < n && body.charAt(i) != ':' && body.charAt(i) != ';' && !Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            String name = body.substring(start, i).toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !isOptionName(name)) {
                throw new RuleSyntaxError("bad option name '" + GroupParser.clip(body.substring(start, Math.min(n, Math.max(i, start + 1)))) + "'");
            }
            while (i < n && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            if (i == n) {
                options.add(new Option(name, null));
                return options;
            }
            char c = body.charAt(i);
            if (c == ';') {
                options.add(new Option(name, null));
                i++;
                continue;
            }
            if (c != ':') {
                throw new RuleSyntaxError(name + ": expected ':' or ';' after the option name");
            }
            i++;
            int valueStart = i;
            while (i < n) {
                char v = body.charAt(i);
                if (v == '\\') {
                    i += 2;
                    continue;
                }
                if (v == ';') {
                    break;
                }
                i++;
            }
            String value = body.substring(valueStart, Math.min(i, n)).strip();
            options.add(new Option(name, value));
            i++;
        }
    }

    static boolean isOptionName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean isWord(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static String required(Option o) throws RuleSyntaxError {
        if (o.value() == null || o.value().isEmpty()) {
            throw new RuleSyntaxError(o.name() + ": missing value");
        }
        return o.value();
    }

    static void noValue(Option o) throws RuleSyntaxError {
        if (o.value() != null) {
            throw new RuleSyntaxError(o.name() + ": takes no value");
        }
    }

    static int intValue(Option o, int min, int max) throws RuleSyntaxError {
        String v = required(o);
        Long value = number(v);
        if (value == null) {
            throw new RuleSyntaxError(o.name() + ": not a number '" + GroupParser.clip(v) + "'");
        }
        return inRange(o, value, min, max);
    }

    /**
     * A decimal number in {@code [min, max]} for a content modifier, where a name instead stands
     * for a value extracted by {@code byte_extract}, which the engine does not do.
     */
    static int modifierValue(Option o, int min, int max, java.util.Set<String> variables) throws RuleSyntaxError, UnsupportedFeature {
        String v = required(o);
        Long value = number(v);
        if (value == null) {
            if (isIdentifier(v) && !variables.contains(v)) {
                throw new RuleSyntaxError(o.name() + ": variable '" + GroupParser.clip(v) + "' is not set by a byte_extract or byte_math before it");
            }
            if (isIdentifier(v)) {
                throw new UnsupportedFeature("content-variable", o.name() + " uses the variable " + v + " (a byte_extract value as a content position)");
            }
            throw new RuleSyntaxError(o.name() + ": not a number '" + GroupParser.clip(v) + "'");
        }
        return inRange(o, value, min, max);
    }

    static int inRange(Option o, long value, int min, int max) throws RuleSyntaxError {
        if (value < min || value > max) {
            throw new RuleSyntaxError(o.name() + ": " + value + " out of range " + min + ".." + max);
        }
        return (int) value;
    }

    /** An optionally signed decimal of at most 10 digits, or null. */
    static Long number(String v) {
        int i = 0;
        boolean negative = false;
        if (v.charAt(0) == '-' || v.charAt(0) == '+') {
            negative = v.charAt(0) == '-';
            i = 1;
        }
        if (i == v.length() || v.length() - i > 10) {
            return null;
        }
        long value = 0;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    static boolean isIdentifier(String v) {
        if (v.isEmpty() || !(Character.isLetter(v.charAt(0)) || v.charAt(0) == '_')) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    /** A text value: quoted or not; backslash escapes ({@code \"}, {@code \;}, {@code \\}) are undone. */
    static String text(Option o) throws RuleSyntaxError {
        String v = required(o);
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
        } else if (v.charAt(0) == '"') {
            throw new RuleSyntaxError(o.name() + ": missing closing quote (an unescaped ';' ends the value)");
        }
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                c = v.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * {@code key value, key value}: keys lower case; a key may come more than once. Each key and
     * value is the one equal text of {@code texts} (added when new).
     */
    static void metadata(String value, Map<String, List<String>> metadata, Map<String, String> texts) {
        for (String entry : value.split(",", -1)) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int space = indexOfSpace(e);
            String key = (space < 0 ? e : e.substring(0, space)).toLowerCase(Locale.ROOT);
            String v = space < 0 ? "" : e.substring(space + 1).strip();
            metadata.computeIfAbsent(once(texts, key), k -> new ArrayList<>()).add(once(texts, v));
        }
    }

    private static String once(Map<String, String> texts, String s) {
        String kept = texts.putIfAbsent(s, s);
        return kept == null ? s : kept;
    }

    static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static void fastPattern(Option o) throws RuleSyntaxError {
        String v = o.value();
        if (v == null || v.equals("only")) {
            return;
        }
        int comma = v.indexOf(',');
        if (comma > 0 && comma < v.length() - 1 && digits(v.substring(0, comma).strip())
                && digits(v.substring(comma + 1).strip())) {
            return; // fast_pattern:offset,length picks a slice; the engine picks its own
        }
        throw new RuleSyntaxError("fast_pattern: expected nothing, 'only' or 'offset,length' but found '"
                + GroupParser.clip(v) + "'");
    }

    static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
