package org.omamori.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads HTTP/1.1 message heads and body bytes from a connection through one reusable buffer, so
 * that bytes read past a head (the body, a pipelined request, a TLS ClientHello after CONNECT) are
 * never lost. Heads are bounded; lines must end in CRLF. A deadline bounds the time of all reads
 * until it is cleared, so a peer that trickles a byte at a time cannot hold a connection open
 * longer than the deadline (slowloris). On a socket, the read timeout and the deadline are kept
 * by {@link ReadDeadlines} (the socket's own timeout stays 0: no timer per read).
 */
final class HttpInput {

    /** The deadline passed. */
    static final class DeadlineExceeded extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded() {
            super("deadline passed");
        }
    }

    /** {@link #waitingUntil} of a read that {@link ReadDeadlines} ended. */
    private static final long EXPIRED = 1;
    private static final VarHandle WAITING_UNTIL;

    static {
        try {
            WAITING_UNTIL = MethodHandles.lookup().findVarHandle(HttpInput.class, "waitingUntil", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InputStream in;
    private final Socket socket;
    private final ReadDeadlines deadlines;
    /** System.nanoTime() after which the read under way is ended; 0 when none waits, EXPIRED when ended. */
    @SuppressWarnings("unused") // through WAITING_UNTIL
    private volatile long waitingUntil;
    private final byte[] buffer;
    private int position;
    private int limit;
    /** System.nanoTime() by which reads must be done; 0 when none. */
    private long deadline;
    /** How long one read may wait; 0: without bound. */
    private int readTimeoutMillis;
    /**
     * Where a head is read into, reused from one head to the next by its owner: a client connection
     * keeps one for its requests and one for its responses, whose bytes the engines may read until the
     * exchange's inspection is closed (engine API 1.5), which is before that connection reads its next
     * head. Not kept by an origin connection: a pooled one serves another client while this one's
     * inspection may still be open.
     */
    static final class HeadBuffer {
        /** Above this the array is not kept for the next head: one large head does not pin it for the connection's life. */
        private static final int KEEP_BYTES = 8 << 10;

        byte[] bytes = new byte[1024];
        /** Where each line starts, and one past the last: 200 lines at most (readHead's bound). */
        final int[] lineStarts = new int[201];

        /** Before a head is read: the last head's bytes are no longer needed. */
        void reset() {
            if (bytes.length > KEEP_BYTES) {
                bytes = new byte[1024];
            }
        }
    }

    /** A stream without timeouts (tests); a deadline is only checked before each read. */
    HttpInput(InputStream in, int bufferBytes) {
        this.in = in;
        this.socket = null;
        this.deadlines = null;
        this.buffer = new byte[bufferBytes];
    }

    /** A socket's input, its reads timed by {@code deadlines} until {@link #close()}. */
    HttpInput(Socket socket, int bufferBytes, ReadDeadlines deadlines) throws IOException {
        this.in = socket.getInputStream();
        this.socket = socket;
        this.deadlines = deadlines;
        this.buffer = new byte[bufferBytes];
        socket.setSoTimeout(0);
        deadlines.watch(this);
    }

    /** How long each read may wait from now on (0: without bound); a read past it throws SocketTimeoutException. */
    void readTimeout(int millis) {
        readTimeoutMillis = Math.max(0, millis);
    }

    /** Reads from now on must be done within {@code millis}; each read still waits at most the read timeout. */
    void deadline(long millis) {
        deadline = System.nanoTime() + millis * 1_000_000L;
        if (deadline == 0) {
            deadline = 1;
        }
    }

    /** Ends the deadline; reads wait the read timeout again. */
    void clearDeadline() {
        deadline = 0;
    }

    /** Stops the watching of this input's reads; the connection is being closed. */
    void close() {
        if (deadlines != null) {
            deadlines.forget(this);
        }
    }

    /** From {@link ReadDeadlines}: ends the read under way if it has waited past its time. */
    void expireIfPast(long now) {
        long until = (long) WAITING_UNTIL.getVolatile(this);
        if (until != 0 && until != EXPIRED && now - until >= 0 && WAITING_UNTIL.compareAndSet(this, until, EXPIRED)) {
            try {
                socket.shutdownInput(); // wakes the read with end of stream
            } catch (IOException ignored) {
                // already closed: the read has ended anyway
            }
        }
    }

    /** Bytes waiting to be read: buffered here or already in the socket's receive buffer. */
    int waiting() throws IOException {
        return limit - position + in.available();
    }

    /** True when no byte is buffered and the peer has closed, without blocking past the first read. */
    boolean atEndBeforeMessage() throws IOException {
        return position == limit && fill() < 0;
    }

    /**
     * The lines of a head up to and with the empty line, start line first, as one array of the
     * bytes received (ISO-8859-1: HTTP's octets). {@code maxLine} bounds the start line, {@code maxHead}
     * the whole head. Lines are copied out of the read buffer as they end, because a head may be
     * larger than the buffer and the buffer moves on to the body.
     */
    HeadBytes readHead(int maxLine, int maxHead, boolean request) throws IOException, HttpProtocolException {
        return readHead(maxLine, maxHead, request, new HeadBuffer());
    }

    /**
     * {@link #readHead(int, int, boolean)} into {@code into}, whose arrays the head returned uses: valid
     * until {@code into} reads the next head.
     */
    HeadBytes readHead(int maxLine, int maxHead, boolean request, HeadBuffer into) throws IOException, HttpProtocolException {
        into.reset();
        byte[] headScratch = into.bytes;
        int[] lineStarts = into.lineStarts;
        int lines = 0;
        int headBytes = 0;
        int kept = 0;
        while (true) {
            int lineLimit = lines == 0 ? maxLine : maxHead - headBytes;
            int start = position;
            int length = 0;
            int crs = 0; // CRs in the line, counted in the same pass: only the one before LF may be there
            // Find CRLF; the buffer is compacted so a line of up to buffer size fits.
            while (true) {
                if (position == limit) {
                    if (start > 0 && position - start < buffer.length) {
                        System.arraycopy(buffer, start, buffer, 0, position - start);
                        limit = position - start;
                        position = limit;
                        start = 0;
                    }
                    if (limit == buffer.length) {
                        throw tooLong(lines == 0, request);
                    }
                    if (fill() < 0) {
                        if (lines == 0 && position == start) {
                            throw new EOFException("connection closed before a message");
                        }
                        throw new HttpProtocolException(request ? 400 : 502, "connection closed inside the message head");
                    }
                }
                byte b = buffer[position++];
                if (b == '\r') {
                    crs++;
                } else if (b == '\n') {
                    if (length == 0 || buffer[position - 2] != '\r') {
                        throw new HttpProtocolException(request ? 400 : 502, "a line ends in a bare LF; HTTP wants CRLF");
                    }
                    break;
                }
                if (++length > lineLimit) {
                    throw tooLong(lines == 0, request);
                }
            }
            int lineLength = position - start - 2;
            headBytes += lineLength + 2;
            if (headBytes > maxHead) {
                throw tooLong(lines == 0, request);
            }
            if (lineLength == 0) {
                if (lines == 0) {
                    // RFC 9112 §2.2: a server should ignore at least one empty line before a request.
                    continue;
                }
                lineStarts[lines] = kept;
                // the empty line's CRLF is kept too: engines are handed the head as sent (engine API 1.5), without another copy
                if (kept + 2 > headScratch.length) {
                    headScratch = Arrays.copyOf(headScratch, kept + 2);
                    into.bytes = headScratch;
                }
                headScratch[kept] = '\r';
                headScratch[kept + 1] = '\n';
                return new HeadBytes(headScratch, lineStarts, lines);
            }
            if (crs > 1) {
                throw new HttpProtocolException(request ? 400 : 502, "a bare CR in the message head");
            }
            if (lines == 200) {
                throw new HttpProtocolException(request ? 431 : 502, "more than 199 header fields");
            }
            if (kept + lineLength + 2 > headScratch.length) {
                headScratch = Arrays.copyOf(headScratch, Math.max(headScratch.length * 2, kept + lineLength + 2));
                into.bytes = headScratch;
            }
            System.arraycopy(buffer, start, headScratch, kept, lineLength + 2);
            lineStarts[lines++] = kept;
            kept += lineLength + 2;
        }
    }

    private static HttpProtocolException tooLong(boolean startLine, boolean request) {
        if (!request) {
            return new HttpProtocolException(502, startLine ? "the status line is too long" : "the response head is too large");
        }
        return startLine
                ? new HttpProtocolException(414, "the request line is too long")
                : new HttpProtocolException(431, "the request head is too large");
    }

    /**
     * The buffered bytes, reading more if none are buffered; at most {@code max}. The slice is
     * valid until the next call; returns null at end of stream.
     */
    ByteBuffer next(long max) throws IOException {
        if (position == limit) {
            position = 0;
            limit = 0;
            if (fill() < 0) {
                return null;
            }
        }
        int n = (int) Math.min(limit - position, max);
        ByteBuffer slice = ByteBuffer.wrap(buffer, position, n).slice();
        position += n;
        return slice;
    }

    /**
     * {@link #next(long)}, but when nothing is buffered the bytes are read straight into
     * {@code into}'s free space (at most {@code max}) and the slice is of its array: a held body's
     * block, so the bytes are not copied out of this input's buffer afterwards.
     */
    ByteBuffer next(long max, ByteBuffer into) throws IOException {
        if (position < limit || !into.hasArray() || !into.hasRemaining()) {
            return next(max);
        }
        int at = into.arrayOffset() + into.position();
        int n = read(into.array(), at, (int) Math.min(into.remaining(), max));
        return n < 0 ? null : ByteBuffer.wrap(into.array(), at, n).slice();
    }

    /** Gives back the tail of the last slice that was not consumed. */
    void unread(int bytes) {
        position -= bytes;
    }

    /** Bytes already buffered past what was consumed. */
    int buffered() {
        return limit - position;
    }

    private int fill() throws IOException {
        if (limit == buffer.length) {
            return 0;
        }
        int n = read(buffer, limit, buffer.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    /** One read into {@code to}, timed by the read timeout and the deadline; -1 at end of stream. */
    private int read(byte[] to, int offset, int length) throws IOException {
        long waitNanos = readTimeoutMillis * 1_000_000L;
        boolean untilDeadline = false;
        long now = 0;
        if (deadline != 0) {
            now = System.nanoTime();
            long leftNanos = deadline - now;
            if (leftNanos <= 0) {
                throw new DeadlineExceeded();
            }
            if (waitNanos == 0 || leftNanos <= waitNanos) {
                untilDeadline = true;
                waitNanos = leftNanos;
            }
        }
        boolean timed = deadlines != null && waitNanos > 0;
        if (timed) {
            long until = (now == 0 ? System.nanoTime() : now) + waitNanos;
            WAITING_UNTIL.setVolatile(this, until == 0 || until == EXPIRED ? until + 2 : until);
        }
        int n;
        try {
            n = in.read(to, offset, length);
        } catch (IOException e) {
            if (timed && expired()) {
                throw timedOut(untilDeadline);
            }
            throw e;
        }
        if (timed && expired()) {
            throw timedOut(untilDeadline);
        }
        return n;
    }

    /** Ends the read's watch; true when ReadDeadlines had ended it. */
    private boolean expired() {
        return (long) WAITING_UNTIL.getAndSet(this, 0L) == EXPIRED;
    }

    private static SocketTimeoutException timedOut(boolean deadline) {
        return deadline ? new DeadlineExceeded() : new SocketTimeoutException("Read timed out");
    }
}
