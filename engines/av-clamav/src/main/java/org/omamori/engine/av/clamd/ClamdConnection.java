package org.omamori.engine.av.clamd;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import org.omamori.engine.av.clamd.ClamdException.Kind;

/**
 * One TCP connection to clamd. Non-blocking under its own selector because blocking sockets
 * cannot bound a write: a daemon that stops reading would hold the caller forever. Used by one
 * thread at a time; {@link #close()} may come from any thread and ends a wait at once.
 */
final class ClamdConnection implements AutoCloseable {

    /** clamd's longest legitimate reply is a signature name; anything this long is broken or hostile. */
    static final int MAX_REPLY_BYTES = 4096;

    private final ClamdAddress address;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private volatile boolean closed;

    private ClamdConnection(ClamdAddress address, SocketChannel channel, Selector selector, SelectionKey key) {
        this.address = address;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    static ClamdConnection open(ClamdAddress address, long connectTimeoutNanos) throws ClamdException {
        java.net.SocketAddress target;
        try {
            target = address.isLocalSocket() ? address.socketPath() : address.resolve();
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new ClamdException(Kind.UNREACHABLE, address, "cannot resolve the host (" + e.getMessage()
                    + "); check the engine's clamd host setting", e);
        }
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = address.isLocalSocket() ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
            channel.configureBlocking(false);
            if (!address.isLocalSocket()) {
                // The 4-byte end-of-stream chunk must not wait for a delayed ACK (Nagle): it gates the verdict.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            selector = Selector.open();
            SelectionKey key = channel.register(selector, 0);
            ClamdConnection connection = new ClamdConnection(address, channel, selector, key);
            if (!channel.connect(target)) {
                long deadline = System.nanoTime() + connectTimeoutNanos;
                while (!channel.finishConnect()) {
                    if (!connection.await(SelectionKey.OP_CONNECT, deadline)) {
                        throw new ClamdException(Kind.TIMEOUT, address, "no TCP connection within "
                                + millis(connectTimeoutNanos) + " ms; is clamd overloaded or the port filtered?");
                    }
                }
            }
            channel = null; // owned by the connection from here on
            selector = null;
            return connection;
        } catch (ConnectException e) {
            throw new ClamdException(Kind.UNREACHABLE, address, "connection refused; clamd is not running there"
                    + " (start it: scripts/clamd.sh start), or the engine's clamd port is wrong", e);
        } catch (IOException e) {
            throw new ClamdException(Kind.UNREACHABLE, address, "cannot connect: " + e, e);
        } finally {
            closeQuietly(channel, selector);
        }
    }

    /** Where this connection goes. */
    ClamdAddress address() {
        return address;
    }

    /** Writes all of {@code buffers}; each wait for the daemon to read may last up to {@code stallNanos}. */
    void write(long stallNanos, ByteBuffer... buffers) throws ClamdException {
        long remaining = 0;
        for (ByteBuffer buffer : buffers) {
            remaining += buffer.remaining();
        }
        try {
            while (remaining > 0) {
                long written = channel.write(buffers);
                if (written > 0) {
                    remaining -= written;
                } else if (!await(SelectionKey.OP_WRITE, System.nanoTime() + stallNanos)) {
                    throw new ClamdException(Kind.TIMEOUT, address, "clamd stopped reading for " + millis(stallNanos)
                            + " ms in the middle of a command; it may be overloaded or hung (scripts/clamd.sh restart)");
                }
            }
        } catch (ClosedChannelException | ClosedSelectorException | CancelledKeyException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw new ClamdException(Kind.CONNECTION_LOST, address, "the connection broke while sending (" + e.getMessage()
                    + "); clamd may have closed it (restart, or a ReadTimeout after a long pause)", e);
        }
    }

    /**
     * Reads one NUL-terminated reply, at most {@link #MAX_REPLY_BYTES}, before {@code deadline}
     * ({@link System#nanoTime()} based). Bytes after the NUL are ignored.
     */
    String readReply(long deadline, String command) throws ClamdException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_REPLY_BYTES);
        try {
            while (true) {
                int scanFrom = buffer.position();
                int read = channel.read(buffer);
                if (read < 0) {
                    if (buffer.position() == 0) {
                        throw new ClamdException(Kind.CONNECTION_LOST, address, "clamd closed the connection without"
                                + " answering " + command + "; it may be restarting or out of resources (see its log)");
                    }
                    throw new ClamdException(Kind.PROTOCOL, address, "the reply to " + command + " ended without its"
                            + " NUL terminator: '" + printable(buffer.array(), buffer.position()) + "'");
                }
                if (read == 0) {
                    if (!buffer.hasRemaining()) {
                        throw new ClamdException(Kind.PROTOCOL, address, "the reply to " + command + " is longer than "
                                + MAX_REPLY_BYTES + " bytes without a terminator; this is not a clamd we can talk to");
                    }
                    if (!await(SelectionKey.OP_READ, deadline)) {
                        throw new ClamdException(Kind.TIMEOUT, address, "no answer to " + command + " in time; clamd is"
                                + " overloaded or hung (raise the scan timeout, or scripts/clamd.sh restart)");
                    }
                    continue;
                }
                byte[] bytes = buffer.array();
                for (int i = scanFrom; i < buffer.position(); i++) {
                    if (bytes[i] == 0) {
                        return decode(bytes, i, command);
                    }
                }
            }
        } catch (ClosedChannelException | ClosedSelectorException | CancelledKeyException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw new ClamdException(Kind.CONNECTION_LOST, address, "the connection broke while waiting for the answer"
                    + " to " + command + " (" + e.getMessage() + ")", e);
        }
    }

    private String decode(byte[] bytes, int length, String command) throws ClamdException {
        String reply = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (!printableReply(reply)) {
            throw new ClamdException(Kind.PROTOCOL, address, "the reply to " + command
                    + " has control or undecodable characters: '" + printable(bytes, length) + "'");
        }
        return reply;
    }

    /** Whether a decoded reply has no control or undecodable characters: what clamd says is plain text. */
    static boolean printableReply(String reply) {
        for (int i = 0; i < reply.length(); i++) {
            char c = reply.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                return false;
            }
        }
        return true;
    }

    /** Waits until the channel is ready for {@code ops}; false when the deadline passed first. */
    private boolean await(int ops, long deadline) throws IOException, ClamdException {
        key.interestOps(ops);
        try {
            while (true) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                if (Thread.currentThread().isInterrupted()) {
                    // An interrupted thread's select() returns at once; do not spin until the deadline.
                    throw new ClamdException(Kind.CLOSED, address, "the waiting thread was interrupted");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                int ready = selector.select(Math.max(1, (left + 999_999) / 1_000_000));
                selector.selectedKeys().clear();
                if (ready > 0) {
                    return true;
                }
            }
        } finally {
            if (key.isValid()) {
                key.interestOps(0);
            }
        }
    }

    private ClamdException closedError(Exception e) {
        return new ClamdException(Kind.CLOSED, address, "the connection was closed locally (scan aborted or client closed)", e);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(channel, selector);
    }

    private static void closeQuietly(SocketChannel channel, Selector selector) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the socket is gone either way
            }
        }
        if (selector != null) {
            try {
                selector.close(); // also wakes a thread waiting in select()
            } catch (IOException ignored) {
                // as above
            }
        }
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** A reply fragment safe to put into a message: ASCII only, short. */
    static String printable(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(length, 200); i++) {
            int b = bytes[i] & 0xff;
            out.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return length > 200 ? out + "..." : out.toString();
    }
}
