package org.omamori.spool;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import org.omamori.events.Kind;

/**
 * Collects stored records into a {@link Batch}: each payload copied once from the read buffer
 * into one array, a comma between them. Sized from what the snapshot holds, so a batch usually
 * needs one array; grows when the guess was short.
 */
final class BatchBuilder {

    private final int maxEvents;
    private final long maxBytes;
    private byte[] json;
    private int length;
    private int[] starts;
    private int size;
    private final int[] firstOfKind = noKinds();
    private final Map<Kind, Position> ends = new EnumMap<>(Kind.class);

    /**
     * @param pendingRecords records the snapshots hold past their cursors
     * @param pendingBytes   their frames' bytes (an upper bound of their JSON with separators)
     */
    BatchBuilder(int maxEvents, long maxBytes, long pendingRecords, long pendingBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        int records = (int) Math.max(0, Math.min(maxEvents, pendingRecords));
        long guess = records == 0 ? 0 : Math.min(pendingBytes, Math.min(maxBytes, pendingBytes / Math.max(1, pendingRecords) * records));
        this.json = new byte[(int) Math.min(Integer.MAX_VALUE - 16, guess)];
        this.starts = new int[records];
    }

    static int[] noKinds() {
        int[] none = new int[Kind.values().length];
        Arrays.fill(none, -1);
        return none;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** True when no further event may join: the event count is reached, or the byte limit. */
    boolean full() {
        return size >= maxEvents || bytes() >= maxBytes;
    }

    /** True when a payload of {@code payloadLength} bytes may join (the first always may, however large). */
    boolean fits(int payloadLength) {
        return size < maxEvents && (size == 0 || bytes() + payloadLength + 1 <= maxBytes);
    }

    /** The JSON size counting one separator per event, as {@link Batch#bytes()}. */
    long bytes() {
        return size == 0 ? 0 : length + 1L;
    }

    /** Appends the payload that lies in {@code from} between {@code position} and {@code position + count}. */
    void add(Kind kind, ByteBuffer from, int position, int count) {
        int need = length + (size > 0 ? 1 : 0) + count;
        if (need > json.length) {
            json = Arrays.copyOf(json, Math.max(need, json.length + (json.length >> 1)));
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, Math.max(8, size * 2));
        }
        if (size > 0) {
            json[length++] = ',';
        }
        if (firstOfKind[kind.ordinal()] < 0) {
            firstOfKind[kind.ordinal()] = size;
        }
        starts[size++] = length;
        from.get(position, json, length, count);
        length += count;
    }

    void end(Kind kind, Position end) {
        ends.put(kind, end);
    }

    Batch build() {
        return size == 0 && ends.isEmpty() ? Batch.EMPTY : new Batch(json, length, starts, size, firstOfKind, ends);
    }
}
