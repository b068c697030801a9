package org.omamori.cloud.rest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.omamori.cloud.ingest.IngestLimits;

/**
 * Where and how the cloud API listens: HTTPS only, TLS 1.3 only.
 *
 * @param host         address to bind; empty or 0.0.0.0 for every interface
 * @param port         TCP port; 0 picks a free one ({@link CloudServer#port()} tells which)
 * @param keyStore     PKCS#12 file with the server's key and certificate chain
 * @param password     the key store's (and key's) password
 * @param limits       body size and event-time limits
 * @param idleTimeout  how long an idle connection is kept
 * @param activation   how often POST /api/v1/activate may be called, per address and overall
 */
public record ServerSettings(String host, int port, Path keyStore, String password, IngestLimits limits, Duration idleTimeout,
                             ActivationLimits activation) {

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(activation, "activation");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
    }

    /** With the default activation limits. */
    public ServerSettings(String host, int port, Path keyStore, String password, IngestLimits limits, Duration idleTimeout) {
        this(host, port, keyStore, password, limits, idleTimeout, ActivationLimits.defaults());
    }

    @Override
    public String toString() {
        return "ServerSettings[" + (host.isEmpty() ? "*" : host) + ":" + port + ", keyStore=" + keyStore + ", " + limits + "]";
    }
}
