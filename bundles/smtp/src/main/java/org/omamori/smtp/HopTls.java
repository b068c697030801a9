package org.omamori.smtp;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/**
 * TLS towards the next hop: {@code opportunistic} (STARTTLS when the hop offers it, its
 * certificate not checked, RFC 7435: better than plain text against a passive listener),
 * {@code required} (STARTTLS or no delivery; the certificate checked against the configured PEM
 * trust) or {@code off}.
 *
 * @param mode  when to use STARTTLS
 * @param trust for {@code required}: a context trusting exactly the configured PEM certificates
 */
public record HopTls(Mode mode, Optional<SSLContext> trust) {

    public enum Mode { OPPORTUNISTIC, REQUIRED, OFF }

    public static final HopTls OPPORTUNISTIC = new HopTls(Mode.OPPORTUNISTIC, Optional.empty());
    public static final HopTls OFF = new HopTls(Mode.OFF, Optional.empty());

    public HopTls {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(trust, "trust");
        if (mode == Mode.REQUIRED && trust.isEmpty()) {
            throw new IllegalArgumentException("nextHopTls = required needs nextHopTrust (a PEM file with the next hop's certificate or CA)");
        }
    }

    public static Mode parse(String text) {
        try {
            return Mode.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nextHopTls must be opportunistic, required or off, not " + text.strip());
        }
    }
}
