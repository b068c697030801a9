package org.omamori.api.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class InspectionRequestHeadTest {

    @Test
    void theHeadIsAReadOnlyViewOfTheIntakesBytesFromItsPositionAndEachCallGivesItsOwn() {
        byte[] wire = "xxGET / HTTP/1.0\r\nHost:  a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer given = ByteBuffer.wrap(wire);
        given.position(2);
        InspectionRequest r = InspectionRequest.http("GET", "http://a/").httpVersion("HTTP/1.0").head(given).build();
        given.position(7); // the intake moving its buffer afterwards changes nothing

        ByteBuffer first = r.head();
        assertThat(first.isReadOnly()).isTrue();
        assertThat(first.position()).isZero();
        byte[] read = new byte[first.remaining()];
        first.get(read);
        assertThat(new String(read, StandardCharsets.ISO_8859_1)).isEqualTo("GET / HTTP/1.0\r\nHost:  a\r\n\r\n");
        assertThat(r.head().remaining()).as("a second view, not moved by the first's reading").isEqualTo(read.length);
        wire[2] = 'P';
        assertThat(r.head().get(0)).as("a view, not a copy").isEqualTo((byte) 'P');
        assertThat(r.httpVersion()).isEqualTo("HTTP/1.0");
    }

    @Test
    void aRequestMadeAsBefore15HasNoVersionAndAnEmptyHead() {
        InspectionRequest built = InspectionRequest.http("GET", "http://a/").build();
        InspectionRequest constructed = new InspectionRequest(Connection.unknown(), Protocol.DNS, "a", "", "", List.of(), "a", "",
                Set.of());
        for (InspectionRequest r : List.of(built, constructed)) {
            assertThat(r.httpVersion()).isEmpty();
            assertThat(r.head().hasRemaining()).isFalse();
            assertThat(r.head().isReadOnly()).isTrue();
        }
    }
}
