package org.omamori.engine.av.clamd;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.omamori.engine.av.clamd.ClamdException.Kind;

/**
 * One scan: an {@code INSTREAM} on its own connection, or over clamd's local socket a body held
 * in a sealed memory file and passed by {@code FILDES} at {@link #finish} ({@link FildesExchange}).
 * {@link #send} chunks as they arrive, then {@link #finish} for the verdict, or {@link #close} to
 * abort. Used by one thread at a time; {@code close()} may come from any thread.
 *
 * <p>Small pieces are gathered into one INSTREAM chunk of {@link ClamdLimits#chunkBytes()} (one
 * buffer per scan, allocated on the first small piece) and written when it is full or at
 * {@link #finish}; a piece at least that large is written straight from the caller's buffer.
 * The proxy hands bodies over in 16 KiB slices as the origin sends them: written one by one they
 * wake clamd's reader for each, and a 10 MiB scan took 2.6-3.4x as long (bench ClamdLargeBodies,
 * bench/README.md). Past
 * {@link ClamdLimits#maxStreamBytes()} nothing more is sent; {@code finish} then still asks clamd
 * about the part it has, because a signature found there is worth reporting, and otherwise says
 * {@link ScanResult.TooLarge}.
 */
public final class StreamScan implements AutoCloseable {

    private static final String COMMAND = "INSTREAM";

    private final ClamdAddress address;
    private final ClamdLimits limits;
    /** The INSTREAM connection; null while the body is held for FILDES. Volatile: {@link #close} may come from another thread. */
    private volatile ClamdConnection connection;
    /** The body held for FILDES; null for an INSTREAM scan. */
    private final Fildes fildes;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ByteBuffer header = ByteBuffer.allocate(4); // big-endian, as INSTREAM wants

    /** Bytes taken for clamd: written, or waiting in {@link #pending}. */
    private long bytesSent;
    /** Small pieces gathered into the next INSTREAM chunk; null until the first one. */
    private ByteBuffer pending;
    private long bytesOffered;
    private boolean overLimit;
    /** What clamd said before the end of the stream (its own size limit), if it did. */
    private ScanResult earlyReply;
    private ScanResult result;

    /** A body held in a memory file for FILDES, and the client that may fall back to INSTREAM. */
    record Fildes(DescriptorPassing.Held held, Clamd client) {
    }

    StreamScan(ClamdAddress address, ClamdLimits limits, ClamdConnection connection, Fildes fildes, Runnable release) {
        this.address = address;
        this.limits = limits;
        this.connection = connection;
        this.fildes = fildes;
        this.release = release;
    }

    /**
     * Sends the chunk's remaining bytes to clamd. The buffer's position is left where it was:
     * the same bytes usually travel on to the user.
     */
    public void send(ByteBuffer chunk) throws ClamdException {
        Objects.requireNonNull(chunk, "chunk");
        requireOpen();
        int length = chunk.remaining();
        if (length == 0) {
            return; // a zero-length INSTREAM chunk would end the stream
        }
        bytesOffered += length;
        if (overLimit || earlyReply != null) {
            return;
        }
        ByteBuffer data = chunk.duplicate();
        long room = limits.maxStreamBytes() - bytesSent;
        if (length > room) {
            data.limit(data.position() + (int) room);
            overLimit = true;
        }
        if (connection == null) {
            hold(data);
            return;
        }
        int size = limits.chunkBytes();
        while (data.hasRemaining()) {
            int piece;
            if ((pending == null || pending.position() == 0) && data.remaining() >= size) {
                piece = size; // a whole chunk in the caller's buffer: no copy
                if (!write(data.slice(data.position(), piece))) {
                    return;
                }
            } else {
                if (pending == null) {
                    pending = ByteBuffer.allocate(size);
                }
                piece = Math.min(data.remaining(), pending.remaining());
                pending.put(pending.position(), data, data.position(), piece).position(pending.position() + piece);
                if (!pending.hasRemaining() && !flush()) {
                    bytesSent += piece;
                    return;
                }
            }
            data.position(data.position() + piece);
            bytesSent += piece;
        }
    }

    private void hold(ByteBuffer data) throws ClamdException {
        try {
            fildes.held().write(data);
        } catch (java.io.IOException e) {
            if (closed.get()) {
                throw new ClamdException(Kind.CLOSED, address, "the scan was aborted (closed) before it finished", e);
            }
            throw new ClamdException(Kind.BUSY, address, e.getMessage() + "; memory is short for the bodies being scanned", e);
        }
        bytesSent += data.remaining();
    }

    /** Writes the gathered pieces as one chunk; false when clamd broke off (then {@link #earlyReply} says why). */
    private boolean flush() throws ClamdException {
        if (pending == null || pending.position() == 0) {
            return true;
        }
        pending.flip();
        try {
            return write(pending);
        } finally {
            pending.clear();
        }
    }

    /** One length-prefixed INSTREAM chunk; false when clamd broke off (then {@link #earlyReply} says why). */
    private boolean write(ByteBuffer data) throws ClamdException {
        header.clear();
        header.putInt(data.remaining()).flip();
        try {
            connection.write(limits.scanTimeout().toNanos(), header, data);
            return true;
        } catch (ClamdException e) {
            earlyReply = replyAfterBrokenSend(e);
            return false;
        }
    }

    /** Ends the stream and returns clamd's verdict, waiting at most the scan timeout. Closes the scan. */
    public ScanResult finish() throws ClamdException {
        if (result != null) {
            return result;
        }
        requireOpen();
        try {
            ScanResult verdict = connection == null ? FildesExchange.verdict(this, fildes, address, limits) : null;
            if (verdict == null && connection == null) {
                verdict = streamHeld();
            }
            if (verdict == null && earlyReply == null) {
                flush();
            }
            verdict = verdict != null ? verdict : earlyReply;
            if (verdict == null) {
                header.clear();
                header.putInt(0).flip();
                try {
                    connection.write(limits.scanTimeout().toNanos(), header);
                    verdict = parse(connection.readReply(System.nanoTime() + limits.scanTimeout().toNanos(), COMMAND));
                } catch (ClamdException e) {
                    verdict = e.kind() == Kind.CONNECTION_LOST ? replyAfterBrokenSend(e) : rethrow(e);
                }
            }
            if (verdict instanceof ScanResult.TooLarge || (overLimit && verdict instanceof ScanResult.Clean)) {
                verdict = new ScanResult.TooLarge(bytesOffered);
            }
            result = verdict;
            return verdict;
        } finally {
            close();
        }
    }

    /**
     * clamd would not take FILDES: the held body goes by INSTREAM on a new connection, as if it
     * had been streamed from the start. Returns what clamd said before the stream ended, if it did.
     */
    private ScanResult streamHeld() throws ClamdException {
        ClamdConnection opened = fildes.client().open(); // TCP when the socket did not connect and there is a fallback
        connection = opened;
        if (closed.get()) { // close() ran meanwhile and may not have seen it
            opened.close();
            throw new ClamdException(Kind.CLOSED, address, "the scan was aborted (closed) before it finished");
        }
        opened.write(limits.scanTimeout().toNanos(), Clamd.command(COMMAND));
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(limits.chunkBytes(), Math.max(1, bytesSent)));
        for (long offset = 0; offset < bytesSent && earlyReply == null; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), bytesSent - offset));
            try {
                while (buffer.hasRemaining()) {
                    if (fildes.held().read(offset + buffer.position(), buffer) == 0) {
                        throw new java.io.IOException("the held body is shorter than what was written");
                    }
                }
            } catch (java.io.IOException e) {
                throw new ClamdException(Kind.BUSY, address, "cannot read the held body back: " + e.getMessage(), e);
            }
            offset += buffer.flip().remaining();
            if (!write(buffer)) {
                break;
            }
        }
        return earlyReply;
    }

    /** Aborts the scan: closes the connection and frees its slot. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                if (fildes != null) {
                    fildes.held().close();
                }
                if (connection != null) {
                    connection.close();
                }
            } finally {
                release.run();
            }
        }
    }

    /** Bytes taken for clamd so far: written, or gathered for the next chunk (never more than the stream limit). */
    public long bytesSent() {
        return bytesSent;
    }

    /** Bytes given to {@link #send} so far, including those past the limit that were not sent. */
    public long bytesOffered() {
        return bytesOffered;
    }

    private void requireOpen() throws ClamdException {
        if (result != null) {
            throw new IllegalStateException("this scan is finished; open a new one");
        }
        if (closed.get()) {
            throw new ClamdException(Kind.CLOSED, address, "the scan was aborted (closed) before it finished");
        }
    }

    /**
     * A send failed because clamd closed the connection; it usually says why first (its
     * StreamMaxLength). Read that reply if it is there; otherwise the original failure stands.
     */
    private ScanResult replyAfterBrokenSend(ClamdException failure) throws ClamdException {
        if (failure.kind() != Kind.CONNECTION_LOST) {
            throw failure;
        }
        String reply;
        try {
            reply = connection.readReply(System.nanoTime() + 200_000_000L, COMMAND);
        } catch (ClamdException unreadable) {
            failure.addSuppressed(unreadable);
            throw failure;
        }
        ScanResult early = parse(reply);
        if (early instanceof ScanResult.Clean || early instanceof ScanResult.Infected) {
            throw new ClamdException(Kind.PROTOCOL, address, "clamd gave a verdict ('" + reply
                    + "') before the stream ended, then closed the connection", failure);
        }
        return early;
    }

    /** Parses the reply to INSTREAM strictly; anything unexpected is a protocol error. */
    ScanResult parse(String reply) throws ClamdException {
        return parse(reply, bytesOffered, address);
    }

    static ScanResult parse(String reply, long bytesOffered, ClamdAddress address) throws ClamdException {
        String prefix = "stream: ";
        if (reply.equals(prefix + "OK")) {
            return new ScanResult.Clean();
        }
        if (reply.startsWith(prefix) && reply.endsWith(" FOUND")) {
            String signature = reply.substring(prefix.length(), reply.length() - " FOUND".length()).strip();
            if (signature.startsWith("Heuristics.Limits.Exceeded")) {
                // AlertExceedsMax: clamd stopped inside a file past its limits (a zip bomb): not a
                // virus found, a file not scanned whole, which the failure policy decides
                return new ScanResult.Failed("the file expands beyond clamd's limits (" + signature + ")");
            }
            if (!signature.isEmpty()) {
                return new ScanResult.Infected(signature);
            }
        } else if (reply.equals("INSTREAM size limit exceeded. ERROR")) {
            return new ScanResult.TooLarge(bytesOffered);
        } else if (reply.endsWith(" ERROR")) {
            String reason = reply.substring(0, reply.length() - " ERROR".length());
            reason = reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason;
            return new ScanResult.Failed(reason.strip());
        }
        throw new ClamdException(Kind.PROTOCOL, address, "unexpected answer to INSTREAM: '"
                + (reply.length() > 200 ? reply.substring(0, 200) + "..." : reply) + "'");
    }

    private static ScanResult rethrow(ClamdException e) throws ClamdException {
        throw e;
    }
}
