package org.omamori.spool;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFormatException;
import org.omamori.events.Kind;

/**
 * Events taken from the spool for sending, oldest first within each kind, threats first, held
 * as the spool stored them: each event's JSON object exactly as {@code EventCodec} wrote it when
 * it was published, one after the other with a comma between them. The uplink puts these bytes
 * into the request body as they are (docs/spool-and-uplink.md "Sending the stored bytes"); nothing
 * on the send path decodes an event.
 *
 * <p>The spool forgets the events only when the batch is {@link Spool#ack acknowledged}; until
 * then a later take (or a restart) hands them out again. Immutable.
 */
public final class Batch {

    /** Receives the batch's JSON without a copy: the array is the batch's own, to read and not to change or keep past the batch. */
    @FunctionalInterface
    public interface JsonBytes<T> {
        T use(byte[] bytes, int offset, int length);
    }

    static final Batch EMPTY = new Batch(new byte[0], 0, new int[0], 0, BatchBuilder.noKinds(), Map.of());

    private final byte[] json;
    private final int length;
    private final int[] starts;
    private final int size;
    /** Per kind (by ordinal), the index of its first event in the batch, or -1. */
    private final int[] firstOfKind;
    private final Map<Kind, Position> ends;

    Batch(byte[] json, int length, int[] starts, int size, int[] firstOfKind, Map<Kind, Position> ends) {
        this.json = json;
        this.length = length;
        this.starts = starts;
        this.size = size;
        this.firstOfKind = firstOfKind;
        this.ends = Collections.unmodifiableMap(ends.isEmpty() ? Map.of() : new EnumMap<>(ends));
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** How many events. */
    public int size() {
        return size;
    }

    /** The events' JSON size counting one separator each, the measure of {@link Spool#take}'s byte limit. */
    public long bytes() {
        return size == 0 ? 0 : length + 1L;
    }

    /** Per kind, where the queue stands after these events. */
    public Map<Kind, Position> ends() {
        return ends;
    }

    /**
     * The events as stored, comma-separated: what goes between {@code "events":[} and {@code ]} of
     * the request body (docs/api/uplink.yaml), handed to {@code use} without a copy.
     */
    public <T> T json(JsonBytes<T> use) {
        return use.use(json, 0, length);
    }

    /** Writes the events as stored, comma-separated. */
    public void writeJson(OutputStream out) throws IOException {
        out.write(json, 0, length);
    }

    /** The stored JSON of event {@code i} (a copy). */
    public byte[] event(int i) {
        return Arrays.copyOfRange(json, start(i), end(i));
    }

    private int start(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " of a batch of " + size);
        }
        return starts[i];
    }

    private int end(int i) {
        return i + 1 < size ? starts[i + 1] - 1 : length;
    }

    /**
     * The events decoded. Not used to send them: for tests, tools and the rare path that needs
     * a field (e.g. naming a quarantine file).
     *
     * @throws EventFormatException when a stored event is not one this version reads
     */
    public List<Event> events() {
        List<Event> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(EventCodec.fromJson(event(i)));
        }
        return events;
    }

    /**
     * The time of the oldest event, as far as the first event of each kind in the batch tells it
     * (each kind is stored oldest first); empty for an empty batch or when none of those could be
     * read. Decodes at most one event per kind.
     */
    public Optional<Instant> oldestTime() {
        Instant oldest = null;
        for (int first : firstOfKind) {
            if (first < 0) {
                continue;
            }
            try {
                Instant t = EventCodec.fromJson(event(first)).time();
                if (oldest == null || t.isBefore(oldest)) {
                    oldest = t;
                }
            } catch (EventFormatException e) {
                // Another version's event: the others still tell.
            }
        }
        return Optional.ofNullable(oldest);
    }

    @Override
    public String toString() {
        return "Batch[" + size + " events, " + bytes() + " bytes, ends " + ends + "]";
    }
}
