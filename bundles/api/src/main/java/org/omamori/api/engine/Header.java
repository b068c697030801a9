package org.omamori.api.engine;

import java.util.Objects;

/** One protocol header line as received; names compare case-insensitively. */
public record Header(String name, String value) {

    /**
     * The pseudo-header an HTTP intake puts first among a response's headers, holding the status
     * line as received (e.g. {@code HTTP/1.1 404 Not Found}), for engines that look at it (IPS
     * {@code http.stat_code}); its name cannot clash with a real field. Since 1.3.
     */
    public static final String STATUS_LINE = ":status-line";

    /**
     * Pseudo-headers an SMTP intake gives with a mail: the client's EHLO/HELO name, the envelope
     * sender (empty for a bounce) and each envelope recipient (one header each), as the client
     * sent them, without angle brackets. Engines that score whole mails (antispam) read them;
     * the mail's own header fields come in the body, as received. Since 1.4.
     */
    public static final String SMTP_HELO = ":smtp-helo";
    /** See {@link #SMTP_HELO}. Since 1.4. */
    public static final String SMTP_MAIL_FROM = ":smtp-mail-from";
    /** See {@link #SMTP_HELO}. Since 1.4. */
    public static final String SMTP_RCPT_TO = ":smtp-rcpt-to";

    /** {@link #STATUS_LINE} with {@code line}. Since 1.3. */
    public static Header statusLine(String line) {
        return new Header(STATUS_LINE, line);
    }

    /** Whether this is a pseudo-header (its name starts with {@code :}), not a field of the message. Since 1.3. */
    public boolean pseudo() {
        return name.startsWith(":");
    }

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public boolean is(String headerName) {
        return name.equalsIgnoreCase(headerName);
    }
}
