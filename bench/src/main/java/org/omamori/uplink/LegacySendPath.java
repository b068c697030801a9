package org.omamori.uplink;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.core.JsonGenerator;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.Kind;
import org.omamori.spool.Position;

/**
 * The send path as main had it before the stored bytes were sent as they are (main at 96e93c2:
 * {@code Spool.read}, {@code Frames.read}, {@code Batch}, {@code Uplink.oldest} and
 * {@code CloudClient.sendEvents}), kept here only to be measured against the new one in the same
 * run: each record read through a BufferedInputStream into its own array, decoded to an
 * {@link Event}, the batch's events encoded again with Jackson into the body, the body handed to
 * the HTTP client as a byte array. It reads the same segment files from their start (the cursor
 * of a spool that has acknowledged nothing).
 */
final class LegacySendPath {

    private static final List<Kind> TAKE_ORDER = List.of(Kind.THREAT, Kind.SYSTEM, Kind.ACCESS);
    private static final int HEADER = 8;
    private static final int MAX_PAYLOAD = 64 * 1024;

    /** What main's Batch record held. */
    record LegacyBatch(List<Event> events, long bytes, Map<Kind, Position> ends) {
        LegacyBatch {
            events = List.copyOf(events);
            ends = Map.copyOf(ends);
        }
    }

    private final Map<Kind, List<Path>> segments = new EnumMap<>(Kind.class);

    LegacySendPath(Path dir) throws IOException {
        for (Kind kind : TAKE_ORDER) {
            try (var files = Files.list(dir)) {
                segments.put(kind, files.filter(p -> p.getFileName().toString().startsWith(kind.wire() + "-")
                        && p.getFileName().toString().endsWith(".seg")).sorted().toList());
            }
        }
    }

    /** main's {@code Spool.take}. */
    LegacyBatch take(int maxEvents, long maxBytes) {
        List<Event> events = new ArrayList<>();
        Map<Kind, Position> ends = new EnumMap<>(Kind.class);
        long[] bytes = {0};
        for (Kind kind : TAKE_ORDER) {
            if (events.size() >= maxEvents || bytes[0] >= maxBytes) {
                break;
            }
            Position end = read(segments.get(kind), events, bytes, maxEvents, maxBytes);
            if (end != null) {
                ends.put(kind, end);
            }
        }
        return new LegacyBatch(events, bytes[0], ends);
    }

    /** main's {@code Spool.read}, from the start of the kind's first segment. */
    private static Position read(List<Path> files, List<Event> events, long[] bytes, int maxEvents, long maxBytes) {
        Position end = null;
        byte[] header = new byte[HEADER];
        long seq = 0;
        for (Path file : files) {
            seq++;
            long offset = 0;
            int index = 0;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
                long size = Files.size(file);
                skipFully(in, offset);
                while (offset < size) {
                    if (events.size() >= maxEvents) {
                        return end;
                    }
                    byte[] payload = readFrame(in, header);
                    if (payload == null) {
                        return new Position(seq, size, index);
                    }
                    if (!events.isEmpty() && bytes[0] + payload.length + 1 > maxBytes) {
                        return end;
                    }
                    offset += HEADER + payload.length;
                    index++;
                    end = new Position(seq, offset, index);
                    events.add(EventCodec.fromJson(payload));
                    bytes[0] += payload.length + 1;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return end;
    }

    /** main's {@code Frames.read}. */
    private static byte[] readFrame(InputStream in, byte[] header) throws IOException {
        int n = in.readNBytes(header, 0, HEADER);
        if (n < HEADER) {
            return null;
        }
        int length = ByteBuffer.wrap(header).getInt(0);
        int expected = ByteBuffer.wrap(header).getInt(4);
        if (length <= 0 || length > MAX_PAYLOAD) {
            return null;
        }
        byte[] payload = new byte[length];
        if (in.readNBytes(payload, 0, length) < length) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, 0, length);
        return (int) crc.getValue() == expected ? payload : null;
    }

    private static void skipFully(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("segment shorter than expected");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** main's {@code Uplink.oldest}. */
    static Instant oldest(LegacyBatch batch) {
        Instant oldest = null;
        for (Event e : batch.events()) {
            if (oldest == null || e.time().isBefore(oldest)) {
                oldest = e.time();
            }
        }
        return oldest;
    }

    /** main's {@code CloudClient.sendEvents} body: every event encoded again. */
    static HttpRequest.BodyPublisher body(ApplianceId appliance, LegacyBatch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("appliance", appliance.value());
            g.writeArrayFieldStart("events");
            for (Event e : batch.events()) {
                EventCodec.write(e, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpRequest.BodyPublishers.ofByteArray(out.toByteArray());
    }
}
