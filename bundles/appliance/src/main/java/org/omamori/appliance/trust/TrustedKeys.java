package org.omamori.appliance.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signer certificates the operator trusts: every X.509 certificate in the PEM files
 * ({@code *.pem}, {@code *.crt}) of the trust directory. Trust is pinned to the public key, so a
 * re-issued certificate for the same key keeps working.
 */
public final class TrustedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(TrustedKeys.class);

    /** One trusted certificate and the file it came from, to name it in messages. */
    public record TrustedCertificate(Path file, X509Certificate certificate) {
    }

    private final Path directory;
    private final List<TrustedCertificate> certificates;

    private TrustedKeys(Path directory, List<TrustedCertificate> certificates) {
        this.directory = directory;
        this.certificates = List.copyOf(certificates);
    }

    /**
     * Reads the trust directory now. A missing directory means nothing is trusted; a file that
     * is not a certificate is skipped with a warning rather than disabling every other key.
     */
    public static TrustedKeys load(Path directory) {
        List<TrustedCertificate> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return new TrustedKeys(directory, found);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.{pem,crt,PEM,CRT}")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("cannot list trust directory {}: {}", directory, e.toString());
            return new TrustedKeys(directory, found);
        }
        files.sort(Comparator.naturalOrder());
        CertificateFactory x509 = x509();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate certificate : x509.generateCertificates(in)) {
                    if (certificate instanceof X509Certificate c) {
                        found.add(new TrustedCertificate(file, c));
                    }
                }
            } catch (IOException | CertificateException e) {
                LOG.warn("trust file {} is not a readable PEM X.509 certificate, ignoring it: {}", file, e.getMessage());
            }
        }
        return new TrustedKeys(directory, found);
    }

    public Path directory() {
        return directory;
    }

    public List<TrustedCertificate> certificates() {
        return certificates;
    }

    public boolean isEmpty() {
        return certificates.isEmpty();
    }

    /** The trusted certificates that carry exactly this public key. */
    public List<TrustedCertificate> forKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        return certificates.stream()
                .filter(t -> Arrays.equals(t.certificate().getPublicKey().getEncoded(), encoded))
                .toList();
    }

    private static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }
}
