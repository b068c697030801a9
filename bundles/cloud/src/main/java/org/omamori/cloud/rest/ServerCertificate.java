package org.omamori.cloud.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's server certificate: at first start, a self-signed EC key and certificate made with
 * the JDK's keytool into a PKCS#12 key store, its random password in a file beside it (mode 600),
 * and the certificate exported as PEM for appliances to trust ({@code trustedCertificates}).
 * A production cloud configures its own key store instead.
 *
 * @param keyStore     the PKCS#12 key store
 * @param passwordFile the key store's password, one line
 * @param pem          the certificate, PEM, for appliances
 */
public record ServerCertificate(Path keyStore, Path passwordFile, Path pem) {

    public static final String ALIAS = "cloud";

    /** The files beside {@code keyStore}: {@code NAME.password} and {@code NAME.pem}. */
    public static ServerCertificate at(Path keyStore) {
        String name = keyStore.getFileName().toString().replaceFirst("\\.(p12|pfx|pkcs12)$", "");
        return new ServerCertificate(keyStore, keyStore.resolveSibling(name + ".password"), keyStore.resolveSibling(name + ".pem"));
    }

    public boolean exists() {
        return Files.exists(keyStore);
    }

    public String password() throws IOException {
        return Files.readString(passwordFile, StandardCharsets.US_ASCII).trim();
    }

    /**
     * Makes the key store, password file and PEM unless the key store exists.
     *
     * @param names host names and IP addresses the certificate is for (the appliances check them)
     */
    public ServerCertificate ensure(List<String> names, int validityDays) throws IOException, InterruptedException {
        if (exists()) {
            return this;
        }
        Path dir = keyStore.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        writePrivate(passwordFile, password + "\n");
        Path tmp = dir.resolve(keyStore.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(List.of(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + names.getFirst() + ", O=Omamori demo cloud", "-ext", "SAN=" + san(names),
                "-validity", Integer.toString(validityDays), "-keystore", tmp.toString(), "-storetype", "PKCS12",
                "-storepass:env", "OMAMORI_KEYSTORE_PASSWORD", "-keypass:env", "OMAMORI_KEYSTORE_PASSWORD"), password);
        keytool(List.of(keytool, "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", tmp.toString(), "-storetype", "PKCS12",
                "-storepass:env", "OMAMORI_KEYSTORE_PASSWORD", "-file", pem.toString()), password);
        Files.move(tmp, keyStore, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return this;
    }

    /** keytool's SAN extension: {@code dns:name} or {@code ip:address}. */
    static String san(List<String> names) {
        List<String> entries = new ArrayList<>();
        for (String n : names) {
            boolean ip = n.matches("[0-9.]+") || n.contains(":");
            entries.add((ip ? "ip:" : "dns:") + n);
        }
        return String.join(",", entries);
    }

    private static void keytool(List<String> command, String password) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The password goes through the environment, never the command line (ps shows that).
        builder.environment().put("OMAMORI_KEYSTORE_PASSWORD", password);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + output.trim());
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
