package org.omamori.store.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Device tokens and activation codes: random, shown once, kept only as SHA-256. A plain hash is
 * enough because both carry at least 120 random bits: no dictionary to try.
 */
public final class Secrets {

    /** Crockford's base 32: no I, L, O, U, so a code read aloud or typed is not mistaken. */
    private static final char[] CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 256 random bits, base64url without padding (43 characters: the uplink's token syntax). */
    public static String newDeviceToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** 24 characters of base 32 (120 bits) in groups of four: {@code 7K3Q-...}. */
    public static String newActivationCode() {
        StringBuilder code = new StringBuilder(29);
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(CODE_ALPHABET[RANDOM.nextInt(32)]);
        }
        return code.toString();
    }

    /** Lower-case hex SHA-256 of the UTF-8 text. */
    public static String hash(String secret) {
        return sha256(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
