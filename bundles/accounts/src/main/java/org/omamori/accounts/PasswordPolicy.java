package org.omamori.accounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The strength rules a new password must meet (issue 14, seed 000 §3.5.3). Each broken rule is a
 * {@link Violation} with a Japanese message first and an English one. The password is judged in
 * its NFKC form, the form {@link PasswordHasher} hashes.
 */
public final class PasswordPolicy {

    /** A broken rule, with the message the portal shows. */
    public enum Violation {
        TOO_SHORT("パスワードは12文字以上にしてください。", "Use at least 12 characters."),
        TOO_LONG("パスワードは128文字以内にしてください。", "Use at most 128 characters."),
        CONTAINS_USER_ID("パスワードにユーザーIDを含めないでください。", "Do not put your user ID in the password."),
        ONE_CHARACTER_KIND("英大文字・英小文字・数字・記号などのうち2種類以上を組み合わせてください。",
                "Mix at least two kinds of characters (upper case, lower case, digits, symbols)."),
        COMMON("よく使われていて推測されやすいパスワードです。別のパスワードにしてください。",
                "This password is too common and easy to guess. Choose another one."),
        BREACHED("過去に漏えいしたことが知られているパスワードです。別のパスワードにしてください。",
                "This password is known from a data breach. Choose another one.");

        private final String ja;
        private final String en;

        Violation(String ja, String en) {
            this.ja = ja;
            this.en = en;
        }

        public String ja() {
            return ja;
        }

        public String en() {
            return en;
        }
    }

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    /** A shorter user id ("a", "jp") would forbid too many good passwords. */
    static final int MIN_USER_ID_CHECKED = 3;

    private final Set<String> common;
    private final BreachedPasswords breached;

    public PasswordPolicy(Set<String> common, BreachedPasswords breached) {
        this.common = Set.copyOf(common);
        this.breached = Objects.requireNonNull(breached, "breached");
    }

    /** The bundled list of common passwords and no breached-password check. */
    public static PasswordPolicy standard() {
        return new PasswordPolicy(bundledCommonPasswords(), BreachedPasswords.NONE);
    }

    /** The same rules with a breached-password check. */
    public PasswordPolicy withBreachedPasswords(BreachedPasswords check) {
        return new PasswordPolicy(common, check);
    }

    /**
     * The rules {@code password} breaks for the account {@code userId} (may be null before the
     * user has chosen one); empty when it is acceptable. Length is counted in code points, so a
     * kanji counts as one character.
     */
    public List<Violation> check(String password, String userId) {
        Objects.requireNonNull(password, "password");
        String pw = Normalizer.normalize(password, Normalizer.Form.NFKC);
        List<Violation> out = new ArrayList<>();
        int length = pw.codePointCount(0, pw.length());
        if (length < MIN_LENGTH) {
            out.add(Violation.TOO_SHORT);
        }
        if (length > MAX_LENGTH) {
            out.add(Violation.TOO_LONG);
            return out; // nothing more is worth computing on an oversized input
        }
        String lower = pw.toLowerCase(Locale.ROOT);
        if (userId != null) {
            String id = Normalizer.normalize(userId, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
            if (id.codePointCount(0, id.length()) >= MIN_USER_ID_CHECKED && lower.contains(id)) {
                out.add(Violation.CONTAINS_USER_ID);
            }
        }
        if (!pw.isEmpty() && kinds(pw) < 2) {
            out.add(Violation.ONE_CHARACTER_KIND);
        }
        if (isCommon(lower)) {
            out.add(Violation.COMMON);
        }
        if (out.isEmpty() && breached.isBreached(pw)) {
            out.add(Violation.BREACHED);
        }
        return List.copyOf(out);
    }

    /**
     * Common when the whole password, or its core after cutting digits and symbols from both ends
     * ("Password2026!" → "password"), or the core without repetition ("abcabcabc" → "abc") is in
     * the list, or when the core is empty (only digits and symbols) or one repeated character.
     */
    private boolean isCommon(String lower) {
        if (common.contains(lower)) {
            return true;
        }
        String core = trimNonLetters(lower);
        if (core.isEmpty() || common.contains(core) || core.chars().distinct().count() == 1) {
            return true;
        }
        String unit = repeatedUnit(core);
        return common.contains(unit);
    }

    private static String trimNonLetters(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && !Character.isLetter(s.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetter(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** The shortest string whose repetition is {@code s} ("abcabc" → "abc"). */
    static String repeatedUnit(String s) {
        int n = s.length();
        for (int len = 1; len <= n / 2; len++) {
            if (n % len == 0 && s.substring(0, len).repeat(n / len).equals(s)) {
                return s.substring(0, len);
            }
        }
        return s;
    }

    /** Kinds: upper case, lower case, digit, symbol/space, other letters (kana, kanji, ...). */
    static int kinds(String s) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean symbol = false;
        boolean other = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c < 128 && Character.isUpperCase(c)) {
                upper = true;
            } else if (c < 128 && Character.isLowerCase(c)) {
                lower = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else if (Character.isLetter(c)) {
                other = true;
            } else {
                symbol = true;
            }
        }
        return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0) + (other ? 1 : 0);
    }

    /** The project's own list (resource {@code common-passwords.txt}), lower case. */
    public static Set<String> bundledCommonPasswords() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt missing from the bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Set<String> out = new HashSet<>();
            for (String line; (line = r.readLine()) != null; ) {
                String s = line.strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    out.add(s.toLowerCase(Locale.ROOT));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
