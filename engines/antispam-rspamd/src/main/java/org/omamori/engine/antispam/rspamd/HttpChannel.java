package org.omamori.engine.antispam.rspamd;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import org.omamori.engine.antispam.rspamd.RspamdException.Kind;

/**
 * One TCP connection to rspamd, non-blocking under its own selector so that every wait has a
 * deadline: a daemon that stops reading or never answers cannot hold the caller. Used by one
 * thread at a time; {@link #close()} may come from any thread and ends a wait at once.
 */
final class HttpChannel implements AutoCloseable {

    private final InetSocketAddress address;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private volatile boolean closed;

    private HttpChannel(InetSocketAddress address, SocketChannel channel, Selector selector, SelectionKey key) {
        this.address = address;
        this.channel = channel;
        this.selector = selector;
        this.key = key;
    }

    static HttpChannel open(InetSocketAddress address, long deadline) throws RspamdException {
        if (address.isUnresolved()) {
            throw new RspamdException(Kind.UNREACHABLE, "cannot resolve rspamd's host " + address.getHostString());
        }
        SocketChannel channel = null;
        Selector selector = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            selector = Selector.open();
            HttpChannel http = new HttpChannel(address, channel, selector, channel.register(selector, 0));
            if (!channel.connect(address)) {
                while (!channel.finishConnect()) {
                    if (!http.await(SelectionKey.OP_CONNECT, deadline)) {
                        throw new RspamdException(Kind.TIMEOUT, "no TCP connection to rspamd at " + where(address)
                                + " in time; is it overloaded or the port filtered?");
                    }
                }
            }
            channel = null; // owned by the connection from here on
            selector = null;
            return http;
        } catch (ConnectException e) {
            throw new RspamdException(Kind.UNREACHABLE, "connection refused by " + where(address) + ": rspamd is not"
                    + " running there (start it: scripts/rspamd.sh start), or the engine's rspamd port is wrong", e);
        } catch (RspamdException e) {
            throw e;
        } catch (IOException e) {
            throw new RspamdException(Kind.UNREACHABLE, "cannot connect to rspamd at " + where(address) + ": " + e, e);
        } finally {
            closeQuietly(channel, selector);
        }
    }

    /** Writes all of {@code buffers} before {@code deadline} ({@link System#nanoTime()} based). */
    void write(long deadline, ByteBuffer... buffers) throws RspamdException {
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        try {
            while (remaining > 0) {
                long written = channel.write(buffers);
                if (written > 0) {
                    remaining -= written;
                } else if (!await(SelectionKey.OP_WRITE, deadline)) {
                    throw new RspamdException(Kind.TIMEOUT, "rspamd at " + where(address)
                            + " stopped reading the mail; it is overloaded or hung (scripts/rspamd.sh restart)");
                }
            }
        } catch (ClosedChannelException | ClosedSelectorException | CancelledKeyException e) {
            throw new RspamdException(Kind.UNREACHABLE, "the connection to rspamd was closed locally", e);
        } catch (RspamdException e) {
            throw e;
        } catch (IOException e) {
            throw new RspamdException(Kind.UNREACHABLE, "the connection to rspamd broke while sending the mail ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads what is available into {@code into}, waiting until {@code deadline} for the first
     * byte. Returns the bytes read, or -1 at the end of the stream.
     */
    int read(ByteBuffer into, long deadline) throws RspamdException {
        try {
            while (true) {
                int n = channel.read(into);
                if (n != 0 || !into.hasRemaining()) {
                    return n;
                }
                if (!await(SelectionKey.OP_READ, deadline)) {
                    throw new RspamdException(Kind.TIMEOUT, "no reply from rspamd at " + where(address)
                            + " in time; it is overloaded or hung (raise the scan timeout, or scripts/rspamd.sh restart)");
                }
            }
        } catch (ClosedChannelException | ClosedSelectorException | CancelledKeyException e) {
            throw new RspamdException(Kind.UNREACHABLE, "the connection to rspamd was closed locally", e);
        } catch (RspamdException e) {
            throw e;
        } catch (IOException e) {
            throw new RspamdException(Kind.UNREACHABLE, "the connection to rspamd broke while reading its reply ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Waits until the channel is ready for {@code ops}; false when the deadline passed first. */
    private boolean await(int ops, long deadline) throws IOException {
        key.interestOps(ops);
        try {
            while (true) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                if (Thread.currentThread().isInterrupted()) {
                    // The pipeline's watchdog interrupts an overrun call: give up now, not at the deadline.
                    throw new RspamdException(Kind.TIMEOUT, "interrupted while waiting for rspamd (the engine's time budget ran out)");
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

    static String where(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
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
                // the socket is gone either way
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
}
