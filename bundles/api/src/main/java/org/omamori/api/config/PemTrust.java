package org.omamori.api.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust that an operator gives as a PEM file (a private CA, a server's own certificate): the
 * certificates in it and nothing else. Used for the cloud (uplink, definitions) and the SMTP relay.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /** The certificates of {@code pem} as trusted entries; a file without one is refused, naming it. */
    public static KeyStore store(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate in " + pem + ": expected -----BEGIN CERTIFICATE----- blocks");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate c : certificates) {
            store.setCertificateEntry("trusted-" + i++, c);
        }
        return store;
    }

    /** A TLS context of {@code protocol} ({@code "TLSv1.3"}, {@code "TLS"}) trusting exactly the certificates of {@code pem}. */
    public static SSLContext context(Path pem, String protocol) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store(pem));
        SSLContext context = SSLContext.getInstance(protocol);
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
