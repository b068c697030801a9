package org.omamori.engine.ips;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.api.engine.Header;
import org.omamori.http.BodyDecoder;
import org.omamori.http.BodyException;
import org.omamori.http.Limits;

/**
 * One direction's body on its way into its {@link SideState}'s stream: inspected as the
 * application sees it (as Suricata's http body buffers are), chunked framing and gzip/deflate
 * removed as they pass, either here or by the host; a body that cannot be decoded is inspected as
 * sent, and the verdict says so. Only the first {@link IpsSettings#maxBodyBytes} bytes go on.
 * Pooled with its state: {@link #recycle} readies it for the next exchange.
 */
final class BodyIntake {

    private final SideState state;
    private IpsSettings settings;
    private BodyDecoder decoder;
    /** Headers naming a coding, kept until the first chunk as sent: a host that decodes never makes us a decoder. */
    private List<Header> codingHeaders;
    /** The headers name no coding: the body is inspected as it comes. */
    private boolean asSent;
    private String rawFallback;
    private long bytes;
    private boolean limited;

    BodyIntake(SideState state) {
        this.state = state;
    }

    void serve(IpsSettings settings) {
        this.settings = settings;
    }

    /** Neither the headers nor the host said yet how the body comes: {@link #decodeAs} is still to be told. */
    boolean codingUnknown() {
        return decoder == null && rawFallback == null && !asSent && codingHeaders == null;
    }

    /** The body's coding, from its headers; only the first call counts. */
    void decodeAs(List<Header> headers) {
        if (!codingUnknown()) {
            return;
        }
        boolean coded = false;
        for (int i = 0; i < headers.size(); i++) { // by index: no iterator per body (the intake's lists are random-access)
            Header h = headers.get(i);
            coded |= h.is("Content-Encoding") || h.is("Transfer-Encoding");
        }
        if (!coded) {
            asSent = true; // nothing to undo: no decoder to make
            return;
        }
        codingHeaders = headers;
    }

    /** The host could not decode this body; the rest comes as sent and is inspected so, and the verdict says so. */
    void undecodable(String why) {
        if (rawFallback == null) {
            rawFallback = why;
        }
        codingHeaders = null;
    }

    /** Content decoded by the host ({@link org.omamori.api.engine.ContentInspection}): inspected as it comes. */
    void decoded(ByteBuffer decoded) {
        inspect(decoded);
    }

    /** A chunk as sent: decoded here if its headers named a coding. */
    void sent(ByteBuffer chunk) {
        if (codingHeaders != null) {
            try {
                decoder = BodyDecoder.forHeaders(codingHeaders, Limits.DEFAULTS);
            } catch (BodyException e) {
                rawFallback = e.getMessage();
            }
            codingHeaders = null;
        }
        if (decoder == null || decoder.isIdentity()) {
            inspect(chunk);
            return;
        }
        try {
            decoder.decode(chunk.duplicate(), decoded -> inspect(decoded));
        } catch (IOException e) {
            rawFallback = e.getMessage();
            decoder.close();
            decoder = null;
            inspect(chunk); // from here on, as sent
        }
    }

    /** The body ended: what the decoder still holds goes on. */
    void finish() {
        if (decoder != null) {
            try {
                decoder.finish(decoded -> inspect(decoded));
            } catch (IOException e) {
                rawFallback = e.getMessage();
            }
            decoder.close();
            decoder = null;
        }
    }

    private void inspect(ByteBuffer chunk) {
        long room = settings.maxBodyBytes() - bytes;
        if (room <= 0) {
            limited = chunk.hasRemaining() || limited;
            return;
        }
        ByteBuffer part = chunk;
        if (chunk.remaining() > room) {
            part = chunk.slice(chunk.position(), (int) room);
            limited = true;
        }
        bytes += part.remaining();
        state.inspect(part);
    }

    /** Bytes of the body were left uninspected ({@link IpsSettings#maxBodyBytes}). */
    boolean limited() {
        return limited;
    }

    /** What the verdict is to say of the {@code what} body ("request", "response"): not decoded, cut; empty if neither. */
    String note(String what) {
        String decoding = rawFallback == null ? "" : "; the " + what + " body could not be decoded (" + rawFallback
                + "): inspected as sent";
        return limited ? decoding + "; inspected the first " + settings.maxBodyBytes() + " bytes of the " + what
                + " body only" : decoding;
    }

    /** Forgets the exchange's body, ready for the next one. */
    void recycle() {
        close();
        settings = null;
        codingHeaders = null;
        asSent = false;
        rawFallback = null;
        bytes = 0;
        limited = false;
    }

    void close() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }
}
