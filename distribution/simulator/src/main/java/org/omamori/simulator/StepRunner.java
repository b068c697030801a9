package org.omamori.simulator;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;

/**
 * Runs one {@link TrafficStep} through the real pipeline the way the web proxy intake does
 * (bundles/proxy ClientSession): request facts; if not blocked, the request body in chunks; if
 * still not stopped, the response headers and the response body in chunks, stopping once an
 * engine intervenes. The pipeline result becomes events with the appliance's own
 * {@link EventFactory#of(InspectionRequest, PipelineResult, boolean)}, access logs as the proxy
 * asks for them ({@code logAccess = false}: categorised sites are logged, uncategorised ones not).
 */
public final class StepRunner {

    private static final AtomicInteger PORTS = new AtomicInteger();

    private StepRunner() {
    }

    /** What the step did: the request as the engines saw it, the merged result and its events. */
    public record Outcome(InspectionRequest request, PipelineResult result, List<Event> events) {
    }

    public static Outcome run(Pipeline pipeline, EventFactory events, CustomerHost host, TrafficStep step) {
        int clientPort = 49152 + Math.floorMod(PORTS.getAndIncrement(), 16384);
        InspectionRequest.Builder b = InspectionRequest.http(step.method(), step.url())
                .connection(new Connection(ZonePair.LAN_TO_WAN, host.address(), clientPort, step.server(), step.port(), host.mac()));
        for (Header h : step.headersWithHost()) {
            b.header(h.name(), h.value());
        }
        InspectionRequest request = b.build();
        try (StreamingInspection inspection = pipeline.open(request)) {
            PipelineResult r = inspection.result();
            if (r.verdict().action() != Action.BLOCK) {
                r = feed(inspection, Direction.REQUEST, step.requestBody());
                if (!r.verdict().intervenes()) {
                    r = inspection.headers(Direction.RESPONSE, step.responseHeaders());
                    if (r.verdict().action() != Action.BLOCK) {
                        r = feed(inspection, Direction.RESPONSE, step.responseBody());
                    }
                }
            }
            PipelineResult result = inspection.result();
            return new Outcome(request, result, events.of(request, result, false));
        }
    }

    private static PipelineResult feed(StreamingInspection inspection, Direction direction, byte[] bytes) {
        for (int at = 0; at < bytes.length; at += TrafficStep.CHUNK_BYTES) {
            int n = Math.min(TrafficStep.CHUNK_BYTES, bytes.length - at);
            PipelineResult r = inspection.body(direction, ByteBuffer.wrap(bytes, at, n).asReadOnlyBuffer());
            if (r.verdict().intervenes()) {
                return r;
            }
        }
        return inspection.endOfBody(direction);
    }
}
