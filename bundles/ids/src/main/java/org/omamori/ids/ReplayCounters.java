package org.omamori.ids;

import java.util.EnumMap;
import java.util.Map;

/** What a replay has seen so far; one thread, plain fields. Frozen into a {@link ReplaySummary}. */
final class ReplayCounters {
    long packets;
    long bytes;
    final Map<PacketDecoder.Outcome, Long> outcomes = new EnumMap<>(PacketDecoder.Outcome.class);
    long cutPackets;

    long tcpFlows;
    long httpFlows;
    long otherTcpFlows;
    long flowsIdleClosed;
    long flowsEvicted;
    long midstreamStarts;
    /** Connections without a handshake in the capture, not inspected (midstream pick-up off). */
    long midstreamIgnored;
    long reassembledBytes;
    long retransmittedBytes;
    long outOfOrderSegments;
    long outOfWindowBytes;
    long overLimitBytes;
    long gaps;
    long gapBytes;
    long bytesAfterEnd;
    long waitingBytes;
    long peakWaitingBytes;

    long httpRequests;
    long httpResponses;
    long httpUnansweredRequests;
    long httpUnsolicitedResponses;
    long httpParseErrors;
    long httpIncomplete;
    long httpTunnels;
    long httpEvasions;
    long tlsClientHellos;
    long httpOverLimit;

    long dnsQueries;
    long dnsResponses;
    long dnsMalformed;
    long udpOther;

    void outcome(PacketDecoder.Outcome o) {
        outcomes.merge(o, 1L, Long::sum);
    }
}
