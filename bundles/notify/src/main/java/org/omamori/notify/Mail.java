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
 * @param inReplyTo the Message-ID ({@code <id@domain>}) of the mail this one answers, for a desk answer
 *                  in a ticket's thread (docs/desk.md); sent as In-Reply-To and References
 */
public record Mail(Recipients to, String subject, String body, Optional<Sender> from, Optional<String> inReplyTo) {

    /** What a Message-ID looks like here: {@code <local@domain>}, no spaces or angle brackets inside, bounded. */
    public static final java.util.regex.Pattern MESSAGE_ID = java.util.regex.Pattern.compile("<[!-;=?-~&&[^<>]]{1,240}@[!-;=?-~&&[^<>]]{1,240}>");

    /** A mail from an edition's sender (or the node's, when empty), answering nothing. */
    public Mail(Recipients to, String subject, String body, Optional<Sender> from) {
        this(to, subject, body, from, Optional.empty());
    }

    /** A mail from the node's sender. */
    public Mail(Recipients to, String subject, String body) {
        this(to, subject, body, Optional.empty());
    }

    public Mail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        if (inReplyTo.isPresent() && (inReplyTo.get().length() > 250 || !MESSAGE_ID.matcher(inReplyTo.get()).matches())) {
            throw new IllegalArgumentException("not a Message-ID: " + inReplyTo.get());
        }
        if (subject.contains("\n") || subject.contains("\r")) {
            throw new IllegalArgumentException("a subject is one line: " + subject);
        }
    }
}
