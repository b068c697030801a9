package org.omamori.spool;

import java.util.Arrays;
import java.util.zip.CRC32C;

import org.omamori.events.Event;
import org.omamori.events.EventJson;

/**
 * Events framed ({@link Frames}) one after the other in one array, as they go into segments: each
 * event's JSON is written in place ({@link EventJson}) behind room for its frame header, which is
 * filled in once the length is known. A publish frames its events kind by kind, so each kind's
 * frames are one run of the array. The spool keeps one batch to reuse: made anew for every
 * publish, a batch of a thousand events was a humongous G1 allocation, each starting a
 * concurrent mark of the whole heap (with 1,000,000 listed domains, the DNS filter's
 * falling rate after its first round).
 */
final class FrameBatch {

    private final EventJson json;
    private int[] ends;
    private int count;
    private final CRC32C crc = new CRC32C();

    /** Room for about {@code events} events of a typical size (a DNS threat event is ~600 bytes). */
    FrameBatch(int events) {
        this.json = new EventJson(Math.max(1, events) * 768);
        this.ends = new int[Math.max(1, events)];
    }

    /** Frames one event; an event too large for a record ({@link Frames#MAX_PAYLOAD}) is refused and leaves nothing. */
    void add(Event e) {
        int start = json.skip(Frames.HEADER);
        try {
            json.write(e);
            Frames.seal(json.bytes(), start, json.size() - start - Frames.HEADER, crc);
        } catch (RuntimeException x) {
            json.truncate(start);
            throw x;
        }
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = json.size();
    }

    /** Empties the batch, keeping its arrays. */
    void clear() {
        json.truncate(0);
        count = 0;
    }

    /** Bytes the batch holds without growing. */
    int capacity() {
        return json.bytes().length;
    }

    int count() {
        return count;
    }

    /** Where frame {@code i} starts in {@link #bytes()}. */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** Where frame {@code i} ends (exclusive). */
    int end(int i) {
        return ends[i];
    }

    /** The frames' bytes, valid up to {@code end(count() - 1)}. */
    byte[] bytes() {
        return json.bytes();
    }
}
