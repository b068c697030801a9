package org.omamori.http;

/**
 * The body's framing or coding is malformed or truncated: a bad chunk size line, corrupt deflate
 * data, a gzip checksum mismatch, a body that ends before its coding does.
 */
public final class BodyFormatException extends BodyException {

    private static final long serialVersionUID = 1L;

    public BodyFormatException(String message) {
        super(message);
    }

    public BodyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
