package org.omamori.http;

/**
 * Where one side's TLS handshake records end, read as the bytes cross the wire without decrypting
 * anything: at the first record that is not a handshake record (a ChangeCipherSpec, application
 * data, an alert, or bytes that are no TLS), after which everything is encrypted or meaningless to
 * an engine. Intakes use it to hand engines a side's handshake (hellos, a TLS 1.0-1.2 server's
 * certificate) and nothing more. Not thread-safe: one per side of one connection.
 */
public final class TlsRecords {

    private final byte[] header = new byte[5];
    private int headerHeld;
    private int left;
    private boolean ended;

    /**
     * How many of these bytes, from the first, belong to handshake records, counting the header of
     * the record that ends them; after that, {@link #ended()} and nothing more is counted.
     */
    public int handshake(byte[] data, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && !ended) {
            if (left == 0) {
                header[headerHeld++] = data[i++];
                if (headerHeld == 5) {
                    headerHeld = 0;
                    left = (header[3] & 0xFF) << 8 | header[4] & 0xFF;
                    ended = header[0] != 0x16 || header[1] != 0x03;
                }
                continue;
            }
            int n = Math.min(left, end - i);
            i += n;
            left -= n;
        }
        return i - offset;
    }

    /** Whether a record of another type has begun (or {@link #end} was called). */
    public boolean ended() {
        return ended;
    }

    /** Ends the reading from outside: the side closed, lost bytes, or reached the caller's bound. */
    public void end() {
        ended = true;
    }
}
