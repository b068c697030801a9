package org.omamori.http;

import java.io.IOException;

/**
 * The body itself could not be decoded, as opposed to an I/O failure of a {@link BodySink}. An
 * {@link IOException} so that a sink's own failures and the body's travel the same path; catch
 * this type (or a subtype) first to tell them apart. The message says what was wrong and where.
 */
public abstract sealed class BodyException extends IOException
        permits BodyFormatException, BodyTooLargeException, UnsupportedCodingException {

    private static final long serialVersionUID = 1L;

    BodyException(String message) {
        super(message);
    }

    BodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
