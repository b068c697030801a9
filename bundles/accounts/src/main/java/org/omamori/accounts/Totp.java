package org.omamori.accounts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Instant;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) as Google Authenticator and its kind compute them:
 * HMAC-SHA1, 30-second steps from the Unix epoch, 6 digits, a 160-bit secret shown in base32.
 *
 * <p>{@link #verify} accepts the code of the current step or of one step either side (a phone's
 * clock may be off by up to about 30 s), and a code only once: the caller passes the account's last
 * accepted step in and stores the step of an {@link Accepted} result, so a code seen on the wire or
 * over a shoulder cannot be used again, nor any code of an earlier step (RFC 6238 §5.2).
 */
public final class Totp {

    public static final int PERIOD_SECONDS = 30;
    public static final int DIGITS = 6;
    public static final int SECRET_BYTES = 20;
    /** The last accepted step of an account that never used a code. */
    public static final long NEVER = -1;
    /** Steps either side of now that are accepted. */
    static final int SKEW_STEPS = 1;

    /** What a code was judged. */
    public sealed interface Result {
    }

    /** The code is right and new; store {@code step} as the account's last accepted step. */
    public record Accepted(long step) implements Result {
    }

    /** The code is refused; a sign-in failure like a wrong password. */
    public record Rejected(Reason reason) implements Result {
    }

    public enum Reason {
        /** Not six digits. */
        MALFORMED,
        /** No step in the window has this code. */
        WRONG,
        /** The code is right but its step is not after the last accepted one. */
        REPLAYED
    }

    private Totp() {
    }

    /** A new random secret of 160 bits (RFC 4226 §4 recommends it). */
    public static byte[] newSecret(SecureRandom random) {
        byte[] s = new byte[SECRET_BYTES];
        random.nextBytes(s);
        return s;
    }

    /** The time step {@code now} falls in. */
    public static long step(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), PERIOD_SECONDS);
    }

    /** The 6-digit HMAC-SHA1 code of a step. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, DIGITS, "HmacSHA1");
    }

    /**
     * The code of {@code step} (RFC 4226 §5.3 dynamic truncation), {@code digits} long with leading
     * zeros. {@code hmac} is a JCA name: HmacSHA1, HmacSHA256 or HmacSHA512.
     */
    public static String code(byte[] secret, long step, int digits, String hmac) {
        if (digits < 6 || digits > 9) {
            throw new IllegalArgumentException("digits must be 6..9");
        }
        byte[] h;
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(secret, "RAW"));
            byte[] counter = new byte[8];
            for (int i = 7; i >= 0; i--) {
                counter[i] = (byte) step;
                step >>>= 8;
            }
            h = mac.doFinal(counter);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmac + " unavailable", e);
        }
        int offset = h[h.length - 1] & 0x0f;
        int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
                | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
        int mod = 1;
        for (int i = 0; i < digits; i++) {
            mod *= 10;
        }
        String s = Integer.toString(binary % mod);
        return "0".repeat(digits - s.length()) + s;
    }

    /**
     * Judges {@code typed} against the secret at {@code now}. Spaces are ignored and full-width
     * digits (a Japanese IME) count as digits. Every step of the window is computed and compared in
     * constant time, so the answer's timing does not tell which step matched.
     */
    public static Result verify(byte[] secret, String typed, Instant now, long lastAcceptedStep) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(now, "now");
        String code = typed == null ? "" : Normalizer.normalize(typed, Normalizer.Form.NFKC).replace(" ", "");
        if (!code.matches("[0-9]{" + DIGITS + "}")) {
            return new Rejected(Reason.MALFORMED);
        }
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        long best = Long.MIN_VALUE;
        boolean matched = false;
        for (long s = current - SKEW_STEPS; s <= current + SKEW_STEPS; s++) {
            if (MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII), given)) {
                matched = true;
                if (s > lastAcceptedStep) {
                    best = Math.max(best, s);
                }
            }
        }
        if (!matched) {
            return new Rejected(Reason.WRONG);
        }
        return best == Long.MIN_VALUE ? new Rejected(Reason.REPLAYED) : new Accepted(best);
    }

    /**
     * The {@code otpauth://totp/...} URI an authenticator app reads from the enrolment QR code.
     * The label is {@code issuer:account}, both percent-encoded as UTF-8 (spaces as %20, so
     * Japanese names and spaces survive); the issuer is repeated as a parameter, as Google
     * Authenticator asks.
     *
     * @throws IllegalArgumentException when issuer or account is blank or the issuer holds a colon
     */
    public static String enrolmentUri(String issuer, String account, byte[] secret) {
        if (issuer == null || issuer.isBlank() || issuer.contains(":")) {
            throw new IllegalArgumentException("issuer must be non-blank without ':'");
        }
        if (account == null || account.isBlank()) {
            throw new IllegalArgumentException("account label must be non-blank");
        }
        String i = encode(issuer);
        return "otpauth://totp/" + i + ":" + encode(account) + "?secret=" + Base32.encode(secret)
                + "&issuer=" + i + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + PERIOD_SECONDS;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
