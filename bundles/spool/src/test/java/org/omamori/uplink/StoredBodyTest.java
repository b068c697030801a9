package org.omamori.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import com.fasterxml.jackson.core.JsonGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.spool.Batch;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.spool.TestEvents;

class StoredBodyTest {

    @TempDir
    Path dir;

    final TestEvents events = new TestEvents();

    /** The body as the uplink made it before it sent the stored bytes: every event decoded and encoded again. */
    static byte[] encodedAgain(List<Event> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("appliance", TestEvents.APPLIANCE.value());
            g.writeArrayFieldStart("events");
            for (Event e : events) {
                EventCodec.write(e, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Subscribes asking for one buffer at a time (from inside onNext too) and collects what comes. */
    static class Collector implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();
        Flow.Subscription subscription;
        boolean complete;
        Throwable error;
        int cancelAfter = Integer.MAX_VALUE;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(ByteBuffer item) {
            sizes.add(item.remaining());
            byte[] b = new byte[item.remaining()];
            item.get(b);
            bytes.writeBytes(b);
            if (sizes.size() >= cancelAfter) {
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            complete = true;
        }
    }

    @Test
    void theBodyIsTheEnvelopeAroundTheStoredBytesAndEqualsTheOldEncoding() throws IOException {
        List<Event> published = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            published.add(events.access("https://例え.jp/" + "路".repeat(i * 10) + "?q=\"x\"\\y", "ニュース", "é/" + i));
        }
        try (Spool spool = Spool.open(SpoolSettings.in(dir), events.factory())) {
            spool.publish(published);
            Batch batch = spool.take(1000, 1 << 20);
            var publisher = StoredBody.of(TestEvents.APPLIANCE, batch);
            Collector c = new Collector();
            publisher.subscribe(c);

            byte[] expected = encodedAgain(published);
            assertThat(c.complete).isTrue();
            assertThat(c.error).isNull();
            assertThat(c.bytes.toByteArray()).as("the wire format is unchanged").isEqualTo(expected);
            assertThat(publisher.contentLength()).isEqualTo(expected.length);
            assertThat(c.sizes).allSatisfy(n -> assertThat(n).isBetween(1, StoredBody.SLICE));
            assertThat(c.sizes.size()).isGreaterThan(3);

            Collector second = new Collector();
            publisher.subscribe(second);
            assertThat(second.bytes.toByteArray()).as("a second subscription (a retry) gets the whole body again").isEqualTo(expected);
        }
    }

    @Test
    void aCancelledSubscriptionGetsNothingMoreAndABadRequestIsAnError() throws IOException {
        try (Spool spool = Spool.open(SpoolSettings.in(dir), events.factory())) {
            spool.publish(events.access(200));
            Batch batch = spool.take(1000, 1 << 20);
            Collector c = new Collector();
            c.cancelAfter = 2;
            StoredBody.of(TestEvents.APPLIANCE, batch).subscribe(c);
            assertThat(c.sizes).hasSize(2);
            assertThat(c.complete).isFalse();

            Collector bad = new Collector() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(0);
                }
            };
            StoredBody.of(TestEvents.APPLIANCE, batch).subscribe(bad);
            assertThat(bad.error).isInstanceOf(IllegalArgumentException.class);
            assertThat(bad.sizes).isEmpty();
        }
    }
}
