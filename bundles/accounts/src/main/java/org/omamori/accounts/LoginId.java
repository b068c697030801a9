package org.omamori.accounts;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user ID a user chooses at first sign-in: 4 to 64 characters of ASCII letters, digits and
 * {@code . _ - @} (a mail address fits), starting with a letter or digit. Compared case-insensitively:
 * the store keeps {@link #normalise} of it, so "Yamada" and "yamada" cannot both exist.
 */
public final class LoginId {

    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9._@-]{3,63}");

    /** Why a chosen user ID is refused. */
    public enum Problem {
        FORM("ユーザーIDは4〜64文字の半角英数字と . _ - @ で、英数字から始めてください。",
                "Use 4 to 64 letters, digits and . _ - @, starting with a letter or digit."),
        TAKEN("このユーザーIDはすでに使われています。別のIDを選んでください。", "This user ID is taken. Choose another one.");

        private final String ja;
        private final String en;

        Problem(String ja, String en) {
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

    private LoginId() {
    }

    /** Full-width forms folded (NFKC), trimmed, lower case. */
    public static String normalise(String typed) {
        return Normalizer.normalize(typed, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }

    /** The problem with a chosen id, or empty; {@link Problem#TAKEN} is the store's to say. */
    public static Optional<Problem> check(String typed) {
        return typed != null && FORM.matcher(normalise(typed)).matches() ? Optional.empty() : Optional.of(Problem.FORM);
    }
}
