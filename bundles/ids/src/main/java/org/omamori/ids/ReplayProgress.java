package org.omamori.ids;

/** Told now and then how far a replay has come, e.g. to draw a progress line. */
@FunctionalInterface
public interface ReplayProgress {

    /** {@code bytesRead} of the capture file have been read, holding {@code packets} packets. */
    void update(long packets, long bytesRead);

    ReplayProgress NONE = (packets, bytes) -> { };
}
