package org.omamori.api.pipeline;

import java.nio.ByteBuffer;

import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Verdict;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An inspection in progress across all engines of one snapshot. Used by one thread at a time.
 * The engines it started with see it through, even if they are replaced meanwhile.
 */
@ProviderType
public interface StreamingInspection extends AutoCloseable {

    /** The merged result of the request facts and all chunks given so far. */
    PipelineResult result();

    /** Passes a direction's headers (for HTTP the response's) to every engine still inspecting. Since 1.1. */
    PipelineResult headers(Direction direction, java.util.List<org.omamori.api.engine.Header> headers);

    /**
     * {@link #headers(Direction, java.util.List)} with the head they were parsed from, bytes as
     * received (start line, header lines, the empty line), for engines that read them; the intake
     * does not change those bytes until this inspection is closed. The default drops the head.
     * Since 1.2.
     */
    default PipelineResult headers(Direction direction, java.util.List<org.omamori.api.engine.Header> headers,
                                   ByteBuffer head) {
        return headers(direction, headers);
    }

    /** Passes the next body chunk to every engine still inspecting; returns the result after it. */
    PipelineResult body(Direction direction, ByteBuffer chunk);

    /** Ends the body in one direction; returns the result after it. */
    PipelineResult endOfBody(Direction direction);

    /**
     * The merged verdict so far: {@code result().verdict()}, without each engine's result made.
     * The {@code ...Verdict} calls below are the calls above for an intake that enforces the merged
     * verdict only and reads every engine's result once, at the end ({@link #result()}): the same
     * calls to the engines, without a result per call (several objects per engine). Since 1.3.
     */
    default Verdict verdict() {
        return result().verdict();
    }

    /** {@link #headers(Direction, java.util.List, ByteBuffer)}, giving the merged verdict after it. Since 1.3. */
    default Verdict headersVerdict(Direction direction, java.util.List<org.omamori.api.engine.Header> headers, ByteBuffer head) {
        return headers(direction, headers, head).verdict();
    }

    /** {@link #body(Direction, ByteBuffer)}, giving the merged verdict after it. Since 1.3. */
    default Verdict bodyVerdict(Direction direction, ByteBuffer chunk) {
        return body(direction, chunk).verdict();
    }

    /** {@link #endOfBody(Direction)}, giving the merged verdict after it. Since 1.3. */
    default Verdict endOfBodyVerdict(Direction direction) {
        return endOfBody(direction).verdict();
    }

    /**
     * Whether {@link #result()} holds nothing that becomes an event: every engine decided (none
     * failed or ran out of time) and its verdict has no finding, no note and no further verdicts.
     * An intake that turns the result into events may skip making it then (for the web proxy most
     * exchanges: a result is several objects per engine). The default asks {@link #result()}. Since 1.4.
     */
    default boolean quiet() {
        for (EngineResult engine : result().results()) {
            if (engine.failed() || !engine.verdict().finding().isEmpty() || !engine.verdict().note().isEmpty()
                    || !engine.verdict().further().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Releases the engines. Never throws. */
    @Override
    void close();
}
