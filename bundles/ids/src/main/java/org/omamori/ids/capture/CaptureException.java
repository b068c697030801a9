package org.omamori.ids.capture;

/**
 * A capture file that cannot be read on: not a capture at all, cut short, or with a length or
 * field that contradicts its container. The message says what, at which byte offset and after
 * how many packets, so the user can cut the file there or fetch it again.
 */
public final class CaptureException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Problem {
        /** The file does not begin as a pcap or pcapng file does. */
        NOT_A_CAPTURE,
        /** The file ends inside a header, record or block. */
        TRUNCATED,
        /** A length or field is impossible: larger than its container, than the bounds, or inconsistent. */
        CORRUPT
    }

    private final Problem problem;
    private final long offset;
    private final long packets;

    public CaptureException(Problem problem, long offset, long packets, String message) {
        super(message);
        this.problem = problem;
        this.offset = offset;
        this.packets = packets;
    }

    public Problem problem() {
        return problem;
    }

    /** Byte offset in the file of the header, record or block that could not be read. */
    public long offset() {
        return offset;
    }

    /** Packets read completely before the problem. */
    public long packets() {
        return packets;
    }
}
