package org.omamori.smtp;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One mail's envelope as the session took it: who connected, how it said hello, over TLS or not,
 * the sender and the recipients the next hop (or the queue) accepted.
 *
 * @param helo       the client's EHLO/HELO name
 * @param client     the client's address
 * @param clientPort the client's port
 * @param tls        whether the session was under STARTTLS
 * @param mail       the MAIL command (sender and parameters)
 * @param recipients the accepted recipients, in order
 */
record Envelope(String helo, InetAddress client, int clientPort, boolean tls, Command.Mail mail, List<MailAddress> recipients) {

    Envelope {
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(mail, "mail");
        recipients = List.copyOf(recipients);
    }
}
