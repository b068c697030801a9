package org.omamori.ids.capture;

/**
 * One packet as the capture holds it.
 *
 * @param number         1-based position in the file among packets
 * @param offset         byte offset of its record or block in the file
 * @param timeNanos      capture time, nanoseconds since the epoch (as the file says; may be anything)
 * @param linkType       the LINKTYPE_ value of its interface, e.g. 1 for Ethernet
 * @param data           the captured bytes, owned by the packet (a new array per packet)
 * @param originalLength the length on the wire; more than {@code data.length} when the snapshot length cut it
 */
public record CapturedPacket(long number, long offset, long timeNanos, int linkType, byte[] data, long originalLength) {

    /** Whether the capture cut the packet short. */
    public boolean cut() {
        return originalLength > data.length;
    }
}
