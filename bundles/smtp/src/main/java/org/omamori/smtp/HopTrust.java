package org.omamori.smtp;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opportunistic TLS towards the next hop (RFC 7435): any certificate is taken, because the only
 * alternative when it cannot be checked is plain text. {@code nextHopTls = required} checks it
 * against the configured PEM trust instead.
 */
final class HopTrust {

    static final SSLContext ANY = any();

    private HopTrust() {
    }

    private static SSLContext any() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    // a client's certificate is never asked for
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // opportunistic: encryption without authentication
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }
}
