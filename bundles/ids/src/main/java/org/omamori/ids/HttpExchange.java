package org.omamori.ids;

import java.util.LinkedHashSet;
import java.util.Set;

import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.StreamingInspection;

/** One request and its response on a replayed connection. */
final class HttpExchange {
    final InspectionRequest request;
    final StreamingInspection inspection;
    final boolean head;
    final boolean connect;
    boolean requestDone;
    boolean responseDone;
    boolean finished;
    /** Liberties the response's head or body took that a browser forgives and the proxy refuses. */
    final Set<String> quirks = new LinkedHashSet<>();

    HttpExchange(InspectionRequest request, StreamingInspection inspection) {
        this.request = request;
        this.inspection = inspection;
        this.head = request.method().equals("HEAD");
        this.connect = request.method().equals("CONNECT");
    }
}
