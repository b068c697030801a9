package org.omamori.notify;

import java.util.Objects;
import java.util.Optional;

/**
 * One mail as composed: plain text, Japanese first. Encoding happens when it is sent ({@link SmtpTransport}).
 *
 * @param to      the customer's recipients
 * @param subject the subject, one line
 * @param body    the body, lines separated by {@code \n}
 * @param from    the sender, when not the node's (an edition's, docs/edition-sdk.md)
 */
public record Mail(Recipients to, String subject, String body, Optional<Sender> from) {

    /** A mail from the node's sender. */
    public Mail(Recipients to, String subject, String body) {
        this(to, subject, body, Optional.empty());
    }

    public Mail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(from, "from");
        if (subject.contains("\n") || subject.contains("\r")) {
            throw new IllegalArgumentException("a subject is one line: " + subject);
        }
    }
}
