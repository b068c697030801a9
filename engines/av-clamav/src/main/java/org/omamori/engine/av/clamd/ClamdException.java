package org.omamori.engine.av.clamd;

import java.util.Objects;

/** Talking to clamd failed; the message says what, where (host:port) and what to do. */
public final class ClamdException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for fail policies and metrics. */
    public enum Kind {
        /** Nothing accepts connections at the address (clamd down or starting). */
        UNREACHABLE,
        /** No connection slot became free within the connect timeout. */
        BUSY,
        /** Connect, a write or the reply took longer than allowed. */
        TIMEOUT,
        /** The connection broke in the middle of a command or scan. */
        CONNECTION_LOST,
        /** clamd answered something this client does not accept. */
        PROTOCOL,
        /** The scan or the client was closed (aborted) locally. */
        CLOSED
    }

    private final Kind kind;
    private final String address;

    ClamdException(Kind kind, ClamdAddress address, String message) {
        this(kind, address, message, null);
    }

    ClamdException(Kind kind, ClamdAddress address, String message, Throwable cause) {
        super("clamd at " + address + ": " + message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.address = address.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** host:port of the daemon concerned. */
    public String address() {
        return address;
    }
}
