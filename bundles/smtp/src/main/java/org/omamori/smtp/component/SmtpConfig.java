package org.omamori.smtp.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the SMTP intake (PID {@code org.omamori.smtp}); off until a next hop is set. docs/mail-intake.md. */
@ObjectClassDefinition(name = "Omamori SMTP intake",
        description = "A relay in front of the office's mail server (or its smarthost): attachments are scanned for viruses before the mail is handed on.")
public @interface SmtpConfig {

    @AttributeDefinition(name = "Listeners", description = "address:port/zone, e.g. 0.0.0.0:25/wan for inbound mail from the internet.")
    String[] listeners() default {"127.0.0.1:10025/wan"};

    @AttributeDefinition(name = "Next hop", description = "The office's mail server or the smarthost, host:port/zone, e.g. 192.168.1.10:25/lan. Empty: the intake is off.")
    String nextHop() default "";

    @AttributeDefinition(name = "Host name", description = "The name in the greeting, EHLO, Received and the self-signed certificate.")
    String hostname() default "omamori.local";

    @AttributeDefinition(name = "Relay domains", description = "Domains whose mail is taken from anyone (inbound). Names only, no patterns.")
    String[] relayDomains() default {};

    @AttributeDefinition(name = "Relay networks", description = "Client networks whose mail to anywhere is taken (outbound), e.g. 192.168.1.0/24. At least /8 (IPv4) or /16 (IPv6).")
    String[] relayNetworks() default {};

    @AttributeDefinition(name = "Infected mail", description = "replace: the infected attachment is replaced by a notice and the mail delivered; refuse: the mail is refused with 554.")
    String infected() default "replace";

    @AttributeDefinition(name = "Largest mail (bytes)", min = "1024")
    long maxMessageBytes() default 25L << 20;

    @AttributeDefinition(name = "Recipients per mail", min = "1")
    int maxRecipients() default 100;

    @AttributeDefinition(name = "Longest line (bytes)", description = "In DATA, without CRLF; RFC 5322 says 998.", min = "998")
    int maxLineBytes() default 4096;

    @AttributeDefinition(name = "Header bytes per MIME entity", min = "1024")
    int maxHeaderBytes() default 64 << 10;

    @AttributeDefinition(name = "Header fields per MIME entity", min = "1")
    int maxHeaderFields() default 1000;

    @AttributeDefinition(name = "MIME nesting depth", min = "1")
    int maxMimeDepth() default 20;

    @AttributeDefinition(name = "MIME parts per mail", min = "1")
    int maxMimeParts() default 1000;

    @AttributeDefinition(name = "Received fields before a mail counts as looping", min = "1")
    int maxHops() default 50;

    @AttributeDefinition(name = "Bad commands before the connection is closed", min = "1")
    int maxErrors() default 10;

    @AttributeDefinition(name = "Connections at once", min = "1")
    int maxConnections() default 200;

    @AttributeDefinition(name = "Idle timeout (ms)", min = "1000")
    int idleTimeoutMillis() default 300_000;

    @AttributeDefinition(name = "Next hop timeout (ms)", min = "1000")
    int nextHopTimeoutMillis() default 60_000;

    @AttributeDefinition(name = "STARTTLS", description = "Offer STARTTLS with the key store below (made self-signed on first start when missing).")
    boolean tls() default true;

    @AttributeDefinition(name = "TLS key store", description = "PKCS#12; its password in NAME.password beside it.")
    String tlsKeyStore() default "state/smtp/tls.p12";

    @AttributeDefinition(name = "Spool", description = "Where a mail waits while it is received and handed on; emptied at start.")
    String spool() default "state/smtp/spool";

    @AttributeDefinition(name = "Queue", description = "Where mails wait, written durably, while the next hop is down.")
    String queue() default "state/smtp/queue";

    @AttributeDefinition(name = "Queued mails at most", description = "0 turns the queue off: a next hop that is down is answered 451 and the sender keeps the mail.", min = "0")
    int queueMaxMails() default 1000;

    @AttributeDefinition(name = "Queued bytes at most", min = "0")
    long queueMaxBytes() default 1L << 30;

    @AttributeDefinition(name = "First retry (s)", description = "Doubled after each failed attempt, up to the longest wait.", min = "1")
    int queueFirstRetrySeconds() default 60;

    @AttributeDefinition(name = "Longest wait between retries (s)", min = "1")
    int queueMaxRetrySeconds() default 1800;

    @AttributeDefinition(name = "Return to sender after (h)", description = "A queued mail not delivered by then is returned to its sender with a delivery status notification.", min = "1")
    int queueBounceAfterHours() default 120;

    @AttributeDefinition(name = "TLS to the next hop", description = "opportunistic: STARTTLS when offered, certificate not checked; required: STARTTLS with the certificate checked against nextHopTrust; off.")
    String nextHopTls() default "opportunistic";

    @AttributeDefinition(name = "Next hop trust", description = "PEM file with the next hop's certificate or its CA, for nextHopTls = required.")
    String nextHopTrust() default "";

    @AttributeDefinition(name = "Brand name", description = "The service name in the notice that replaces an infected attachment.")
    String brandName() default "サイバーセキュリティお助け隊 / Cyber Security Otasuketai";

    @AttributeDefinition(name = "Brand contact", description = "Whom to call, in the notice.")
    String brandContact() default "ご契約の販売店のサポート窓口 / your provider's support desk";
}
