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

    private PcreTranslation() {
    }

    /** The JDK pattern for a pcre; throws IllegalArgumentException naming what Java cannot read. */
    static Pattern toJava(Pcre p) {
        int flags = 0;
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
