package org.omamori.engine.antispam.rspamd;

import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of a mail, as rspamd's request headers carry it: the sending server's
 * address, its HELO name, the envelope sender (empty for a bounce) and the recipients.
 */
public record Envelope(String ip, String helo, String mailFrom, List<String> recipients) {

    public Envelope {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(mailFrom, "mailFrom");
        recipients = List.copyOf(recipients);
    }
}
