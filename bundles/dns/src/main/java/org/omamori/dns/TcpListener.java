package org.omamori.dns;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP socket (RFC 7766): a platform thread accepts, each connection gets a virtual thread
 * that reads length-prefixed queries and answers them in order. Connections beyond the bound are
 * closed at once; an idle connection is closed after the idle timeout.
 */
final class TcpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);

    private final Listener listener;
    private final ServerSocket server;
    private final DnsFilter filter;
    private final ExecutorService workers;
    private final Semaphore connections;
    private final int idleMillis;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    TcpListener(Listener listener, DnsFilter filter, ExecutorService workers) throws IOException {
        this.listener = listener;
        this.filter = filter;
        this.workers = workers;
        this.connections = new Semaphore(filter.settings().maxTcpConnections());
        this.idleMillis = (int) Math.min(Integer.MAX_VALUE, filter.settings().tcpIdleTimeout().toMillis());
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(listener.address(), 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.acceptor = Thread.ofPlatform().daemon().name("dns-tcp-" + listener).unstarted(this::accept);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("DNS TCP accept on {} failed: {}", listener, e.toString());
                }
                continue;
            }
            if (!connections.tryAcquire()) {
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            try {
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        open.remove(socket);
                        closeQuietly(socket);
                        connections.release();
                    }
                });
            } catch (RuntimeException e) {
                open.remove(socket);
                closeQuietly(socket);
                connections.release();
            }
        }
    }

    private void serve(Socket socket) {
        Client client = new Client(listener.zone(), socket.getInetAddress(), socket.getPort(), Transport.TCP);
        try {
            socket.setSoTimeout(idleMillis);
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            DnsFilter.Replies replies = answer -> {
                byte[] framed = new byte[answer.length + 2];
                framed[0] = (byte) (answer.length >>> 8);
                framed[1] = (byte) answer.length;
                System.arraycopy(answer, 0, framed, 2, answer.length);
                out.write(framed);
                out.flush();
            };
            while (true) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                byte[] packet = new byte[length];
                in.readFully(packet);
                ClientLimits.Ticket ticket = filter.admit(packet, client, replies);
                if (ticket != null) {
                    try (ticket) {
                        filter.handle(packet, client, replies);
                    }
                }
            }
        } catch (SocketException | EOFException | SocketTimeoutException e) {
            // the client went away or stalled mid-message
        } catch (IOException e) {
            LOG.debug("DNS TCP connection in zone {} ended: {}", listener.zone(), e.toString());
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", listener, e.toString());
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
