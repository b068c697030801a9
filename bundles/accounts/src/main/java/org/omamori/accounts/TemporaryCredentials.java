package org.omamori.accounts;

import java.security.SecureRandom;

/**
 * The temporary user ID and password mailed at contract (issue 14); both are replaced at first
 * sign-in. Drawn from an alphabet without look-alikes (no 0/O, 1/l/I), since people type them from
 * a mail. The password has 16 characters of 55 (about 92 bits) and meets {@link PasswordPolicy}'s
 * length; its hash is what the store keeps, the plain text exists only in the mail.
 */
public record TemporaryCredentials(String loginId, String password) {

    private static final String ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";

    public static TemporaryCredentials issue(SecureRandom random) {
        return new TemporaryCredentials("tmp-" + draw(random, ID_ALPHABET, 10), draw(random, PASSWORD_ALPHABET, 16));
    }

    private static String draw(SecureRandom random, String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "TemporaryCredentials[" + loginId + ", password hidden]";
    }
}
