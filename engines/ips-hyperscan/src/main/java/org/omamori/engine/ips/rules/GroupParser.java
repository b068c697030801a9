package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The list syntax shared by address and port fields: {@code any}, {@code $VAR}, literals,
 * {@code !x}, and lists {@code [a,b,!c]} that nest. In a list the plain items are united and
 * the negated ones taken away, as Suricata does ({@code [10.0.0.0/8,!10.1.0.0/16]}); a list of
 * negated items only takes them away from everything.
 *
 * <p>Hand-written recursive descent, so no regular expression can backtrack; nesting (lists
 * and variables together) and the number of items are bounded, and resolved variables are
 * cached so that {@code A=[$B,$B]}, {@code B=[$C,$C]}, … cannot blow up.
 *
 * @param <S> the set the field denotes
 */
abstract class GroupParser<S> {

    static final int MAX_DEPTH = 32;
    static final int MAX_ITEMS = 4096;

    private final String what;
    private final Map<String, String> variables;
    private final Map<String, String> otherKind;
    private final Map<String, S> resolved = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();

    private String text;
    private int pos;
    private int items;

    /**
     * @param what      "address" or "port", for messages
     * @param variables this kind's variables
     * @param otherKind the other kind's variables, to say so when one is used in the wrong field
     */
    GroupParser(String what, Map<String, String> variables, Map<String, String> otherKind) {
        this.what = what;
        this.variables = variables;
        this.otherKind = otherKind;
    }

    abstract S everything();

    abstract S literal(String token) throws RuleSyntaxError;

    abstract S complement(S s) throws RuleSyntaxError, UnsupportedFeature;

    abstract S union(S a, S b) throws UnsupportedFeature;

    abstract S minus(S a, S b) throws UnsupportedFeature;

    /** Parses a whole field. Not thread-safe: one parser per thread (the cache is mutable). */
    final S parse(String field) throws RuleSyntaxError, UnsupportedFeature {
        return parse(field, 0);
    }

    private S parse(String field, int depth) throws RuleSyntaxError, UnsupportedFeature {
        String savedText = text;
        int savedPos = pos;
        text = field;
        pos = 0;
        if (resolving.isEmpty()) {
            items = 0;
        }
        try {
            skipSpaces();
            if (pos == text.length()) {
                throw new RuleSyntaxError("empty " + what);
            }
            S s = expression(depth);
            skipSpaces();
            if (pos != text.length()) {
                throw new RuleSyntaxError("unexpected '" + text.charAt(pos) + "' in " + what + " '" + clip(field) + "'");
            }
            return s;
        } finally {
            text = savedText;
            pos = savedPos;
        }
    }

    private S expression(int depth) throws RuleSyntaxError, UnsupportedFeature {
        if (depth > MAX_DEPTH) {
            throw new RuleSyntaxError(what + " nested more than " + MAX_DEPTH + " deep");
        }
        skipSpaces();
        if (pos == text.length()) {
            throw new RuleSyntaxError("missing " + what + " after '" + clip(text) + "'");
        }
        char c = text.charAt(pos);
        if (c == '!') {
            pos++;
            return complement(expression(depth + 1));
        }
        if (c == '[') {
            pos++;
            return list(depth + 1);
        }
        int start = pos;
        while (pos < text.length() && !isDelimiter(text.charAt(pos))) {
            pos++;
        }
        String token = text.substring(start, pos);
        if (token.isEmpty()) {
            throw new RuleSyntaxError("missing " + what + " before '" + c + "'");
        }
        if (++items > MAX_ITEMS) {
            throw new RuleSyntaxError(what + " has more than " + MAX_ITEMS + " items");
        }
        if (token.equalsIgnoreCase("any")) {
            return everything();
        }
        if (token.charAt(0) == '$') {
            return variable(token.substring(1), depth);
        }
        return literal(token);
    }

    private S list(int depth) throws RuleSyntaxError, UnsupportedFeature {
        S plain = null;
        S negated = null;
        while (true) {
            skipSpaces();
            boolean not = false;
            if (pos < text.length() && text.charAt(pos) == '!') {
                not = true;
                pos++;
            }
            S item = expression(depth);
            if (not) {
                negated = negated == null ? item : union(negated, item);
            } else {
                plain = plain == null ? item : union(plain, item);
            }
            skipSpaces();
            if (pos == text.length()) {
                throw new RuleSyntaxError("unterminated list in " + what + " '" + clip(text) + "'");
            }
            char c = text.charAt(pos++);
            if (c == ']') {
                break;
            }
            if (c != ',') {
                throw new RuleSyntaxError("unexpected '" + c + "' in " + what + " list '" + clip(text) + "'");
            }
        }
        S base = plain == null ? everything() : plain;
        return negated == null ? base : minus(base, negated);
    }

    private S variable(String name, int depth) throws RuleSyntaxError, UnsupportedFeature {
        S cached = resolved.get(name);
        if (cached != null) {
            return cached;
        }
        String value = variables.get(name);
        if (value == null) {
            if (otherKind.containsKey(name)) {
                throw new RuleSyntaxError("$" + name + " is not an " + what + " variable");
            }
            throw new RuleSyntaxError("undefined variable $" + name);
        }
        if (!resolving.add(name)) {
            throw new RuleSyntaxError("variable $" + name + " refers to itself");
        }
        try {
            if (depth + 1 > MAX_DEPTH) {
                throw new RuleSyntaxError(what + " nested more than " + MAX_DEPTH + " deep");
            }
            S s;
            try {
                s = parse(value, depth + 1);
            } catch (RuleSyntaxError e) {
                String m = e.getMessage();
                throw new RuleSyntaxError(m.contains("$" + name) ? m : "$" + name + ": " + m);
            }
            resolved.put(name, s);
            return s;
        } finally {
            resolving.remove(name);
        }
    }

    private static boolean isDelimiter(char c) {
        return c == ',' || c == ']' || c == '[' || c == '!' || Character.isWhitespace(c);
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
