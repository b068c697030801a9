package org.omamori.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where decoded body bytes go. The buffer holds the next piece between its position and limit;
 * it belongs to the decoder and is valid only during the call: copy what must be kept. The sink
 * may move the buffer's position; the decoder does not look at it afterwards.
 */
@FunctionalInterface
public interface BodySink {

    void accept(ByteBuffer decoded) throws IOException;
}
