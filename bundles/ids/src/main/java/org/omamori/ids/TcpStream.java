package org.omamori.ids;

import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of a TCP connection put back in order. Segments that arrive early wait (bounded
 * per stream and across all streams through {@link ReplayLimits}); bytes already delivered are
 * never delivered again, so a retransmission or an overlap keeps the first copy; a hole that
 * never fills (a packet the capture missed, or waiting data over the bound) is skipped and
 * reported to the receiver as a gap. Sequence numbers are compared modulo 2^32; positions in
 * the stream are longs counted from the first byte after the SYN (or the first byte seen).
 */
final class TcpStream {

    /** Where the ordered bytes go. */
    interface Receiver {
        /** The next bytes of the stream; {@code data} is not kept after the call returns unless copied. */
        void data(byte[] data, int offset, int length);

        /** {@code bytes} of the stream are missing here. */
        void gap(long bytes);

        /** The stream has ended (FIN reached, reset, timed out or the capture ended). */
        void end();
    }

    /** A segment waiting for the bytes before it. */
    private record Waiting(byte[] data, int offset, int length) {
    }

    /** A segment more than this far ahead of the next expected byte is not believed. */
    static final long MAX_AHEAD = 64L << 20;

    private final ReplayCounters counters;
    private final ReplayLimits limits;
    private final Receiver receiver;
    private final TreeMap<Long, Waiting> waiting = new TreeMap<>();
    private boolean started;
    private int nextSeq;
    private long position;
    private long waitingBytes;
    private long finAt = -1;
    private boolean ended;

    TcpStream(ReplayCounters counters, ReplayLimits limits, Receiver receiver) {
        this.counters = counters;
        this.limits = limits;
        this.receiver = receiver;
    }

    boolean ended() {
        return ended;
    }

    /** One segment of this direction; {@code data} belongs to the packet and may be kept. */
    void segment(int seq, int flags, byte[] data, int offset, int length) {
        if (ended) {
            if (length > 0) {
                counters.bytesAfterEnd += length;
            }
            return;
        }
        boolean syn = (flags & PacketDecoder.SYN) != 0;
        int dataSeq = syn ? seq + 1 : seq;
        if (!started || (syn && position == 0 && waiting.isEmpty())) {
            started = true;
            nextSeq = dataSeq;
            position = 0;
            if (!syn) {
                counters.midstreamStarts++;
            }
        }
        long at = position + (dataSeq - nextSeq); // int difference: modulo 2^32
        if ((flags & PacketDecoder.FIN) != 0 && finAt < 0) {
            finAt = at + length;
        }
        if (length > 0) {
            accept(at, data, offset, length);
        }
        if (finAt >= 0 && position >= finAt && waiting.isEmpty()) {
            finish();
        }
    }

    private void accept(long at, byte[] data, int offset, int length) {
        long end = at + length;
        if (end <= position) {
            counters.retransmittedBytes += length;
            return;
        }
        if (at - position > MAX_AHEAD) {
            counters.outOfWindowBytes += length;
            return;
        }
        if (at < position) {
            int skip = (int) (position - at);
            counters.retransmittedBytes += skip;
            offset += skip;
            length -= skip;
            at = position;
        }
        if (at == position) {
            deliver(data, offset, length);
            drain();
            return;
        }
        Waiting already = waiting.get(at);
        if (already != null) {
            if (already.length >= length) {
                counters.retransmittedBytes += length;
                return;
            }
            release(already);
        }
        while (waitingBytes + cost(length) > limits.maxWaitingBytesPerStream()
                || counters.waitingBytes + cost(length) > limits.maxWaitingBytes()) {
            if (waiting.isEmpty()) {
                counters.overLimitBytes += length; // nothing to give up but this segment
                return;
            }
            skipToFirstWaiting(); // give up on the hole: deliver what waits after it
            if (at <= position) {
                accept(at, data, offset, length);
                return;
            }
        }
        if (length < data.length / 2) { // keep the segment, not the whole frame around it
            data = java.util.Arrays.copyOfRange(data, offset, offset + length);
            offset = 0;
        }
        waiting.put(at, new Waiting(data, offset, length));
        waitingBytes += cost(length);
        counters.waitingBytes += cost(length);
        counters.outOfOrderSegments++;
    }

    private void deliver(byte[] data, int offset, int length) {
        position += length;
        nextSeq += length;
        counters.reassembledBytes += length;
        receiver.data(data, offset, length);
    }

    /** Delivers waiting segments that now follow on. */
    private void drain() {
        while (!waiting.isEmpty()) {
            Map.Entry<Long, Waiting> first = waiting.firstEntry();
            long at = first.getKey();
            if (at > position) {
                return;
            }
            Waiting w = first.getValue();
            waiting.pollFirstEntry();
            release(w);
            long end = at + w.length;
            if (end <= position) {
                counters.retransmittedBytes += w.length;
                continue;
            }
            int skip = (int) (position - at);
            counters.retransmittedBytes += skip;
            deliver(w.data, w.offset + skip, w.length - skip);
        }
    }

    private void skipToFirstWaiting() {
        long at = waiting.firstKey();
        long missing = at - position;
        counters.gaps++;
        counters.gapBytes += missing;
        position = at;
        nextSeq += (int) missing;
        receiver.gap(missing);
        drain();
    }

    private void release(Waiting w) {
        waitingBytes -= cost(w.length);
        counters.waitingBytes -= cost(w.length);
    }

    /** What a waiting segment holds in memory: its bytes and the map entry around them. */
    private static long cost(int length) {
        return length + 64L;
    }

    /** The connection is over (reset, idle, capture ended): deliver what waits, holes as gaps, and end. */
    void close() {
        if (ended) {
            return;
        }
        while (!waiting.isEmpty()) {
            skipToFirstWaiting();
        }
        if (finAt > position) {
            counters.gaps++;
            counters.gapBytes += finAt - position;
            receiver.gap(finAt - position);
        }
        finish();
    }

    private void finish() {
        ended = true;
        for (Waiting w : waiting.values()) {
            release(w);
        }
        waiting.clear();
        receiver.end();
    }
}
