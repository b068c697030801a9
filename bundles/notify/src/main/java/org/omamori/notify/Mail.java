package org.omamori.notify;

import java.util.Objects;

/**
 * One mail as composed: plain text, Japanese first. Encoding happens when it is sent ({@link SmtpTransport}).
 *
 * @param to      the customer's recipients
 * @param subject the subject, one line
 * @param body    the body, lines separated by {@code \n}
 */
public record Mail(Recipients to, String subject, String body) {

    public Mail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        if (subject.contains("\n") || subject.contains("\r")) {
            throw new IllegalArgumentException("a subject is one line: " + subject);
        }
    }
}
