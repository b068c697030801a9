package org.omamori.ids;

import java.util.Set;

import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.StreamingInspection;

/** What a connection's reader needs from the replay: inspections, and a place for their results. */
interface SessionHost {

    /** Opens an inspection, or returns null when too many are open. */
    StreamingInspection open(InspectionRequest request);

    /** Takes the result of a finished exchange (events, summary) and closes the inspection. */
    void finish(InspectionRequest request, StreamingInspection inspection);

    /** Reports a response an inline proxy would have refused as ambiguous, decoded as a browser would. */
    void evasion(InspectionRequest request, Set<String> quirks);

    /**
     * Inspects one message whole: its facts, and its bytes as the request's payload (a DNS message,
     * a TLS ClientHello) for rules on the raw payload.
     */
    void message(InspectionRequest request, byte[] payload, int offset, int length);
}
