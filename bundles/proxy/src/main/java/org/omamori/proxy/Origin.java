package org.omamori.proxy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** One connection to an origin server, reusable for the next request when the last ended cleanly. */
final class Origin implements AutoCloseable {

    final OriginPool.Key key;
    final Socket socket;
    final HttpInput in;
    final OutputStream out;
    final boolean reused;
    long idleSince;

    private Origin(OriginPool.Key key, Socket socket, boolean reused, ReadDeadlines deadlines, int readTimeoutMillis) throws IOException {
        this.key = key;
        this.socket = socket;
        this.in = new HttpInput(socket, 16 << 10, deadlines);
        in.readTimeout(readTimeoutMillis);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 << 10);
        this.reused = reused;
    }

    private Origin(Origin idle) {
        this.key = idle.key;
        this.socket = idle.socket;
        this.in = idle.in;
        this.out = idle.out;
        this.reused = true;
    }

    static Origin connect(OriginPool.Key key, InetSocketAddress address, int connectTimeoutMillis, int readTimeoutMillis,
            ReadDeadlines deadlines) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, connectTimeoutMillis);
            return new Origin(key, socket, false, deadlines, readTimeoutMillis);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The same connection, taken from the pool. */
    Origin reuse() {
        return new Origin(this);
    }

    @Override
    public void close() {
        in.close();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
