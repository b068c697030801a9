package org.omamori.definitions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys in PEM, with the JDK's own provider: public keys as X.509 SubjectPublicKeyInfo
 * ({@code BEGIN PUBLIC KEY}, or the key of a {@code BEGIN CERTIFICATE}), private keys as PKCS#8
 * ({@code BEGIN PRIVATE KEY}, unencrypted). {@code openssl genpkey -algorithm ed25519} makes the
 * same files.
 */
public final class Pem {

    public static final String ALGORITHM = "Ed25519";

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final int MAX_FILE = 64 * 1024;

    private Pem() {
    }

    /** A new key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * The public half of an Ed25519 private key: the JDK derives a key pair from 32 "random" bytes,
     * so handing it the private key's seed as those bytes yields the same pair. Checked by a
     * signature, so a provider that draws its bytes otherwise fails loudly instead of deriving another key.
     */
    public static PublicKey publicOf(PrivateKey key) {
        byte[] seed = key instanceof java.security.interfaces.EdECPrivateKey ed ? ed.getBytes().orElse(null) : null;
        if (seed == null || seed.length != 32) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
            g.initialize(255, new java.security.SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(bytes.length, seed.length));
                }
            });
            PublicKey derived = g.generateKeyPair().getPublic();
            byte[] probe = "omamori public key derivation".getBytes(StandardCharsets.US_ASCII);
            if (!new OperatorKey(derived).verifies(probe, PackageWriter.sign(probe, key))) {
                throw new IllegalStateException("this JDK derives Ed25519 keys differently; give the public key file");
            }
            return derived;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The Ed25519 public key of a PEM file; IOException says what is wrong with the file. */
    public static PublicKey readPublic(Path file) throws IOException {
        String text = read(file);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der = der(m, file);
            try {
                PublicKey key = switch (m.group(1)) {
                    case "PUBLIC KEY" -> KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
                    case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                    default -> null;
                };
                if (key != null) {
                    if (!ALGORITHM.equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
                        throw new IOException(file + ": the key is " + key.getAlgorithm() + ", not Ed25519");
                    }
                    return key;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException(file + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
            }
        }
        throw new IOException(file + ": no 'BEGIN PUBLIC KEY' or 'BEGIN CERTIFICATE' block");
    }

    /** The Ed25519 private key of a PEM file (PKCS#8, unencrypted). */
    public static PrivateKey readPrivate(Path file) throws IOException {
        Matcher m = BLOCK.matcher(read(file));
        while (m.find()) {
            if (m.group(1).equals("PRIVATE KEY")) {
                try {
                    return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(m, file)));
                } catch (GeneralSecurityException e) {
                    throw new IOException(file + ": not an Ed25519 private key (" + e.getMessage() + ")", e);
                }
            }
        }
        throw new IOException(file + ": no 'BEGIN PRIVATE KEY' block (encrypted keys are not supported)");
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException(file + ": larger than " + MAX_FILE + " bytes, not a key file");
        }
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static byte[] der(Matcher m, Path file) throws IOException {
        try {
            return Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad base64 in the " + m.group(1) + " block", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
