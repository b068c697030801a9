package org.omamori.uplink;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.omamori.events.ApplianceId;
import org.omamori.spool.Batch;

/**
 * The body of {@code POST /api/v1/events} made of the batch's stored bytes: the envelope
 * {@code {"appliance":"…","events":[}, the events exactly as the spool holds them, and
 * {@code ]}}. The same bytes as encoding each event again would give (docs/spool-and-uplink.md
 * "Sending the stored bytes"), but nothing is decoded, encoded or copied on the way: the HTTP
 * client reads slices of the batch's own array. Its length is known, so it goes with a
 * Content-Length as before.
 */
final class StoredBody implements Flow.Publisher<ByteBuffer> {

    /** Largest slice handed to the client at a time (the size the JDK's own byte-array bodies use). */
    static final int SLICE = 16 * 1024;
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

    private final byte[] head;
    private final byte[] events;
    private final int offset;
    private final int length;

    private StoredBody(byte[] head, byte[] events, int offset, int length) {
        this.head = head;
        this.events = events;
        this.offset = offset;
        this.length = length;
    }

    /** The envelope's start: an appliance id is 12 hex digits, so it needs no escaping. */
    static byte[] head(ApplianceId appliance) {
        return ("{\"appliance\":\"" + appliance.value() + "\",\"events\":[").getBytes(StandardCharsets.US_ASCII);
    }

    static HttpRequest.BodyPublisher of(ApplianceId appliance, Batch batch) {
        StoredBody body = batch.json((bytes, offset, length) -> new StoredBody(head(appliance), bytes, offset, length));
        return HttpRequest.BodyPublishers.fromPublisher(body, body.contentLength());
    }

    long contentLength() {
        return (long) head.length + length + TAIL.length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    /** One subscription: hands out the head, the events in slices, and the tail, as demanded. */
    private final class Slices implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger draining = new AtomicInteger();
        private volatile boolean cancelled;
        /** 0 head, 1 events, 2 tail, 3 done; only the draining thread touches these. */
        private int part;
        private int at;

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                return;
            }
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        private void drain() {
            if (draining.getAndIncrement() != 0) {
                return; // the thread draining now sees the new demand
            }
            do {
                while (!cancelled && part < 3 && demand.get() > 0) {
                    ByteBuffer next = next();
                    if (next != null) {
                        demand.decrementAndGet();
                        subscriber.onNext(next);
                    }
                }
                if (!cancelled && part == 3) {
                    part = 4;
                    subscriber.onComplete();
                }
            } while (draining.decrementAndGet() != 0);
        }

        /** The next slice, or null when a part ended (and the next part begins). */
        private ByteBuffer next() {
            switch (part) {
                case 0 -> {
                    part = 1;
                    return ByteBuffer.wrap(head);
                }
                case 1 -> {
                    if (at >= length) {
                        part = 2;
                        return null;
                    }
                    int n = Math.min(SLICE, length - at);
                    ByteBuffer slice = ByteBuffer.wrap(events, offset + at, n);
                    at += n;
                    return slice;
                }
                default -> {
                    part = 3;
                    return ByteBuffer.wrap(TAIL);
                }
            }
        }
    }
}
