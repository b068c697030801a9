package org.omamori.appliance.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who signed a bundle: the signer certificate's subject and its SHA-256 fingerprint, written
 * the way {@code keytool -printcert} shows it so an operator can compare the two by eye.
 */
public record Signer(String subject, String fingerprint) {

    public Signer {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    public static Signer of(X509Certificate certificate) {
        return new Signer(certificate.getSubjectX500Principal().getName(), fingerprint(certificate));
    }

    /** SHA-256 of the DER certificate, upper-case hex pairs joined by colons. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return subject + " (SHA-256 " + fingerprint + ")";
    }
}
