package org.omamori.engine.ips.rules;

/**
 * The values of {@code content} and {@code pcre} options, read into bytes and patterns:
 * {@link RuleParser} reads the options around them. Every input is a rule file's text: bounded
 * ({@link RuleParser#MAX_CONTENT_LENGTH}) and refused with a {@link RuleSyntaxError} saying why.
 */
final class MatchValues {

    private MatchValues() {
    }

    /** A content's bytes and whether it is negated ({@code content:!"..."}). */
    record ContentValue(byte[] bytes, boolean negated) {
    }

    /**
     * {@code content:[!]"text|48 45 58|more"}: {@code |hex|} blocks (spaces allowed between
     * bytes), escapes {@code \"} {@code \;} {@code \\} {@code \:} {@code \|}.
     */
    static ContentValue content(String name, String v) throws RuleSyntaxError {
        int i = 0;
        boolean negated = false;
        if (v.charAt(0) == '!') {
            negated = true;
            i = 1;
            while (i < v.length() && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
        }
        if (i >= v.length() || v.charAt(i) != '"') {
            throw new RuleSyntaxError(name + ": value must be in double quotes");
        }
        int end = v.length() - 1;
        if (end <= i || v.charAt(end) != '"') {
            throw new RuleSyntaxError(name + ": missing closing quote (an unescaped ';' ends the value)");
        }
        byte[] out = new byte[Math.min(end - i, RuleParser.MAX_CONTENT_LENGTH + 1) * 3];
        int n = 0;
        boolean hex = false;
        int nibble = -1;
        for (int p = i + 1; p < end; p++) {
            char c = v.charAt(p);
            if (n > RuleParser.MAX_CONTENT_LENGTH) {
                throw new RuleSyntaxError(name + ": longer than " + RuleParser.MAX_CONTENT_LENGTH + " bytes");
            }
            if (hex) {
                if (c == '|') {
                    if (nibble >= 0) {
                        throw new RuleSyntaxError(name + ": odd number of hex digits in |hex| block");
                    }
                    hex = false;
                } else if (c == ' ' || c == '\t') {
                    if (nibble >= 0) {
                        throw new RuleSyntaxError(name + ": space inside a hex byte in |hex| block");
                    }
                } else {
                    int d = Character.digit(c, 16);
                    if (d < 0 || c > 127) {
                        throw new RuleSyntaxError(name + ": bad hex digit '" + c + "' in |hex| block");
                    }
                    if (nibble < 0) {
                        nibble = d;
                    } else {
                        out[n++] = (byte) (nibble << 4 | d);
                        nibble = -1;
                    }
                }
                continue;
            }
            switch (c) {
                case '|' -> hex = true;
                case '"' -> throw new RuleSyntaxError(name + ": unescaped '\"' inside the text");
                case '\\' -> {
                    if (p + 1 >= end) {
                        throw new RuleSyntaxError(name + ": '\\' at the end of the text");
                    }
                    char e = v.charAt(++p);
                    if (e != '"' && e != ';' && e != '\\' && e != ':' && e != '|') {
                        throw new RuleSyntaxError(name + ": bad escape '\\" + e + "'");
                    }
                    out[n++] = (byte) e;
                }
                default -> n = utf8(c, v, p, out, n);
            }
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                p++; // utf8 consumed the pair
            }
        }
        if (hex) {
            throw new RuleSyntaxError(name + ": unterminated |hex| block");
        }
        if (n == 0) {
            throw new RuleSyntaxError(name + ": empty");
        }
        if (n > RuleParser.MAX_CONTENT_LENGTH) {
            throw new RuleSyntaxError(name + ": longer than " + RuleParser.MAX_CONTENT_LENGTH + " bytes");
        }
        byte[] bytes = new byte[n];
        System.arraycopy(out, 0, bytes, 0, n);
        return new ContentValue(bytes, negated);
    }

    /** Text in a rule is UTF-8 on the wire; writes {@code c} (and its low surrogate) as such. */
    private static int utf8(char c, String v, int p, byte[] out, int n) throws RuleSyntaxError {
        if (c < 0x80) {
            out[n++] = (byte) c;
        } else if (c < 0x800) {
            out[n++] = (byte) (0xC0 | c >> 6);
            out[n++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c) && p + 1 < v.length() && Character.isLowSurrogate(v.charAt(p + 1))) {
            int cp = Character.toCodePoint(c, v.charAt(p + 1));
            out[n++] = (byte) (0xF0 | cp >> 18);
            out[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
            out[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[n++] = (byte) (0x80 | cp & 0x3F);
        } else if (Character.isSurrogate(c)) {
            throw new RuleSyntaxError("content: broken UTF-16 surrogate in the text");
        } else {
            out[n++] = (byte) (0xE0 | c >> 12);
            out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
            out[n++] = (byte) (0x80 | c & 0x3F);
        }
        return n;
    }

    /** {@code pcre:[!]"/pattern/flags"}; the pattern is kept verbatim for the engine to compile. */
    static Pcre pcre(String v, Buffer sticky) throws RuleSyntaxError, UnsupportedFeature {
        boolean negated = false;
        int i = 0;
        if (v.charAt(0) == '!') {
            negated = true;
            i = 1;
            while (i < v.length() && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
        }
        if (i >= v.length() || v.charAt(i) != '"' || v.length() - i < 2 || v.charAt(v.length() - 1) != '"') {
            throw new RuleSyntaxError("pcre: value must be \"/pattern/flags\" in double quotes");
        }
        String inner = v.substring(i + 1, v.length() - 1);
        int last = inner.lastIndexOf('/');
        if (inner.isEmpty() || inner.charAt(0) != '/' || last <= 0) {
            throw new RuleSyntaxError("pcre: value must be \"/pattern/flags\" in double quotes");
        }
        String pattern = inner.substring(1, last);
        if (pattern.isEmpty()) {
            throw new RuleSyntaxError("pcre: empty pattern");
        }
        if (pattern.length() > RuleParser.MAX_CONTENT_LENGTH) {
            throw new RuleSyntaxError("pcre: pattern longer than " + RuleParser.MAX_CONTENT_LENGTH + " characters");
        }
        boolean caseless = false;
        boolean dotAll = false;
        boolean multiline = false;
        boolean extended = false;
        boolean relative = false;
        Buffer flagBuffer = null;
        char flagBufferLetter = 0;
        String flags = inner.substring(last + 1);
        for (int f = 0; f < flags.length(); f++) {
            char c = flags.charAt(f);
            Buffer b = null;
            switch (c) {
                case 'i' -> caseless = true;
                case 's' -> dotAll = true;
                case 'm' -> multiline = true;
                case 'x' -> extended = true;
                case 'R' -> relative = true;
                case 'B', 'O' -> { } // rawbytes (ignored by Suricata), match-limit override: no change to what matches
                case 'U' -> b = Buffer.HTTP_URI;
                case 'I' -> b = Buffer.HTTP_URI_RAW;
                case 'H' -> b = Buffer.HTTP_HEADER;
                case 'M' -> b = Buffer.HTTP_METHOD;
                case 'P' -> b = Buffer.HTTP_REQUEST_BODY;
                case 'Q' -> b = Buffer.HTTP_RESPONSE_BODY;
                case 'V' -> b = Buffer.HTTP_USER_AGENT;
                case 'W' -> b = Buffer.HTTP_HOST;
                case 'Z' -> b = Buffer.HTTP_HOST_RAW;
                case 'C', 'K' -> b = Buffer.HTTP_COOKIE; // the cookie is not normalised: raw and normalised are the same
                case 'D' -> b = Buffer.HTTP_RAW_HEADER;
                case 'S' -> b = Buffer.HTTP_STAT_CODE;
                case 'Y' -> b = Buffer.HTTP_STAT_MSG;
                case 'A', 'E', 'G' ->
                        throw new UnsupportedFeature("pcre:" + c, "pcre flag " + c + " is not supported");
                default -> throw new RuleSyntaxError("pcre: unknown flag '" + c + "'");
            }
            if (b != null) {
                if (flagBuffer != null && flagBuffer != b) {
                    throw new RuleSyntaxError("pcre: flags " + flagBufferLetter + " and " + c + " name different buffers");
                }
                flagBuffer = b;
                flagBufferLetter = c;
            }
        }
        // A buffer flag wins over the sticky buffer, as a content modifier does.
        Buffer buffer = flagBuffer != null ? flagBuffer : sticky;
        return new Pcre(buffer, pattern, negated, caseless, dotAll, multiline, extended, relative);
    }
}
