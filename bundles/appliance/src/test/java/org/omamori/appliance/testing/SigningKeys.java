package org.omamori.appliance.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real signing keys, made once per test run with the JDK's keytool as an operator would, each
 * with its certificate exported to PEM for a trust directory.
 */
public final class SigningKeys {

    private static final String PASSWORD = "changeit";
    private static SigningKeys shared;

    /** One signing key: what jarsigner needs, and the PEM an operator puts in trust/. */
    public record Key(String alias, PrivateKey privateKey, CertPath certPath, X509Certificate certificate, Path pem, Path keystore) {
    }

    public final Key ed25519;
    public final Key rsa;
    public final Key ec;
    /** Same algorithm as {@link #ed25519}, but never trusted. */
    public final Key stranger;
    /** Its certificate expired yesterday. */
    public final Key expired;

    private SigningKeys(Path directory) throws Exception {
        ed25519 = generate(directory, "operator", "-keyalg", "Ed25519");
        rsa = generate(directory, "operator-rsa", "-keyalg", "RSA", "-keysize", "2048");
        ec = generate(directory, "operator-ec", "-keyalg", "EC", "-groupname", "secp256r1");
        stranger = generate(directory, "stranger", "-keyalg", "Ed25519");
        expired = generate(directory, "expired", "-keyalg", "Ed25519", "-startdate", "-3d", "-validity", "1");
    }

    public static synchronized SigningKeys shared() throws Exception {
        if (shared == null) {
            Path directory = Files.createTempDirectory("omamori-signing-keys");
            directory.toFile().deleteOnExit();
            shared = new SigningKeys(directory);
        }
        return shared;
    }

    /** Copies the keys' PEM certificates into a trust directory. */
    public static void trust(Path trustDirectory, Key... keys) throws IOException {
        Files.createDirectories(trustDirectory);
        for (Key key : keys) {
            Files.copy(key.pem(), trustDirectory.resolve(key.alias() + ".pem"));
        }
    }

    private static Key generate(Path directory, String alias, String... algorithm) throws Exception {
        Path keystore = directory.resolve(alias + ".p12");
        Path pem = directory.resolve(alias + ".pem");
        List<String> genkey = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD,
                "-dname", "CN=" + alias + ", O=Omamori Test, C=JP"));
        genkey.addAll(Arrays.asList(algorithm));
        if (!genkey.contains("-validity")) {
            genkey.addAll(List.of("-validity", "30"));
        }
        keytool(genkey);
        keytool(List.of("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString()));

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey privateKey = (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
        Certificate[] chain = store.getCertificateChain(alias);
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain));
        return new Key(alias, privateKey, certPath, (X509Certificate) chain[0], pem, keystore);
    }

    private static void keytool(List<String> arguments) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + arguments.getFirst() + " failed: " + output);
        }
    }
}
