package org.omamori.engine.ips;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.omamori.engine.ips.rules.Pcre;

/**
 * PCRE as rules write it, for the JDK's regex engine (used only to confirm a candidate on
 * bounded bytes). Bytes are matched as ISO-8859-1 characters, so {@code \xff} means the byte
 * 0xff. The dialects differ in a few places rules use often, rewritten here: Python-style named
 * groups and references, group names with underscores, a literal {@code {} that PCRE reads as
 * a character when it starts no quantifier, and one-digit {@code \x} escapes.
 */
final class PcreTranslation {

    /** An inline flag group that turns on free-spacing mode, e.g. {@code (?x)} or {@code (?ix:}. */
    private static final Pattern INLINE_COMMENTS = Pattern.compile("\\(\\?[a-zA-Z]*x");

    private PcreTranslation() {
    }

    /** The JDK pattern for a pcre; throws IllegalArgumentException naming what Java cannot read. */
    static Pattern toJava(Pcre p) {
        // PCRE's newline is \n alone: . matches \r and \x85, ^ and $ see no other line ends.
        int flags = Pattern.UNIX_LINES;
        if (p.caseless()) {
            flags |= Pattern.CASE_INSENSITIVE;
        }
        if (p.dotAll()) {
            flags |= Pattern.DOTALL;
        }
        if (p.multiline()) {
            flags |= Pattern.MULTILINE;
        }
        if (p.extended()) {
            flags |= Pattern.COMMENTS;
        }
        try {
            return Pattern.compile(javaSyntax(p.pattern()), flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pcre the JDK cannot read: " + e.getDescription());
        }
    }

    /**
     * The literal every match of the pattern begins with (ASCII, at least 3 characters), or null
     * when there is none or the pattern is one this simple reading might get wrong: free-spacing
     * mode (where {@code #} starts a comment), {@code \Q}, {@code \G}, or an alternation at the
     * top level. The literal ends before the first metacharacter, escape of a letter or digit, or
     * character a quantifier follows.
     */
    static String literalPrefix(Pattern pattern) {
        String re = pattern.pattern();
        if ((pattern.flags() & (Pattern.COMMENTS | Pattern.LITERAL | Pattern.CANON_EQ | Pattern.UNICODE_CASE)) != 0
                || re.contains("\\Q") || re.contains("\\G") || INLINE_COMMENTS.matcher(re).find() || hasTopLevelAlternation(re)) {
            return null;
        }
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < re.length()) {
            char c = re.charAt(i);
            char lit;
            int next;
            if (c == '\\' && i + 1 < re.length()) {
                lit = re.charAt(i + 1);
                next = i + 2;
                if (lit < 0x20 || lit >= 0x80 || Character.isLetterOrDigit(lit) || Character.isWhitespace(lit)) {
                    break; // a class, anchor, back-reference or code escape: not a plain character
                }
            } else if (c >= 0x20 && c < 0x7f && "^$.|?*+()[]{}\\".indexOf(c) < 0) {
                lit = c;
                next = i + 1;
            } else {
                break;
            }
            if (next < re.length() && "?*+{".indexOf(re.charAt(next)) >= 0) {
                break; // quantified: the character may be absent or repeated
            }
            literal.append(lit);
            i = next;
        }
        return literal.length() >= 3 ? literal.toString() : null;
    }

    /** A {@code |} outside any group or character class (Java classes nest). */
    private static boolean hasTopLevelAlternation(String re) {
        int groups = 0;
        int classes = 0;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                classes++;
            } else if (c == ']' && classes > 0) {
                classes--;
            } else if (classes == 0 && c == '(') {
                groups++;
            } else if (classes == 0 && c == ')') {
                groups--;
            } else if (classes == 0 && groups <= 0 && c == '|') {
                return true;
            }
        }
        return false;
    }

    static String javaSyntax(String pcre) {
        StringBuilder out = new StringBuilder(pcre.length() + 16);
        boolean inClass = false;
        int n = pcre.length();
        for (int i = 0; i < n; i++) {
            char c = pcre.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char e = pcre.charAt(i + 1);
                int nameEnd = e == 'k' && i + 2 < n && pcre.charAt(i + 2) == '<' ? pcre.indexOf('>', i + 3) : -1;
                if (nameEnd > 0) {
                    out.append("\\k<").append(groupName(pcre.substring(i + 3, nameEnd))).append('>');
                    i = nameEnd;
                } else if (e == 'x' && i + 2 < n && isHex(pcre.charAt(i + 2)) && (i + 3 >= n || !isHex(pcre.charAt(i + 3)))) {
                    out.append("\\x0").append(pcre.charAt(i + 2)); // PCRE \x4 is Java \x04
                    i += 2;
                } else {
                    out.append(c).append(e);
                    i++;
                }
            } else if (inClass) {
                out.append(c);
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                out.append(c);
                inClass = true;
                // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                if (i + 1 < n && pcre.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < n && pcre.charAt(i + 1) == ']') {
                    out.append("\\]");
                    i++;
                }
            } else if (c == '{' && !startsQuantifier(pcre, i)) {
                out.append("\\{");
            } else if (pcre.startsWith("(?P<", i) || pcre.startsWith("(?<", i) && i + 3 < n && pcre.charAt(i + 3) != '=' && pcre.charAt(i + 3) != '!') {
                int nameStart = i + (pcre.charAt(i + 2) == 'P' ? 4 : 3);
                int close = pcre.indexOf('>', nameStart);
                if (close < 0) {
                    out.append(c);
                    continue;
                }
                out.append("(?<").append(groupName(pcre.substring(nameStart, close))).append('>');
                i = close;
            } else if (pcre.startsWith("(?P=", i)) {
                int close = pcre.indexOf(')', i);
                if (close < 0) {
                    out.append(c);
                    continue;
                }
                out.append("\\k<").append(groupName(pcre.substring(i + 4, close))).append(">");
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code at}. */
    private static boolean startsQuantifier(String s, int at) {
        int i = at + 1;
        int digits = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= s.length()) {
            return false;
        }
        if (s.charAt(i) == ',') {
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        return i < s.length() && s.charAt(i) == '}';
    }

    /** Java group names are a letter followed by letters and digits. */
    private static String groupName(String name) {
        StringBuilder out = new StringBuilder(name.length() + 1);
        for (char ch : name.toCharArray()) {
            if (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9') {
                out.append(ch);
            } else {
                out.append("x").append(Integer.toHexString(ch));
            }
        }
        if (out.isEmpty() || !Character.isLetter(out.charAt(0))) {
            out.insert(0, 'g');
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
