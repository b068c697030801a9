package org.omamori.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.omamori.events.Event;
import org.omamori.events.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access-log events on their way to the sink, off the query's path: the threads that answer
 * queries only queue an event; one publisher thread hands the sink what has gathered, up to
 * {@value #BATCH} at a time, and after a smaller batch lets the next gather for {@value #LINGER_MILLIS} ms
 * (so a busy filter's threads do not wake it per event). So the spool encodes and writes in batches on one thread (one write
 * per batch, not per query) and a slow disk does not hold up an answer. When the queue is full
 * (the sink cannot keep up), the thread that answered the query and called
 * {@link #offer} publishes them itself: slower answers rather than lost threats.
 */
final class EventQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);
    static final int BATCH = 1024;
    /** How long the publisher lets events gather after a batch that was not full. */
    static final int LINGER_MILLIS = 5;

    private final EventSink sink;
    private final DnsCounters counters;
    private final ArrayBlockingQueue<Event> queue;
    private final RateLimitedLog log = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private final Thread publisher;
    private volatile boolean closing;

    EventQueue(EventSink sink, DnsCounters counters, int capacity) {
        this.sink = sink;
        this.counters = counters;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.publisher = Thread.ofPlatform().daemon().name("dns-events").start(this::run);
    }

    /** Queues the events; when the queue is full, publishes them on the calling thread. */
    void offer(List<Event> events) {
        for (int i = 0; i < events.size(); i++) {
            if (!queue.offer(events.get(i))) {
                publish(events.subList(i, events.size()));
                return;
            }
        }
    }

    private void publish(List<Event> events) {
        try {
            sink.publish(events);
        } catch (RuntimeException e) {
            counters.eventFailures.add(events.size());
            log.warn("DNS access-log events not published: {}", e.toString());
        }
    }

    private void run() {
        List<Event> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                Event first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH - 1);
            publish(batch);
            boolean full = batch.size() == BATCH;
            batch.clear();
            if (!full && !closing) {
                // Let the next events gather: waiting on the queue instead would be woken by every
                // event (a futex call and a context switch per query for the answering threads).
                try {
                    Thread.sleep(LINGER_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Publishes what is queued (waiting at most a few seconds), then stops the publisher. */
    @Override
    public void close() {
        closing = true;
        try {
            publisher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.interrupt();
    }
}
