package org.omamori.api.engine;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An inspection that wants bodies as the user's program will see them: transfer coding (chunked
 * framing) and content coding (gzip, deflate, br) removed. A pipeline decodes each body once per
 * exchange and hands the same decoded bytes to every engine that wants them, instead of each
 * engine decoding the same wire bytes itself. Since 1.3.
 *
 * <p>For a direction whose body this inspection wants ({@link #wantsContent}), the pipeline calls
 * {@link #content} with the decoded bytes instead of {@link Inspection#body}; {@link
 * Inspection#headers} and {@link Inspection#endOfBody} come as before. When the body cannot be
 * decoded (an unknown coding, broken framing, a bomb past the limits), the pipeline calls
 * {@link #contentUndecodable} once, and from then on hands the rest of that body, starting with
 * the chunk that failed, to {@link Inspection#body} as sent. A host that does not decode (a test,
 * an older pipeline) calls {@link Inspection#body} only: the engine then decodes itself, so it
 * must not make a decoder before its first body chunk.
 */
@ConsumerType
public interface ContentInspection extends Inspection {

    /**
     * Whether this inspection wants the decoded body of a direction; asked once per direction,
     * before its first body chunk. False: it gets that body through {@link Inspection#body} as sent.
     */
    default boolean wantsContent(Direction direction) {
        return true;
    }

    /**
     * The next piece of a direction's decoded body. The buffer is read-only and valid only during
     * the call, as for {@link Inspection#body}.
     */
    void content(Direction direction, ByteBuffer decoded);

    /**
     * The body of this direction could not be decoded, for the reason given; the rest of it comes
     * through {@link Inspection#body} as sent.
     */
    void contentUndecodable(Direction direction, String why);
}
