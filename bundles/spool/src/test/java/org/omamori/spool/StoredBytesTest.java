package org.omamori.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.Kind;

/**
 * A batch carries the events exactly as they were stored (docs/spool-and-uplink.md "Sending the
 * stored bytes"): not decoded and encoded again, nothing lost or doubled across batches and
 * restarts, damaged records never handed out.
 */
class StoredBytesTest {

    @TempDir
    Path dir;

    final TestEvents events = new TestEvents();

    Spool open() throws IOException {
        return Spool.open(SpoolSettings.in(dir), events.factory());
    }

    /** The payloads of a kind's segment files, in order, as the disk holds them. */
    List<byte[]> stored(Kind kind) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(kind.wire() + "-")).sorted(Comparator.naturalOrder()).toList()) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
                while (b.remaining() >= Frames.HEADER) {
                    int length = b.getInt();
                    b.getInt();
                    byte[] payload = new byte[length];
                    b.get(payload);
                    payloads.add(payload);
                }
            }
        }
        return payloads;
    }

    static byte[] json(Batch batch) {
        return batch.json((bytes, offset, length) -> Arrays.copyOfRange(bytes, offset, offset + length));
    }

    static byte[] joined(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < payloads.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(payloads.get(i));
        }
        return out.toByteArray();
    }

    /** A segment file written by hand, as a spool of another version (or with another encoder) could have left it. */
    void writeSegment(Kind kind, long seq, List<byte[]> payloads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            out.writeBytes(Frames.frame(p));
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(kind.wire() + "-" + String.format("%020d", seq) + ".seg"), out.toByteArray());
    }

    @Test
    void aBatchIsTheStoredPayloadsJoinedByCommasByteForByte() throws IOException {
        List<Event> published = List.of(
                events.access("https://例え.jp/検索?q=\"引用\"&x=\\path", "ニュース \"quoted\"", "note with \\ and / and é"),
                events.access(), events.threat(), events.access("http://a.example/" + "x".repeat(2000), "r", "n"));
        try (Spool spool = open()) {
            spool.publish(published);
            Batch batch = spool.take(100, 1 << 20);
            List<byte[]> expected = new ArrayList<>(stored(Kind.THREAT));
            expected.addAll(stored(Kind.ACCESS));
            assertThat(batch.size()).isEqualTo(4);
            assertThat(json(batch)).isEqualTo(joined(expected));
            for (int i = 0; i < expected.size(); i++) {
                assertThat(batch.event(i)).isEqualTo(expected.get(i));
            }
            assertThat(batch.bytes()).isEqualTo(json(batch).length + 1L);
            assertThat(batch.events()).containsExactly(published.get(2), published.get(0), published.get(1), published.get(3));
        }
    }

    @Test
    void storedBytesAreHandedOutAsTheyAreNotAsThisVersionWouldEncodeThem() throws IOException {
        Event e = events.access();
        String canonical = new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
        // The same event, but not as EventCodec writes it: spaces, an escaped letter, fields reordered.
        String other = "{ \"appliance\":\"" + e.appliance().value() + "\"," + canonical.substring(1)
                .replace(",\"appliance\":\"" + e.appliance().value() + "\"", "")
                .replace("\"host\":\"www.example.jp\"", "\"host\":\"www.ex\\u0061mple.jp\"") + " ";
        other = other.strip();
        assertThat(EventCodec.fromJson(other.getBytes(StandardCharsets.UTF_8))).as("still the same valid event").isEqualTo(e);
        assertThat(other.getBytes(StandardCharsets.UTF_8)).isNotEqualTo(EventCodec.toJson(e));
        writeSegment(Kind.ACCESS, 1, List.of(other.getBytes(StandardCharsets.UTF_8)));

        try (Spool spool = open()) {
            Batch batch = spool.take(10, 1 << 20);
            assertThat(batch.size()).isEqualTo(1);
            assertThat(new String(json(batch), StandardCharsets.UTF_8)).as("not decoded and encoded again").isEqualTo(other);
        }
    }

    @Test
    void batchesStayWithinTheirLimitsAndTogetherHoldEveryEventOnceInOrder() throws IOException {
        Random random = new Random(18);
        List<Event> published = new ArrayList<>();
        SpoolSettings settings = SpoolSettings.in(dir).withSegmentBytes(256 * 1024);
        try (Spool spool = Spool.open(settings, events.factory())) {
            for (int round = 0; round < 40; round++) {
                List<Event> some = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    // 60 bytes to 2 KiB of URL, some of it three-byte UTF-8: frames straddle the read buffer's end.
                    String path = random.nextBoolean() ? "p".repeat(random.nextInt(2000)) : "路".repeat(random.nextInt(680));
                    some.add(events.access("https://www.example.jp/" + path, "News", ""));
                }
                spool.publish(some);
                published.addAll(some);
            }
            List<byte[]> stored = stored(Kind.ACCESS);
            assertThat(stored).hasSize(published.size());

            List<byte[]> handedOut = new ArrayList<>();
            int batches = 0;
            for (Batch b = take(spool, random); !b.isEmpty(); b = take(spool, random)) {
                batches++;
                for (int i = 0; i < b.size(); i++) {
                    handedOut.add(b.event(i));
                }
                spool.ack(b);
            }
            assertThat(batches).isGreaterThan(10);
            assertThat(handedOut).hasSize(stored.size());
            for (int i = 0; i < stored.size(); i++) {
                assertThat(handedOut.get(i)).as("event %d", i).isEqualTo(stored.get(i));
            }
        }
    }

    private Batch take(Spool spool, Random random) {
        int maxEvents = 1 + random.nextInt(300);
        long maxBytes = 1 + random.nextInt(256 * 1024);
        Batch b = spool.take(maxEvents, maxBytes);
        assertThat(b.size()).isLessThanOrEqualTo(maxEvents);
        if (b.size() > 1) {
            assertThat(b.bytes()).as("a batch of more than one event keeps to the byte limit").isLessThanOrEqualTo(maxBytes);
        }
        assertThat(json(b)).hasSize((int) Math.max(0, b.bytes() - 1));
        return b;
    }

    @Test
    void anUnacknowledgedBatchComesBackByteIdenticalAfterARestart() throws IOException {
        byte[] first;
        try (Spool spool = open()) {
            spool.publish(events.mixed(300));
            first = json(spool.take(120, 1 << 20));
            // no ack: the cloud did not answer 2xx before the appliance stopped
        }
        try (Spool spool = open()) {
            Batch again = spool.take(120, 1 << 20);
            assertThat(json(again)).isEqualTo(first);
            spool.ack(again);
        }
        try (Spool spool = open()) {
            Batch next = spool.take(1000, 1 << 20);
            assertThat(next.size()).isEqualTo(180);
            assertThat(new String(json(next), StandardCharsets.UTF_8)).doesNotContain(new String(first, StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTornTailAfterACrashIsNeverHandedOut() throws IOException {
        try (Spool spool = open()) {
            spool.publish(events.access(10));
        }
        List<byte[]> whole = stored(Kind.ACCESS);
        Path segment = dir.resolve("access-00000000000000000001.seg");
        byte[] torn = Frames.frame(EventCodec.toJson(events.access("https://torn.example/", "torn", "torn")));
        Files.write(segment, Arrays.copyOf(torn, torn.length - 5), StandardOpenOption.APPEND);

        try (Spool spool = open()) {
            Batch batch = spool.take(100, 1 << 20);
            assertThat(json(batch)).isEqualTo(joined(whole));
            assertThat(new String(json(batch), StandardCharsets.UTF_8)).doesNotContain("torn");
        }
    }

    @Test
    void aRecordDamagedWhileTheSpoolRunsIsSkippedCountedAndRecordedNeverSent() throws IOException {
        try (Spool spool = open()) {
            List<Event> access = events.access(10);
            spool.publish(access);
            List<byte[]> whole = stored(Kind.ACCESS);
            // Flip a byte inside the payload of the sixth record (bit rot, a stray write).
            Path segment = dir.resolve("access-00000000000000000001.seg");
            long at = 0;
            for (int i = 0; i < 5; i++) {
                at += Frames.HEADER + whole.get(i).length;
            }
            try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                ch.read(one, at + Frames.HEADER + 20);
                one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
                ch.write(one, at + Frames.HEADER + 20);
            }

            Batch batch = spool.take(100, 1 << 20);
            assertThat(batch.events()).as("the records before the damage, none after").isEqualTo(access.subList(0, 5));
            assertThat(spool.counters().damaged()).isEqualTo(5);

            Batch again = spool.take(100, 1 << 20);
            assertThat(spool.counters().damaged()).as("taking again counts the damage once").isEqualTo(5);
            List<Event> taken = again.events();
            assertThat(taken.stream().filter(e -> e.kind() == Kind.ACCESS).toList()).isEqualTo(access.subList(0, 5));
            assertThat(taken.stream().filter(e -> e.kind() == Kind.SYSTEM).toList()).singleElement().satisfies(e -> {
                assertThat(e.ruleId()).isEqualTo(Spool.DAMAGED);
                assertThat(e.note()).contains("access-00000000000000000001.seg", "5 access events skipped");
            });
            spool.ack(again);

            List<Event> later = events.access(3);
            spool.publish(later);
            Batch next = spool.take(100, 1 << 20);
            assertThat(next.events()).as("the queue goes on after the damage").isEqualTo(later);
        }
    }

    @Test
    void onlyDamagedRecordsLeftDoNotStallTheQueue() throws IOException {
        try (Spool spool = open()) {
            spool.publish(events.threats(4));
            Path segment = dir.resolve("threat-00000000000000000001.seg");
            try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {0x7f}), 1); // the first record's length is now absurd
            }
            Batch batch = spool.take(100, 1 << 20);
            assertThat(batch.events()).singleElement().satisfies(e -> assertThat(e.ruleId()).isEqualTo(Spool.DAMAGED));
            assertThat(spool.counters().damaged()).isEqualTo(4);
            spool.ack(batch);
            assertThat(spool.take(100, 1 << 20).isEmpty()).isTrue();
            assertThat(spool.counters().pending()).isZero();
        }
    }

    @Test
    void aQuarantineFileHoldsTheStoredEventsAndAnEscapedReason() throws IOException {
        try (Spool spool = open()) {
            spool.publish(events.threats(3));
            Batch batch = spool.take(100, 1 << 20);
            byte[] sent = json(batch);
            Path file = spool.quarantine(batch, "HTTP 422: events[0].note: \"bad\" \\ value");
            String text = Files.readString(file);
            assertThat(text).isEqualTo("{\"reason\":\"HTTP 422: events[0].note: \\\"bad\\\" \\\\ value\",\"events\":["
                    + new String(sent, StandardCharsets.UTF_8) + "]}");
            assertThat(file.getFileName().toString()).isEqualTo(batch.events().get(0).id() + ".json");
        }
    }
}
