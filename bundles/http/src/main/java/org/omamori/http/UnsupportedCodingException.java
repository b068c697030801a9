package org.omamori.http;

/**
 * The headers name a coding this bundle does not decode (br, zstd, compress, anything unknown),
 * or more stacked codings than it will undo. Raised before any body byte is read, so the caller
 * can decide what to do with a body it cannot see into.
 */
public final class UnsupportedCodingException extends BodyException {

    private static final long serialVersionUID = 1L;

    private final String coding;

    public UnsupportedCodingException(String coding, String message) {
        super(message);
        this.coding = coding;
    }

    /** The offending coding as named in the header, lower-cased; or the whole list if too long. */
    public String coding() {
        return coding;
    }
}
