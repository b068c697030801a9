package org.omamori.notify;

/** Sends an outbox entry's mail; {@link SmtpTransport} over SMTP. Thread-safe. */
@FunctionalInterface
public interface MailTransport {

    /** Sends it once; never throws for a mail-server problem, reports it instead. */
    SendResult send(OutboxEntry entry);
}
