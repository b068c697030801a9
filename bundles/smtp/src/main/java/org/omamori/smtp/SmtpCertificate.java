package org.omamori.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The appliance's certificate for STARTTLS: a PKCS#12 key store and its password in a file
 * beside it ({@code NAME.password}, mode 600). When the key store is missing a self-signed EC
 * certificate for the intake's host name is made with the JDK's keytool, as the cloud makes its
 * own; an operator replaces the two files with a certificate the senders can check. Sending
 * servers on the internet use STARTTLS opportunistically and accept a self-signed certificate.
 */
public record SmtpCertificate(Path keyStore, Path passwordFile) {

    public static SmtpCertificate at(Path keyStore) {
        String name = keyStore.getFileName().toString().replaceFirst("\\.(p12|pfx|pkcs12)$", "");
        return new SmtpCertificate(keyStore, keyStore.resolveSibling(name + ".password"));
    }

    /** Makes the key store unless it exists; returns this. */
    public SmtpCertificate ensure(String hostname) throws IOException, InterruptedException {
        if (Files.exists(keyStore)) {
            return this;
        }
        Path dir = keyStore.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Files.deleteIfExists(passwordFile);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(passwordFile);
        }
        Files.writeString(passwordFile, password + "\n", StandardCharsets.US_ASCII);
        Path tmp = dir.resolve(keyStore.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "smtp", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + hostname + ", O=Omamori appliance", "-ext", "SAN=dns:" + hostname,
                "-validity", "3650", "-keystore", tmp.toString(), "-storetype", "PKCS12",
                "-storepass:env", "OMAMORI_KEYSTORE_PASSWORD", "-keypass:env", "OMAMORI_KEYSTORE_PASSWORD")).redirectErrorStream(true);
        // The password goes through the environment, never the command line (ps shows that).
        builder.environment().put("OMAMORI_KEYSTORE_PASSWORD", password);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + output.trim());
        }
        Files.move(tmp, keyStore, StandardCopyOption.ATOMIC_MOVE);
        return this;
    }

    /** A server context on the key store (the intake enables TLS 1.2 and 1.3 only). */
    public SSLContext context() throws IOException, GeneralSecurityException {
        char[] password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
