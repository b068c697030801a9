package org.omamori.engine.antispam.rspamd;

import java.io.IOException;

/** rspamd could not score a mail; the message says why, never a byte of the mail. */
public final class RspamdException extends IOException {

    /** What went wrong, for the health check and the tests. */
    public enum Kind {
        /** Connection refused or reset, host unknown: rspamd is not running there. */
        UNREACHABLE,
        /** No connection, write progress or reply within the time allowed. */
        TIMEOUT,
        /** rspamd answered something that is not a usable reply (status, size, JSON). */
        PROTOCOL
    }

    private final Kind kind;

    public RspamdException(Kind kind, String message) {
        this(kind, message, null);
    }

    public RspamdException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
