package org.omamori.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string form
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (base64 without padding). The parameters
 * travel with each hash, so they can be raised later and old hashes still verify; {@link #needsRehash}
 * says when a hash should be re-made at the next successful sign-in.
 *
 * <p>A password is NFKC-normalised and UTF-8 encoded before hashing, so a password typed with a
 * Japanese IME in full-width mode ("ｐａｓｓ１") matches the same password typed half-width.
 * Thread-safe.
 */
public final class PasswordHasher {

    /** Argon2id cost: memory in KiB, passes, lanes. */
    public record Params(int memoryKiB, int iterations, int parallelism) {
        public Params {
            if (parallelism < 1 || parallelism > 16) {
                throw new IllegalArgumentException("parallelism must be 1..16");
            }
            if (iterations < 1 || iterations > 10) {
                throw new IllegalArgumentException("iterations must be 1..10");
            }
            // RFC 9106: at least 8 KiB per lane; the upper bound keeps a forged hash row from
            // making one sign-in allocate gigabytes.
            if (memoryKiB < 8 * parallelism || memoryKiB > 1 << 20) {
                throw new IllegalArgumentException("memoryKiB must be 8*p..1048576");
            }
        }

        /** OWASP's first Argon2id choice (m=19 MiB, t=2, p=1): about 30-60 ms on one core of a small server. */
        public static Params owasp() {
            return new Params(19 * 1024, 2, 1);
        }
    }

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final Params params;
    private final SecureRandom random;
    /** A hash of a random password with this hasher's parameters, for {@link #verifyNobody}. */
    private final String nobody;

    public PasswordHasher(Params params, SecureRandom random) {
        this.params = Objects.requireNonNull(params, "params");
        this.random = Objects.requireNonNull(random, "random");
        byte[] unguessable = new byte[16];
        random.nextBytes(unguessable);
        this.nobody = hash(Base64.getEncoder().encodeToString(unguessable));
    }

    /** The project's standard hasher: {@link Params#owasp()}. */
    public static PasswordHasher standard() {
        return new PasswordHasher(Params.owasp(), new SecureRandom());
    }

    public Params params() {
        return params;
    }

    /** A new hash of {@code password} with a fresh 16-byte salt. */
    public String hash(CharSequence password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] pw = encode(password);
        try {
            byte[] out = argon2id(pw, salt, params, HASH_BYTES);
            return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p="
                    + params.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /**
     * Whether {@code password} matches {@code stored}, compared in constant time. A malformed or
     * unsupported stored string is false, never an exception that would tell an attacker more.
     */
    public boolean verify(CharSequence password, String stored) {
        Optional<Parsed> parsed = parse(stored);
        if (parsed.isEmpty()) {
            return false;
        }
        Parsed p = parsed.get();
        byte[] pw = encode(password);
        try {
            byte[] out = argon2id(pw, p.salt, p.params, p.hash.length);
            return MessageDigest.isEqual(out, p.hash);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /**
     * The same work as {@link #verify} for a user ID that does not exist, always false: a sign-in
     * with an unknown user ID then takes as long as one with a wrong password, so the answer's
     * timing does not tell which user IDs exist.
     */
    public boolean verifyNobody(CharSequence password) {
        verify(password, nobody);
        return false;
    }

    /** True when {@code stored} was made with other parameters than this hasher's (or cannot be read). */
    public boolean needsRehash(String stored) {
        return parse(stored).map(p -> !p.params.equals(params) || p.salt.length != SALT_BYTES
                || p.hash.length != HASH_BYTES).orElse(true);
    }

    /** The parameters a stored hash was made with, if it is a hash this class can verify. */
    public static Optional<Params> paramsOf(String stored) {
        return parse(stored).map(Parsed::params);
    }

    /**
     * Raw Argon2id, version 0x13, with optional secret and associated data (RFC 9106 §3.1). Exposed
     * for the RFC's test vector; passwords go through {@link #hash}.
     */
    static byte[] argon2id(byte[] password, byte[] salt, Params params, byte[] secret, byte[] ad, int outBytes) {
        Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt);
        if (secret != null) {
            b.withSecret(secret);
        }
        if (ad != null) {
            b.withAdditional(ad);
        }
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(b.build());
        byte[] out = new byte[outBytes];
        gen.generateBytes(password, out);
        return out;
    }

    private static byte[] argon2id(byte[] password, byte[] salt, Params params, int outBytes) {
        return argon2id(password, salt, params, null, null, outBytes);
    }

    static byte[] encode(CharSequence password) {
        Objects.requireNonNull(password, "password");
        return Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8);
    }

    private record Parsed(Params params, byte[] salt, byte[] hash) {
    }

    private static Optional<Parsed> parse(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        Matcher m = PHC.matcher(stored);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Params params = new Params(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            byte[] salt = B64D.decode(m.group(4));
            byte[] hash = B64D.decode(m.group(5));
            if (salt.length < 8 || hash.length < 16) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(params, salt, hash));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
