package org.omamori.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventId;
import org.omamori.events.Kind;

class SpoolTest {

    @TempDir
    Path dir;

    final TestEvents events = new TestEvents();

    Spool open(SpoolSettings settings) throws IOException {
        return Spool.open(settings, events.factory());
    }

    Spool open() throws IOException {
        return open(SpoolSettings.in(dir));
    }

    static List<EventId> ids(List<Event> list) {
        return list.stream().map(Event::id).toList();
    }

    /** Takes and acknowledges everything. */
    static List<Event> drain(Spool spool) {
        List<Event> all = new ArrayList<>();
        for (Batch b = spool.take(300, 1 << 20); !b.isEmpty(); b = spool.take(300, 1 << 20)) {
            all.addAll(b.events());
            spool.ack(b);
        }
        return all;
    }

    @Test
    void publishedEventsComeBackThreatsFirstEachKindOldestFirst() throws IOException {
        List<Event> access = events.access(5);
        List<Event> threats = events.threats(3);
        try (Spool spool = open()) {
            spool.publish(access);
            spool.publish(threats);

            Batch batch = spool.take(100, 1 << 20);
            List<Event> expected = new ArrayList<>(threats);
            expected.addAll(access);
            assertThat(batch.events()).containsExactlyElementsOf(expected);
            assertThat(spool.take(100, 1 << 20).events()).as("taking again before ack hands out the same").isEqualTo(batch.events());

            spool.ack(batch);
            assertThat(spool.take(100, 1 << 20).isEmpty()).isTrue();
            assertThat(spool.counters()).satisfies(c -> {
                assertThat(c.spooled()).isEqualTo(8);
                assertThat(c.acked()).isEqualTo(8);
                assertThat(c.pending()).isZero();
            });
        }
    }

    @Test
    void publishesOfMixedKindsAndSizesEachKeepTheirOwnEventsInOrderThoughTheirFramingArraysAreReused() throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(18);
        List<Event> threats = new ArrayList<>();
        List<Event> access = new ArrayList<>();
        try (Spool spool = open(SpoolSettings.in(dir).withSegmentBytes(64 * 1024))) {
            for (int p = 0; p < 60; p++) {
                // A small publish after a large one reuses the large one's array, whose old frames must not leak in.
                List<Event> batch = events.mixed(p % 3 == 0 ? 1 + r.nextInt(600) : 1 + r.nextInt(5));
                java.util.Collections.shuffle(batch, new java.util.Random(p));
                spool.publish(batch);
                batch.stream().filter(e -> e.kind() == Kind.THREAT).forEach(threats::add);
                batch.stream().filter(e -> e.kind() == Kind.ACCESS).forEach(access::add);
            }
            List<Event> expected = new ArrayList<>(threats);
            expected.addAll(access);
            assertThat(ids(drain(spool))).containsExactlyElementsOf(ids(expected));
            assertThat(spool.counters().spooled()).isEqualTo(expected.size());
        }
    }

    @Test
    void takeRespectsEventAndByteLimits() throws IOException {
        try (Spool spool = open()) {
            spool.publish(events.access(50));
            assertThat(spool.take(7, 1 << 20).size()).isEqualTo(7);
            int oneEvent = EventCodec.toJson(events.access()).length;
            assertThat(spool.take(100, 3L * oneEvent + 10).size()).isEqualTo(3);
            assertThat(spool.take(100, 1).size()).as("at least one event even if larger than the byte limit").isEqualTo(1);
        }
    }

    @Test
    void aRestartHandsOutExactlyTheUnacknowledgedEvents() throws IOException {
        List<Event> all = events.mixed(2000);
        List<Event> acked;
        try (Spool spool = open(SpoolSettings.in(dir).withSegmentBytes(64 * 1024))) {
            spool.publish(all);
            Batch first = spool.take(500, 1 << 20);
            spool.ack(first);
            acked = first.events();
        }
        try (Spool spool = open(SpoolSettings.in(dir).withSegmentBytes(64 * 1024))) {
            assertThat(spool.counters().pending()).isEqualTo(1500);
            List<Event> rest = drain(spool);
            assertThat(rest).hasSize(1500).doesNotContainAnyElementsOf(acked);
            List<Event> together = new ArrayList<>(acked);
            together.addAll(rest);
            assertThat(together).containsExactlyInAnyOrderElementsOf(all);
        }
        try (Spool spool = open(SpoolSettings.in(dir).withSegmentBytes(64 * 1024))) {
            assertThat(spool.counters().pending()).isZero();
            assertThat(segments()).as("acknowledged segments are deleted").hasSizeLessThanOrEqualTo(3);
        }
    }

    @Test
    void aTornLastRecordIsCutAtStartAndTheSpoolGoesOn() throws IOException {
        List<Event> kept = events.access(10);
        try (Spool spool = open()) {
            spool.publish(kept);
        }
        Path segment = segments().stream().filter(p -> p.getFileName().toString().startsWith("access-")).findFirst().orElseThrow();
        byte[] whole = Frames.frame(EventCodec.toJson(events.access()));
        Files.write(segment, java.util.Arrays.copyOf(whole, whole.length / 2), StandardOpenOption.APPEND);
        long tornSize = Files.size(segment);

        Event later = events.access();
        try (Spool spool = open()) {
            assertThat(Files.size(segment)).isEqualTo(tornSize - whole.length / 2);
            spool.publish(List.of(later));
            List<Event> all = drain(spool);
            List<Event> expected = new ArrayList<>(kept);
            expected.add(later);
            assertThat(all).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aCorruptByteInTheLastRecordIsDetectedByItsCrc() throws IOException {
        List<Event> kept = events.access(5);
        try (Spool spool = open()) {
            spool.publish(kept);
        }
        Path segment = segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x20;
        Files.write(segment, bytes);
        try (Spool spool = open()) {
            assertThat(drain(spool)).containsExactlyElementsOf(kept.subList(0, 4));
        }
    }

    @Test
    void pastTheBoundTheOldestAccessEventsGoAndTheDropIsRecorded() throws IOException {
        SpoolSettings small = SpoolSettings.in(dir).withSegmentBytes(16 * 1024).withMaxBytes(64 * 1024);
        List<Event> threats = events.threats(20);
        List<Event> access = events.access(600);
        try (Spool spool = open(small)) {
            spool.publish(threats);
            for (int i = 0; i < access.size(); i += 50) {
                spool.publish(access.subList(i, i + 50));
            }
            SpoolCounters counters = spool.counters();
            assertThat(counters.dropped()).isPositive();
            assertThat(counters.bytes()).isLessThanOrEqualTo(64 * 1024);

            List<Event> left = drain(spool);
            assertThat(left).containsAll(threats);
            List<Event> accessLeft = left.stream().filter(e -> e.kind() == Kind.ACCESS).toList();
            assertThat(accessLeft).as("the newest access events are kept, oldest dropped")
                    .isEqualTo(access.subList(access.size() - accessLeft.size(), access.size()));
            List<Event> drops = left.stream().filter(e -> e.kind() == Kind.SYSTEM).toList();
            assertThat(drops).isNotEmpty().allSatisfy(e -> assertThat(e.ruleId()).isEqualTo(Spool.DROPPED));
            long recorded = drops.stream().mapToLong(e -> Long.parseLong(e.note().split(" ")[0])).sum();
            assertThat(recorded).isEqualTo(counters.dropped()).isEqualTo(access.size() - accessLeft.size());
        }
    }

    @Test
    void threatsAreNeverDroppedEvenPastTheBound() throws IOException {
        SpoolSettings small = SpoolSettings.in(dir).withSegmentBytes(8 * 1024).withMaxBytes(16 * 1024);
        List<Event> threats = events.threats(200);
        try (Spool spool = open(small)) {
            for (int i = 0; i < threats.size(); i += 20) {
                spool.publish(threats.subList(i, i + 20));
            }
            assertThat(spool.counters().bytes()).isGreaterThan(16 * 1024);
            assertThat(spool.counters().dropped()).isZero();
            assertThat(drain(spool)).containsExactlyElementsOf(threats);
        }
    }

    @Test
    void droppingWhileABatchIsOutDoesNotLoseOrRepeatLaterEvents() throws IOException {
        SpoolSettings small = SpoolSettings.in(dir).withSegmentBytes(8 * 1024).withMaxBytes(16 * 1024);
        try (Spool spool = open(small)) {
            spool.publish(events.access(20));
            Batch out = spool.take(10, 1 << 20);
            List<Event> more = events.access(200);
            spool.publish(more);
            spool.ack(out); // its segment was dropped meanwhile: the ack must not move the cursor back
            List<Event> rest = drain(spool).stream().filter(e -> e.kind() == Kind.ACCESS).toList();
            assertThat(rest).isEqualTo(more.subList(more.size() - rest.size(), more.size()));
        }
    }

    @Test
    void aPublishFromAnInterruptedThreadFailsAloneAndTheSpoolGoesOn() throws IOException {
        try (Spool spool = open()) {
            List<Event> before = events.threats(2);
            spool.publish(before);
            Thread.currentThread().interrupt();
            try {
                spool.publish(events.threats(1));
            } catch (java.io.UncheckedIOException e) {
                // refused: the interrupt closed the file channel it wrote with
            } finally {
                Thread.interrupted();
            }
            List<Event> after = events.threats(3);
            spool.publish(after);
            List<Event> all = drain(spool);
            assertThat(all).startsWith(before.toArray(Event[]::new)).endsWith(after.toArray(Event[]::new));
        }
    }

    @Test
    void syncEveryPublishModeWorksToo() throws IOException {
        try (Spool spool = open(SpoolSettings.in(dir).withSyncInterval(Duration.ZERO))) {
            spool.publish(events.mixed(100));
            assertThat(drain(spool)).hasSize(100);
        }
    }

    List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted(Comparator.naturalOrder()).toList();
        }
    }
}
