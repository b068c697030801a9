package org.omamori.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how mail is sent. {@link #toString()} never shows the password.
 *
 * @param host            the SMTP relay
 * @param port            usually 587 (submission with STARTTLS) or 25
 * @param starttls        whether to upgrade to TLS
 * @param user            the login, when the relay wants one
 * @param password        its password; never logged
 * @param from            the sender address, e.g. {@code noreply@omamori.example}
 * @param fromName        the sender's display name (the brand), may be empty
 * @param messageIdDomain the right-hand side of Message-IDs, e.g. {@code omamori.example}
 * @param timeout         connect, read and write timeout
 * @param trustAll        trust the server's certificate without checking it (tests only)
 * @param trusted         PEM certificates (a private CA, the relay's own) trusted for the relay
 *                        instead of the JVM's; its host name is still checked
 */
public record SmtpSettings(String host, int port, Starttls starttls, Optional<String> user, Optional<String> password,
                           String from, String fromName, String messageIdDomain, Duration timeout, boolean trustAll,
                           Optional<Path> trusted) {

    /** STARTTLS use. */
    public enum Starttls {
        /** Fail (retryably) unless the server offers STARTTLS: the production setting. */
        REQUIRED,
        /** Use it when offered. */
        OPTIONAL,
        /** Never (a relay on localhost). */
        OFF
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(starttls, "starttls");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(fromName, "fromName");
        Objects.requireNonNull(messageIdDomain, "messageIdDomain");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(trusted, "trusted");
        if (host.isBlank()) {
            throw new IllegalArgumentException("smtp host is empty: set the mail relay's host name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("smtp port " + port + " is not a port (1-65535)");
        }
        if (password.isPresent() && user.isEmpty()) {
            throw new IllegalArgumentException("smtp password given without a user: set the user too");
        }
        if (!from.contains("@")) {
            throw new IllegalArgumentException("smtp from '" + from + "' is not a mail address");
        }
    }

    /** Settings for a relay with no login, STARTTLS when offered, 30 s timeout. */
    public static SmtpSettings of(String host, int port, String from) {
        return new SmtpSettings(host, port, Starttls.OPTIONAL, Optional.empty(), Optional.empty(), from, "",
                from.substring(from.indexOf('@') + 1), Duration.ofSeconds(30), false, Optional.empty());
    }

    public SmtpSettings withStarttls(Starttls mode) {
        return new SmtpSettings(host, port, mode, user, password, from, fromName, messageIdDomain, timeout, trustAll, trusted);
    }

    public SmtpSettings withLogin(String newUser, String newPassword) {
        return new SmtpSettings(host, port, starttls, Optional.of(newUser), Optional.of(newPassword), from, fromName,
                messageIdDomain, timeout, trustAll, trusted);
    }

    public SmtpSettings withFromName(String name) {
        return new SmtpSettings(host, port, starttls, user, password, from, name, messageIdDomain, timeout, trustAll, trusted);
    }

    public SmtpSettings withTimeout(Duration t) {
        return new SmtpSettings(host, port, starttls, user, password, from, fromName, messageIdDomain, t, trustAll, trusted);
    }

    public SmtpSettings trustingAll() {
        return new SmtpSettings(host, port, starttls, user, password, from, fromName, messageIdDomain, timeout, true, trusted);
    }

    /** Trusts the certificates in the PEM file {@code pem} for the relay, instead of the JVM's trust store. */
    public SmtpSettings trusting(Path pem) {
        return new SmtpSettings(host, port, starttls, user, password, from, fromName, messageIdDomain, timeout, trustAll,
                Optional.of(pem));
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", starttls=" + starttls + ", user=" + user.orElse("-")
                + ", password=" + (password.isPresent() ? "***" : "-") + ", from=" + from + ", messageIdDomain="
                + messageIdDomain + ", timeout=" + timeout + (trustAll ? ", trustAll" : "")
                + trusted.map(p -> ", trusted=" + p).orElse("") + "]";
    }
}
