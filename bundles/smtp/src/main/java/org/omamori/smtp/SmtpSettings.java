package org.omamori.smtp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/**
 * The intake's settings; {@code docs/mail-intake.md} explains each.
 *
 * @param listeners       where it listens, each with its zone (e.g. {@code 0.0.0.0:25/wan})
 * @param nextHop         the office's mail server (inbound) or the smarthost (outbound), with its zone
 * @param hostname        the name in the greeting, EHLO and Received
 * @param relay           the relay domains and networks
 * @param infected        replace the infected attachment or refuse the mail
 * @param maxMessageBytes SIZE; past it DATA is answered 552
 * @param maxRecipients   recipients per mail
 * @param maxLineBytes    longest line in DATA, without CRLF (RFC 5322 says 998)
 * @param maxHeaderBytes  all header fields of one MIME entity together
 * @param maxHeaderFields header fields of one MIME entity
 * @param maxMimeDepth    multiparts and attached messages inside each other
 * @param maxMimeParts    leaf parts in one mail
 * @param maxHops         Received fields before the mail is taken as looping
 * @param maxErrors       bad commands before the connection is closed
 * @param maxConnections  connections at once
 * @param idleTimeout     longest wait for the client's next bytes
 * @param nextHopTimeout  connect and reply timeout towards the next hop
 * @param tls             the appliance's certificate for STARTTLS; empty: STARTTLS is not offered
 * @param spoolDirectory  where a mail waits, while received, until the next hop has taken it
 * @param brand           the service's name in the notice
 * @param contact         whom to call, in the notice
 * @param queue           the queue for a next hop that is down
 * @param hopTls          TLS towards the next hop
 */
public record SmtpSettings(List<SmtpListener> listeners, SmtpListener nextHop, String hostname, RelayPolicy relay,
                           InfectedAction infected, long maxMessageBytes, int maxRecipients, int maxLineBytes,
                           int maxHeaderBytes, int maxHeaderFields, int maxMimeDepth, int maxMimeParts, int maxHops,
                           int maxErrors, int maxConnections, Duration idleTimeout, Duration nextHopTimeout,
                           Optional<SSLContext> tls, Path spoolDirectory, String brand, String contact,
                           QueueSettings queue, HopTls hopTls) {

    public static final String DEFAULT_BRAND = "サイバーセキュリティお助け隊 / Cyber Security Otasuketai";
    public static final String DEFAULT_CONTACT = "ご契約の販売店のサポート窓口 / your provider's support desk";

    public SmtpSettings {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(nextHop, "nextHop");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(infected, "infected");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(nextHopTimeout, "nextHopTimeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(hopTls, "hopTls");
        if (!hostname.matches("[A-Za-z0-9.-]{1,253}")) {
            throw new IllegalArgumentException("hostname must be a plain host name: " + hostname);
        }
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxRecipients", maxRecipients);
        positive("maxHeaderFields", maxHeaderFields);
        positive("maxMimeDepth", maxMimeDepth);
        positive("maxMimeParts", maxMimeParts);
        positive("maxHops", maxHops);
        positive("maxErrors", maxErrors);
        positive("maxConnections", maxConnections);
        if (maxLineBytes < 998) {
            throw new IllegalArgumentException("maxLineBytes must be at least 998 (RFC 5322)");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Sane defaults around a next hop and a relay policy; no STARTTLS offered; the queue off ({@link #withQueue} turns it on). */
    public static SmtpSettings of(List<SmtpListener> listeners, SmtpListener nextHop, RelayPolicy relay, Path spoolDirectory) {
        return new SmtpSettings(listeners, nextHop, "omamori.local", relay, InfectedAction.REPLACE, 25L << 20, 100, 4096,
                64 << 10, 1000, 20, 1000, 50, 10, 200, Duration.ofMinutes(5), Duration.ofSeconds(60), Optional.empty(),
                spoolDirectory, DEFAULT_BRAND, DEFAULT_CONTACT,
                QueueSettings.off(spoolDirectory.resolveSibling("queue")), HopTls.OPPORTUNISTIC);
    }

    public SmtpSettings withInfected(InfectedAction value) {
        return new SmtpSettings(listeners, nextHop, hostname, relay, value, maxMessageBytes, maxRecipients, maxLineBytes,
                maxHeaderBytes, maxHeaderFields, maxMimeDepth, maxMimeParts, maxHops, maxErrors, maxConnections, idleTimeout,
                nextHopTimeout, tls, spoolDirectory, brand, contact, queue, hopTls);
    }

    public SmtpSettings withTls(SSLContext value) {
        return new SmtpSettings(listeners, nextHop, hostname, relay, infected, maxMessageBytes, maxRecipients, maxLineBytes,
                maxHeaderBytes, maxHeaderFields, maxMimeDepth, maxMimeParts, maxHops, maxErrors, maxConnections, idleTimeout,
                nextHopTimeout, Optional.ofNullable(value), spoolDirectory, brand, contact, queue, hopTls);
    }

    public SmtpSettings withLimits(long messageBytes, int lineBytes, int headerBytes, int mimeDepth) {
        return new SmtpSettings(listeners, nextHop, hostname, relay, infected, messageBytes, maxRecipients, lineBytes,
                headerBytes, maxHeaderFields, mimeDepth, maxMimeParts, maxHops, maxErrors, maxConnections, idleTimeout,
                nextHopTimeout, tls, spoolDirectory, brand, contact, queue, hopTls);
    }

    public SmtpSettings withQueue(QueueSettings value) {
        return new SmtpSettings(listeners, nextHop, hostname, relay, infected, maxMessageBytes, maxRecipients, maxLineBytes,
                maxHeaderBytes, maxHeaderFields, maxMimeDepth, maxMimeParts, maxHops, maxErrors, maxConnections, idleTimeout,
                nextHopTimeout, tls, spoolDirectory, brand, contact, value, hopTls);
    }

    public SmtpSettings withHopTls(HopTls value) {
        return new SmtpSettings(listeners, nextHop, hostname, relay, infected, maxMessageBytes, maxRecipients, maxLineBytes,
                maxHeaderBytes, maxHeaderFields, maxMimeDepth, maxMimeParts, maxHops, maxErrors, maxConnections, idleTimeout,
                nextHopTimeout, tls, spoolDirectory, brand, contact, queue, value);
    }

    public SmtpSettings withIdleTimeout(Duration value) {
        return new SmtpSettings(listeners, nextHop, hostname, relay, infected, maxMessageBytes, maxRecipients, maxLineBytes,
                maxHeaderBytes, maxHeaderFields, maxMimeDepth, maxMimeParts, maxHops, maxErrors, maxConnections, value,
                nextHopTimeout, tls, spoolDirectory, brand, contact, queue, hopTls);
    }
}
