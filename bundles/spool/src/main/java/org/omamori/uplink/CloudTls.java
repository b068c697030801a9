package org.omamori.uplink;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.omamori.api.config.PemTrust;

/**
 * The uplink's HTTP client: TLS 1.3 only, the cloud's certificate checked against the
 * configured PEM certificates (or the JDK's trust store) and its host name against the
 * certificate, no redirects followed.
 */
public final class CloudTls {

    public static final String PROTOCOL = "TLSv1.3";

    private CloudTls() {
    }

    public static HttpClient client(Optional<Path> trusted, Duration connectTimeout) throws IOException, GeneralSecurityException {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return HttpClient.newBuilder()
                .sslContext(context(trusted))
                .sslParameters(parameters)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static SSLContext context(Optional<Path> trusted) throws IOException, GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (trusted.isPresent()) {
            factory.init(PemTrust.store(trusted.get()));
        } else {
            factory.init((KeyStore) null);
        }
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
