package org.omamori.engine.ips;

import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Rule;

/** Which way the bytes a rule looks at flow: from the client (request) or to it (response). */
enum Side {
    REQUEST, RESPONSE;

    /** The side a buffer belongs to; the raw stream goes the way the rule's flow says. */
    static Side of(Buffer buffer, Rule rule) {
        return switch (buffer) {
            case HTTP_RESPONSE_BODY -> RESPONSE;
            case RAW -> rule.flow().toClient() ? RESPONSE : REQUEST;
            default -> buffer.responseHead() ? RESPONSE : REQUEST;
        };
    }

    /** Buffers scanned as streams (bodies and the raw payload); the others are whole when the request arrives. */
    static boolean streamed(Buffer buffer) {
        return buffer == Buffer.RAW || buffer == Buffer.HTTP_REQUEST_BODY || buffer == Buffer.HTTP_RESPONSE_BODY;
    }
}
