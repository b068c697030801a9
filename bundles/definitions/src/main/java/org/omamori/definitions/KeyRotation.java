package org.omamori.definitions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The payload of a {@link Kind#KEYS} package: the operator's next public key, rotated from the key
 * in force (docs/definitions.md "Rotating the operator key", docs/decisions/0025). The package is
 * signed by the key in force like any other, so only its holder can name a successor; inside it:
 *
 * <pre>
 * files/operator-ed25519.pem   the next public key (PEM), what an appliance installs
 * files/statement              "omamori-operator-key-rotation 1\nprevious &lt;base64 SPKI&gt;\nnext &lt;base64 SPKI&gt;\n"
 * files/statement.sig          base64 of the next key's Ed25519 signature over the statement
 * </pre>
 *
 * The statement's own signature by the next key proves its maker holds that key's private half, so
 * a wrong public key file (someone else's, or one whose private key is lost) is refused when the
 * package is made and again on the appliance, instead of leaving the fleet trusting a key nobody can sign with.
 */
public final class KeyRotation {

    public static final String PUBLIC_KEY = "operator-ed25519.pem";
    public static final String STATEMENT = "statement";
    public static final String STATEMENT_SIGNATURE = "statement.sig";

    private static final String HEADER = "omamori-operator-key-rotation 1";
    private static final int MAX_FILE = 4096;

    private KeyRotation() {
    }

    /** The statement naming {@code previous} and {@code next}. */
    public static byte[] statement(PublicKey previous, PublicKey next) {
        Base64.Encoder b64 = Base64.getEncoder();
        return (HEADER + "\nprevious " + b64.encodeToString(previous.getEncoded()) + "\nnext " + b64.encodeToString(next.getEncoded())
                + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes the payload of a rotation from {@code previous} to the pair ({@code nextPrivate},
     * {@code next}) into the empty folder {@code dir}; refuses a next key equal to the previous one
     * or one that does not match its private half.
     */
    public static void write(Path dir, PublicKey previous, PrivateKey nextPrivate, PublicKey next) throws IOException {
        if (Arrays.equals(previous.getEncoded(), next.getEncoded())) {
            throw new IOException("the new key is the key in force: nothing to rotate");
        }
        byte[] statement = statement(previous, next);
        byte[] signature = PackageWriter.sign(statement, nextPrivate);
        if (!new OperatorKey(next).verifies(statement, signature)) {
            throw new IOException("the new private key does not match the new public key");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PUBLIC_KEY), Pem.publicPem(next), StandardCharsets.US_ASCII);
        Files.write(dir.resolve(STATEMENT), statement);
        Files.writeString(dir.resolve(STATEMENT_SIGNATURE), SignedPackage.signatureText(signature) + "\n", StandardCharsets.US_ASCII);
    }

    /**
     * The next key of an unpacked rotation whose package was signed by {@code inForce}; IOException
     * says what is wrong: a statement that does not name {@code inForce} as the previous key, a
     * public key file other than the statement's next key, a statement the next key did not sign.
     */
    public static PublicKey next(Path files, PublicKey inForce) throws IOException {
        String text = read(files.resolve(STATEMENT));
        String[] lines = text.split("\n", -1);
        if (lines.length != 4 || !lines[0].equals(HEADER) || !lines[1].startsWith("previous ") || !lines[2].startsWith("next ")
                || !lines[3].isEmpty()) {
            throw new IOException(STATEMENT + ": not an operator key rotation statement (format 1)");
        }
        PublicKey previous = decode(lines[1].substring("previous ".length()), "previous");
        PublicKey next = decode(lines[2].substring("next ".length()), "next");
        if (!same(previous, inForce)) {
            throw new IOException(STATEMENT + ": rotates from another key than the one in force");
        }
        if (same(next, inForce)) {
            throw new IOException(STATEMENT + ": the next key is the key in force");
        }
        if (!same(Pem.readPublic(files.resolve(PUBLIC_KEY)), next)) {
            throw new IOException(PUBLIC_KEY + " is not the statement's next key");
        }
        byte[] signature = SignedPackage.signatureOf(read(files.resolve(STATEMENT_SIGNATURE)));
        if (!new OperatorKey(next).verifies(text.getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new IOException(STATEMENT_SIGNATURE + ": the next key did not sign the statement");
        }
        return next;
    }

    /** The next key named by an unpacked rotation, unchecked: to see whether it is already in force. */
    public static PublicKey named(Path files) throws IOException {
        return Pem.readPublic(files.resolve(PUBLIC_KEY));
    }

    public static boolean same(PublicKey a, PublicKey b) {
        return Arrays.equals(a.getEncoded(), b.getEncoded());
    }

    /** A short fingerprint for people: the first 16 hex digits of the SHA-256 of the key's SubjectPublicKeyInfo. */
    public static String fingerprint(PublicKey key) {
        return Manifest.hex(PackageReader.sha256().digest(key.getEncoded())).substring(0, 16);
    }

    private static PublicKey decode(String base64, String which) throws IOException {
        try {
            return KeyFactory.getInstance(Pem.ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(STATEMENT + ": the " + which + " key is not an Ed25519 public key");
        }
    }

    private static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file.getFileName() + " is missing from the key rotation");
        }
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file.getFileName() + " is larger than " + MAX_FILE + " bytes");
        }
        String s = Files.readString(file, StandardCharsets.US_ASCII);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && (c < 0x20 || c > 0x7e)) {
                throw new IOException(file.getFileName() + " holds a character outside printable ASCII");
            }
        }
        return s;
    }
}
