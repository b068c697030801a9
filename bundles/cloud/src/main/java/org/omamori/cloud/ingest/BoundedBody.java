package org.omamori.cloud.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read at most up to a limit: one byte more and reading fails with
 * {@link TooLarge}, so an oversized body is refused without being read whole (a declared
 * Content-Length over the limit is refused before the first byte, see {@link Ingest}).
 */
final class BoundedBody extends FilterInputStream {

    /** Thrown by the stream when the body passes the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("body larger than " + limit + " bytes", null);
        }
    }

    private final long limit;
    private long read;

    BoundedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, (int) Math.min(length, limit - read + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return super.skip(Math.min(n, limit - read + 1));
    }

    private void count(int n) throws TooLarge {
        read += n;
        if (read > limit) {
            throw new TooLarge(limit);
        }
    }

    /** Reads what is left (still bounded), so the client's answer is not lost to a reset connection. */
    void drain() {
        byte[] sink = new byte[8192];
        try {
            while (read(sink, 0, sink.length) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // too large or broken: the connection closes anyway
        }
    }
}
