package org.omamori.cloud.ingest;

/** A request the cloud refuses; {@link #error()} is the answer. Nothing of it was stored. */
public final class RefusedRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    RefusedRequest(ApiError error) {
        super(error.status() + " " + error.error() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
