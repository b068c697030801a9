package org.omamori.api.engine;

/** Which way a body flows. */
public enum Direction {
    /** From the client to the server: uploads, request bodies. */
    REQUEST,
    /** From the server to the client: downloads, response bodies. */
    RESPONSE
}
