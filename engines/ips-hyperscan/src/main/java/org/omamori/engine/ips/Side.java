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

    /**
     * What an inspection remembers a rule fired under: the rule, once per exchange; an address-only
     * rule whose header fits both directions once per direction (Suricata matches it on every
     * packet each way; thresholds and rate filters then count both), its response side as
     * {@code index + rules}.
     */
    static int firedKey(CompiledRule rule, Side side, int rules) {
        return rule.headerOnly && side == RESPONSE && rule.sides.size() == 2 ? rule.index + rules : rule.index;
    }

    /** Buffers scanned as streams (bodies and the raw payload); the others are whole when the request arrives. */
    static boolean streamed(Buffer buffer) {
        return buffer == Buffer.RAW || buffer == Buffer.HTTP_REQUEST_BODY || buffer == Buffer.HTTP_RESPONSE_BODY;
    }
}
