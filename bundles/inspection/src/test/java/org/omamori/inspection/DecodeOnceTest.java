package org.omamori.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.ContentInspection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.StreamingInspection;
import org.omamori.http.BodyDecoder;

/** Each body is decoded once per exchange, and the same content goes to every engine that wants it (decision 0008). */
class DecodeOnceTest {

    private static final InspectionRequest REQUEST = InspectionRequest.http("GET", "http://www.example.jp/app.js").build();
    private static final byte[] CONTENT = "var task = \"beacon\"; // 日本語 ".repeat(2_000).getBytes(StandardCharsets.UTF_8);

    private final InspectionPipeline pipeline = new InspectionPipeline(
            new PipelineSettings(Duration.ofSeconds(5), FailurePolicy.OPEN, Duration.ofSeconds(5)));
    /** Decoders made, and the wire bytes all of them read: the decoding work done. */
    private final AtomicInteger opened = new AtomicInteger();
    private final List<BodyDecoder> decoders = new ArrayList<>();

    DecodeOnceTest() {
        pipeline.decoders(headers -> {
            opened.incrementAndGet();
            BodyDecoder d = BodyDecoders.STANDARD.open(headers);
            decoders.add(d);
            return d;
        });
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    /** An engine that wants content (or not) and records what it was given. */
    static final class Recording implements Engine {
        final EngineDescriptor descriptor;
        final boolean wantsContent;
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        final ByteArrayOutputStream asSent = new ByteArrayOutputStream();
        final List<String> undecodable = new ArrayList<>();

        Recording(String id, SecurityFunction function, boolean wantsContent) {
            this.descriptor = new EngineDescriptor(id, "1.0", Set.of(function));
            this.wantsContent = wantsContent;
        }

        @Override
        public EngineDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public Inspection inspect(InspectionRequest request) {
            if (!wantsContent) {
                return new Inspection() {
                    public Verdict verdict() {
                        return Verdict.clean();
                    }

                    public void body(Direction direction, ByteBuffer chunk) {
                        copy(chunk, asSent);
                    }
                };
            }
            return new ContentInspection() {
                public Verdict verdict() {
                    return Verdict.clean();
                }

                public void body(Direction direction, ByteBuffer chunk) {
                    copy(chunk, asSent);
                }

                public void content(Direction direction, ByteBuffer decoded) {
                    copy(decoded, content);
                    decoded.position(decoded.limit()); // reading its own view moves nobody else's
                }

                public void contentUndecodable(Direction direction, String why) {
                    undecodable.add(why);
                }
            };
        }

        private static void copy(ByteBuffer b, ByteArrayOutputStream to) {
            assertThat(b.isReadOnly()).isTrue();
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            to.writeBytes(bytes);
        }
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    static byte[] chunked(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += size) {
            int n = Math.min(size, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Headers, then the wire bytes in pieces of {@code piece}, then the end. */
    private void download(List<Header> headers, byte[] wire, int piece) {
        try (StreamingInspection i = pipeline.open(REQUEST)) {
            i.headers(Direction.RESPONSE, headers);
            for (int at = 0; at < wire.length; at += piece) {
                ByteBuffer chunk = ByteBuffer.wrap(wire, at, Math.min(piece, wire.length - at)).asReadOnlyBuffer();
                i.body(Direction.RESPONSE, chunk);
                assertThat(chunk.position()).as("the caller's buffer is left as it was").isEqualTo(at);
            }
            i.endOfBody(Direction.RESPONSE);
        }
    }

    @Test
    void aGzipChunkedBodyIsDecodedOnceForTwoEnginesThatWantItAndSentAsIsToOneThatDoesNot() throws IOException {
        Recording av = new Recording("av", SecurityFunction.ANTIVIRUS, true);
        Recording ips = new Recording("ips", SecurityFunction.IPS, true);
        Recording raw = new Recording("raw", SecurityFunction.APPLICATION_IDENTIFICATION, false);
        pipeline.addEngine(av);
        pipeline.addEngine(ips);
        pipeline.addEngine(raw);
        byte[] wire = chunked(gzip(CONTENT), 1_000);

        download(List.of(new Header("Content-Encoding", "gzip"), new Header("Transfer-Encoding", "chunked")), wire, 777);

        assertThat(opened).as("one decoder for the one body").hasValue(1);
        assertThat(decoders.get(0).encodedBytes()).as("the wire bytes were decoded once, not once per engine")
                .isEqualTo(wire.length);
        assertThat(decoders.get(0).decodedBytes()).isEqualTo(CONTENT.length);
        assertThat(av.content.toByteArray()).isEqualTo(CONTENT);
        assertThat(ips.content.toByteArray()).isEqualTo(CONTENT);
        assertThat(av.asSent.size()).isZero();
        assertThat(raw.asSent.toByteArray()).as("an engine that wants the body as sent gets the wire bytes").isEqualTo(wire);
        assertThat(raw.content.size()).isZero();
    }

    @Test
    void noDecoderIsMadeWhenNoEngineWantsContentOrNothingIsToBeUndone() throws IOException {
        Recording raw = new Recording("raw", SecurityFunction.IPS, false);
        pipeline.addEngine(raw);
        byte[] wire = gzip(CONTENT);
        download(List.of(new Header("Content-Encoding", "gzip")), wire, 4096);
        assertThat(opened).hasValue(0);
        assertThat(raw.asSent.toByteArray()).isEqualTo(wire);

        Recording av = new Recording("av", SecurityFunction.ANTIVIRUS, true);
        pipeline.addEngine(av);
        download(List.of(new Header("Content-Type", "text/javascript")), CONTENT, 4096);
        assertThat(opened).as("an identity body is its own content").hasValue(0);
        assertThat(av.content.toByteArray()).isEqualTo(CONTENT);
    }

    @Test
    void aBodyThatCannotBeDecodedIsSaidOnceAndTheRestGoesAsSentFromTheFailingChunk() throws IOException {
        Recording av = new Recording("av", SecurityFunction.ANTIVIRUS, true);
        Recording ips = new Recording("ips", SecurityFunction.IPS, true);
        pipeline.addEngine(av);
        pipeline.addEngine(ips);
        byte[] wire = gzip(CONTENT);
        int broken = wire.length / 2;
        Arrays.fill(wire, broken, broken + 64, (byte) 0x5a); // the deflate stream breaks in the second half

        download(List.of(new Header("Content-Encoding", "gzip")), wire, 1024);

        for (Recording r : List.of(av, ips)) {
            assertThat(r.undecodable).hasSize(1);
            int failedAt = wire.length - r.asSent.size();
            assertThat(failedAt % 1024).as("from a chunk's start").isZero();
            assertThat(failedAt).isLessThanOrEqualTo(broken + 64);
            assertThat(r.asSent.toByteArray()).isEqualTo(Arrays.copyOfRange(wire, failedAt, wire.length));
        }
        assertThat(opened).hasValue(1);
    }

    @Test
    void anUnknownCodingIsSaidAtTheHeadersAndTheBodyGoesAsSent() {
        Recording av = new Recording("av", SecurityFunction.ANTIVIRUS, true);
        pipeline.addEngine(av);
        try (StreamingInspection i = pipeline.open(REQUEST)) {
            i.headers(Direction.RESPONSE, List.of(new Header("Content-Encoding", "zstd-unknown")));
            assertThat(av.undecodable).singleElement().asString().contains("zstd-unknown");
            i.body(Direction.RESPONSE, ByteBuffer.wrap(CONTENT).asReadOnlyBuffer());
            i.endOfBody(Direction.RESPONSE);
        }
        assertThat(av.asSent.toByteArray()).isEqualTo(CONTENT);
        assertThat(av.content.size()).isZero();
    }
}
