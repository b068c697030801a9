package org.omamori.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;

/** A batch's frames are the records {@link Frames#frame} makes of each event's JSON, byte for byte. */
class FrameBatchTest {

    final TestEvents events = new TestEvents();

    @Test
    void framesAreTheRecordsOfEachEventInOrderAsTheBatchGrows() {
        List<Event> all = new ArrayList<>(events.access(40));
        all.addAll(events.threats(40));
        FrameBatch batch = new FrameBatch(2); // room for two: grows many times over
        all.forEach(batch::add);
        assertThat(batch.count()).isEqualTo(80);
        for (int i = 0; i < all.size(); i++) {
            byte[] expected = Frames.frame(EventCodec.toJson(all.get(i)));
            byte[] got = Arrays.copyOfRange(batch.bytes(), batch.start(i), batch.end(i));
            assertThat(got).as("frame %d", i).isEqualTo(expected);
        }
    }

    @Test
    void aClearedBatchFramesAnewFromTheStartOfItsArray() {
        FrameBatch batch = new FrameBatch(2);
        events.threats(50).forEach(batch::add);
        int capacity = batch.capacity();
        batch.clear();
        List<Event> next = events.access(3);
        next.forEach(batch::add);
        assertThat(batch.count()).isEqualTo(3);
        assertThat(batch.capacity()).isEqualTo(capacity);
        for (int i = 0; i < next.size(); i++) {
            assertThat(Arrays.copyOfRange(batch.bytes(), batch.start(i), batch.end(i))).isEqualTo(Frames.frame(EventCodec.toJson(next.get(i))));
        }
    }
}
