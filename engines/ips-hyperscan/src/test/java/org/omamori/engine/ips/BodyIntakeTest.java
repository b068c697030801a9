package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omamori.engine.ips.IpsEngineTest.EICAR;
import static org.omamori.engine.ips.IpsEngineTest.OMAMORI_RULES;
import static org.omamori.engine.ips.IpsEngineTest.ascii;
import static org.omamori.engine.ips.IpsEngineTest.outbound;
import static org.omamori.engine.ips.IpsEngineTest.source;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;

/**
 * A body's coding, fallback and byte count belong to its exchange: the pooled state that takes
 * the next exchange (the same one, on one thread) starts its {@link BodyIntake} over.
 */
class BodyIntakeTest {

    /** Small window and limit: 10,000 bytes of each body inspected. */
    private static final IpsSettings SMALL = new IpsSettings(IpsSettings.DEFAULTS.blockLevel(), 4096, 10_000);
    private IpsEngine engine;

    @BeforeEach
    void load() {
        engine = new IpsEngine("1.0.0", SMALL);
        assertThat(engine.loadNow(source(OMAMORI_RULES), SMALL)).isTrue();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aFallbackAndALimitReachedAreNotCarriedToTheNextExchange() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (Inspection broken = engine.inspect(outbound("GET", "http://files.example/broken").build())) {
                broken.headers(Direction.RESPONSE, List.of(new Header("Content-Encoding", "gzip")));
                broken.body(Direction.RESPONSE, ascii("not gzip at all"));
                for (int k = 0; k < 3; k++) {
                    broken.body(Direction.RESPONSE, ByteBuffer.allocate(4000));
                }
                broken.endOfBody(Direction.RESPONSE);
                assertThat(broken.verdict().note()).contains("could not be decoded")
                        .contains("inspected the first 10000 bytes of the response body only");
            }
            try (Inspection next = engine.inspect(outbound("GET", "http://files.example/plain").build())) {
                next.headers(Direction.RESPONSE, List.of());
                next.body(Direction.RESPONSE, ByteBuffer.allocate(9000)); // with the last body's count, EICAR would be past the limit
                next.body(Direction.RESPONSE, ascii(EICAR));
                next.endOfBody(Direction.RESPONSE);
                assertThat(next.verdict().finding()).as("round " + round).isPresent();
                assertThat(next.verdict().note()).as("round " + round).doesNotContain("could not be decoded")
                        .doesNotContain("inspected the first");
            }
        }
    }

    @Test
    void aBodyAsSentIsNotTakenForTheNextExchangesCodedOne() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(EICAR.getBytes(StandardCharsets.ISO_8859_1));
        }
        for (int round = 0; round < 3; round++) {
            try (Inspection plain = engine.inspect(outbound("GET", "http://files.example/plain").build())) {
                plain.headers(Direction.RESPONSE, List.of(new Header("Content-Type", "text/plain")));
                plain.body(Direction.RESPONSE, ascii("nothing here"));
                plain.endOfBody(Direction.RESPONSE);
                assertThat(plain.verdict().finding()).isEmpty();
            }
            try (Inspection coded = engine.inspect(outbound("GET", "http://files.example/zipped").build())) {
                coded.headers(Direction.RESPONSE, List.of(new Header("Content-Encoding", "gzip")));
                coded.body(Direction.RESPONSE, ByteBuffer.wrap(zipped.toByteArray()));
                coded.endOfBody(Direction.RESPONSE);
                assertThat(coded.verdict().finding()).as("round %d: decoded, EICAR is seen", round).isPresent();
                assertThat(coded.verdict().note()).doesNotContain("could not be decoded");
            }
        }
    }
}
