package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Level;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;

class EventQueueTest {

    private final EventFactory factory = new EventFactory(ApplianceId.parse("0000000000a2"));

    private List<Event> events(int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(factory.system("test:" + i, "event " + i, Level.LOW, ""));
        }
        return out;
    }

    @Test
    void publishesOffTheCallersThreadInBatchesAndEverythingQueuedAtClose() {
        List<String> threads = new CopyOnWriteArrayList<>();
        List<Integer> batches = new CopyOnWriteArrayList<>();
        List<Event> got = new CopyOnWriteArrayList<>();
        CountDownLatch hold = new CountDownLatch(1);
        EventSink sink = list -> {
            try {
                hold.await(5, TimeUnit.SECONDS); // the first batch waits: the rest gathers meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            threads.add(Thread.currentThread().getName());
            batches.add(list.size());
            got.addAll(list);
        };
        DnsCounters counters = new DnsCounters();
        List<Event> sent = events(3_000);
        try (EventQueue q = new EventQueue(sink, counters, 4_096)) {
            for (Event e : sent) {
                q.offer(List.of(e));
            }
            hold.countDown();
        }
        assertThat(got).containsExactlyElementsOf(sent);
        assertThat(threads).containsOnly("dns-events");
        assertThat(batches).allMatch(n -> n <= EventQueue.BATCH);
        assertThat(batches.size()).isLessThan(100); // batches, not one publish per event
        assertThat(counters.eventFailures.sum()).isZero();
    }

    @Test
    void aFullQueueIsPublishedByTheCallerNothingLost() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        List<Event> got = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = new CopyOnWriteArrayList<>();
        EventSink sink = list -> {
            if (Thread.currentThread().getName().equals("dns-events")) {
                try {
                    hold.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            threads.add(Thread.currentThread().getName());
            got.addAll(list);
        };
        DnsCounters counters = new DnsCounters();
        List<Event> sent = events(200);
        try (EventQueue q = new EventQueue(sink, counters, 10)) {
            q.offer(sent.subList(0, 1));
            Thread.sleep(300); // the publisher has taken the first event and waits in the sink
            q.offer(sent.subList(1, 200));
            assertThat(threads).contains(Thread.currentThread().getName());
            hold.countDown();
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(counters.eventFailures.sum()).isZero();
    }

    @Test
    void aFailingSinkIsCountedNotThrown() {
        DnsCounters counters = new DnsCounters();
        try (EventQueue q = new EventQueue(list -> {
            throw new IllegalStateException("disk full");
        }, counters, 100)) {
            q.offer(events(5));
        }
        assertThat(counters.eventFailures.sum()).isEqualTo(5);
    }
}
