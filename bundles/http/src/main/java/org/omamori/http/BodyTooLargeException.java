package org.omamori.http;

/**
 * Decoding stopped because the decoded body would exceed {@link Limits#maxDecodedBytes()} or
 * expand beyond {@link Limits#maxExpansionRatio()}: the decompression bomb guard. Nothing past
 * the limit reached the sink.
 */
public final class BodyTooLargeException extends BodyException {

    private static final long serialVersionUID = 1L;

    public BodyTooLargeException(String message) {
        super(message);
    }
}
