package org.omamori.engine.av;

import org.omamori.http.ArrayPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.api.engine.ContentInspection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.av.clamd.Clamd;
import org.omamori.engine.av.clamd.ClamdException;
import org.omamori.engine.av.clamd.ScanResult;
import org.omamori.engine.av.clamd.StreamScan;
import org.omamori.http.BodyDecoder;
import org.omamori.http.Limits;

/**
 * One exchange's antivirus inspection: a scan per body direction, opened when bytes arrive. The
 * scan is of the content (what the user's program will see): decoded by the pipeline once for all
 * engines ({@link ContentInspection}), or here when the host hands the body as sent.
 */
final class AvInspection implements ContentInspection {

    private final Clamd clamd;
    private final ScanCache cache;
    /** Small bodies are held in arrays of this size from a pool; larger ones grow their own. */
    static final int HELD_SIZE = 64 << 10;
    private final ArrayPool arrays;
    private final AvSettings settings;
    private final InspectionRequest request;
    private final Body upload = new Body(Direction.REQUEST);
    private final Body download = new Body(Direction.RESPONSE);

    AvInspection(Clamd clamd, ScanCache cache, ArrayPool arrays, AvSettings settings, InspectionRequest request) {
        this.clamd = clamd;
        this.cache = cache;
        this.arrays = arrays;
        this.settings = settings;
        this.request = request;
    }

    @Override
    public Verdict verdict() {
        // Asked after every chunk: an infection decides, else a body that could not be scanned, else clean.
        Body infectedBody = download.infected != null ? download : upload.infected != null ? upload : null;
        if (infectedBody != null) {
            return AvEngine.infected(infectedBody.infected, infectedBody.where());
        }
        Body unscanned = download.notScanned != null ? download : upload.notScanned != null ? upload : null;
        if (unscanned != null) {
            return AvEngine.notScanned(settings, unscanned.notScanned + " (" + unscanned.where() + ")");
        }
        return Verdict.clean();
    }

    @Override
    public void headers(Direction direction, List<Header> headers) {
        body(direction).headers = headers; // a decoder is made at the first chunk as sent, if one comes
    }

    @Override
    public boolean wantsContent(Direction direction) {
        return !body(direction).done();
    }

    @Override
    public void content(Direction direction, ByteBuffer decoded) {
        body(direction).content(decoded);
    }

    @Override
    public void contentUndecodable(Direction direction, String why) {
        body(direction).undecodable(why);
    }

    @Override
    public void body(Direction direction, ByteBuffer chunk) {
        body(direction).chunk(chunk);
    }

    @Override
    public void endOfBody(Direction direction) {
        body(direction).end();
    }

    @Override
    public void close() {
        upload.abort();
        download.abort();
    }

    private Body body(Direction direction) {
        return direction == Direction.REQUEST ? upload : download;
    }

    /** One direction's body on its way to clamd. */
    private final class Body {
        final Direction direction;
        /** This direction's headers, when the host gave them; the decoder is made from them. */
        List<Header> headers;
        BodyDecoder decoder;
        StreamScan scan;
        /** A small body held to be looked up in the answer cache before clamd is asked; null once streaming. */
        byte[] held;
        int heldLength;
        long decodedBytes;
        String infected;
        String notScanned;
        boolean ended;
        /** The headers declared a length over what the cache keeps ({@link #declaredUncacheable(List)}). */
        boolean declaredUncacheable;

        Body(Direction direction) {
            this.direction = direction;
        }

        String where() {
            return (direction == Direction.REQUEST ? "upload" : "download") + " " + request.url();
        }

        boolean done() {
            return ended || notScanned != null || infected != null;
        }

        void start(List<Header> headers) {
            if (decoder != null || done()) {
                return;
            }
            declaredUncacheable = declaredUncacheable(headers);
            try {
                decoder = BodyDecoder.forHeaders(headers, Limits.DEFAULTS);
            } catch (Exception e) {
                fail("its encoding cannot be decoded: " + e.getMessage());
            }
        }

        void chunk(ByteBuffer chunk) {
            if (done() || !chunk.hasRemaining()) {
                return;
            }
            if (decoder == null) {
                // Uploads are described by the request's own headers; a download without headers is taken as sent.
                start(headers != null ? headers : direction == Direction.REQUEST ? request.headers() : List.of());
                if (done()) {
                    return;
                }
            }
            try {
                decoder.decode(chunk.duplicate(), this::send); // leave the caller's position alone
            } catch (Exception e) {
                fail(e instanceof ClamdSendFailure f ? f.getMessage() : "the body cannot be decoded: " + e.getMessage());
            }
        }

        /** Content decoded by the host. */
        void content(ByteBuffer decoded) {
            if (done() || !decoded.hasRemaining()) {
                return;
            }
            try {
                send(decoded);
            } catch (IOException e) {
                fail(e.getMessage());
            }
        }

        /** The host could not decode this body: it is not scanned, and the verdict says why. */
        void undecodable(String why) {
            fail((decodedBytes == 0 ? "its encoding cannot be decoded: " : "the body cannot be decoded: ") + why);
        }

        /** Sends decoded bytes to clamd as they come; never more than the scan limit. */
        private void send(ByteBuffer decoded) throws IOException {
            if (done()) {
                return;
            }
            decodedBytes += decoded.remaining();
            if (decodedBytes > settings.maxScanBytes()) {
                fail("the file is over the scan limit of " + settings.maxScanBytes() + " bytes");
                return;
            }
            try {
                if (scan == null && cache.enabled() && heldLength + decoded.remaining() <= AvSettings.CACHEABLE_BYTES
                        && !declaredUncacheable) {
                    hold(decoded);
                    return;
                }
                if (scan == null) {
                    scan = clamd.openStream();
                    if (heldLength > 0) {
                        scan.send(ByteBuffer.wrap(held, 0, heldLength));
                    }
                    dropHeld();
                }
                scan.send(decoded);
            } catch (ClamdException e) {
                throw new ClamdSendFailure(e.getMessage());
            }
        }

        void end() {
            if (done()) {
                ended = true;
                return;
            }
            try {
                if (decoder != null) {
                    decoder.finish(this::send);
                }
                if (done()) {
                    return;
                }
                if (scan == null && heldLength > 0) {
                    scanHeld();
                    return;
                }
                if (scan != null) {
                    switch (scan.finish()) {
                        case ScanResult.Clean c -> { }
                        case ScanResult.Infected i -> infected = i.signature();
                        case ScanResult.TooLarge t -> fail("the file is over clamd's stream limit (" + t.bytes() + " bytes sent)");
                        case ScanResult.Failed f -> fail("clamd could not scan it: " + f.reason());
                    }
                }
            } catch (ClamdException e) {
                fail(e.getMessage());
            } catch (Exception e) {
                fail(e instanceof ClamdSendFailure f ? f.getMessage() : "the body cannot be decoded: " + e.getMessage());
            } finally {
                ended = true;
                abort();
            }
        }

        /**
         * Whether the headers said the body is larger than the cache keeps: then it goes to clamd
         * from its first byte instead of being held (and copied) up to the cache's limit first. A
         * length that lies only costs a cache lookup; the scan itself does not depend on it.
         */
        private static boolean declaredUncacheable(List<Header> headers) {
            for (Header h : headers) {
                if (h.is("Content-Length")) {
                    String v = h.value().trim();
                    // more digits than 1 MiB has, or a larger number: a malformed value is simply not used
                    return v.length() > 7 ? v.chars().allMatch(Character::isDigit)
                            : !v.isEmpty() && v.chars().allMatch(Character::isDigit) && Integer.parseInt(v) > AvSettings.CACHEABLE_BYTES;
                }
            }
            return false;
        }

        private void hold(ByteBuffer decoded) {
            int n = decoded.remaining();
            if (held == null && n <= HELD_SIZE) {
                held = arrays.take(); // most pages, scripts and styles fit: no array made per body
            }
            if (held == null || held.length - heldLength < n) {
                byte[] grown = java.util.Arrays.copyOf(held == null ? new byte[0] : held,
                        Math.min(AvSettings.CACHEABLE_BYTES, Math.max(heldLength + n, Math.max(16 << 10, heldLength * 2))));
                arrays.give(held);
                held = grown;
            }
            decoded.get(held, heldLength, n);
            heldLength += n;
        }

        /** The whole body is held: the cached answer for exactly this content, or clamd's, remembered. */
        private void scanHeld() throws ClamdException {
            long key = ScanCache.key(held, heldLength);
            ScanCache.Answer known = cache.find(key, held, heldLength);
            if (known != null) {
                infected = known.infected();
                dropHeld();
                return;
            }
            try (StreamScan s = clamd.openStream()) {
                s.send(ByteBuffer.wrap(held, 0, heldLength));
                switch (s.finish()) {
                    case ScanResult.Clean c -> cache.remember(key, held, heldLength, null);
                    case ScanResult.Infected i -> {
                        infected = i.signature();
                        cache.remember(key, held, heldLength, infected);
                    }
                    case ScanResult.TooLarge t -> fail("the file is over clamd's stream limit (" + t.bytes() + " bytes sent)");
                    case ScanResult.Failed f -> fail("clamd could not scan it: " + f.reason());
                }
            } finally {
                dropHeld();
            }
        }

        /** Lets go of the held bytes; a pooled array goes back for the next body. */
        private void dropHeld() {
            arrays.give(held);
            held = null;
            heldLength = 0;
        }

        void fail(String why) {
            if (notScanned == null && infected == null) {
                notScanned = why;
            }
            abort();
        }

        void abort() {
            if (held != null) {
                dropHeld();
            }
            if (scan != null) {
                scan.close();
                scan = null;
            }
        }
    }

    /** A clamd failure on the way out of a decoder callback, which may only throw IOException. */
    private static final class ClamdSendFailure extends IOException {
        ClamdSendFailure(String message) {
            super(message, null);
        }
    }
}
