package org.omamori.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted next hop: refuses {@code unknown@} recipients with 550 5.1.1, and drops the first
 * {@code dropAtData} connections when DATA comes, as a server that lost patience would.
 */
final class FakeHop implements AutoCloseable {

    final ServerSocket server;
    final List<String> mails = new CopyOnWriteArrayList<>();
    /** The recipients of each delivered mail, as the hop saw them. */
    final List<List<String>> envelopes = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final int dropAtData;

    FakeHop(int dropAtData) throws IOException {
        this(dropAtData, 0);
    }

    /** On a given port: a next hop that comes back where it was. */
    FakeHop(int dropAtData, int port) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        this.dropAtData = dropAtData;
        Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int n = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> converse(s, n)); // the intake keeps connections open between mails
            } catch (IOException e) {
                // closed
            }
        }
    }

    /** Connections open now (the intake's kept ones included). */
    final AtomicInteger open = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** Closes every connection without a word, as a hop that restarted or timed out idle ones would. */
    void dropConnections() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    private void converse(Socket socket, int n) {
        open.incrementAndGet();
        sockets.add(socket);
        try (Socket s = socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            out.write("220 fake ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            List<String> rcpts = new java.util.ArrayList<>();
            while ((line = in.readLine()) != null) {
                String u = line.toUpperCase();
                if (u.startsWith("EHLO")) {
                    out.write("250-fake\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (u.startsWith("RCPT") && u.contains("<DROP@") && n == 1) {
                    break; // the hop goes away in the middle of the envelope
                } else if (u.startsWith("RCPT") && u.contains("<UNKNOWN@")) {
                    out.write("550 5.1.1 <unknown@example.jp>: no such user here\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (u.startsWith("DATA")) {
                    if (n <= dropAtData) {
                        break;
                    }
                    out.write("354 go\r\n".getBytes(StandardCharsets.US_ASCII));
                    StringBuilder mail = new StringBuilder();
                    while (!(line = in.readLine()).equals(".")) {
                        mail.append(line).append('\n');
                    }
                    mails.add(mail.toString());
                    envelopes.add(List.copyOf(rcpts));
                    out.write("250 2.0.0 queued\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (u.startsWith("MAIL")) {
                    rcpts.clear(); // a new transaction on the same connection
                    out.write("250 2.0.0 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (u.startsWith("QUIT")) {
                    out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    break;
                } else {
                    if (u.startsWith("RCPT")) {
                        rcpts.add(line.substring(8));
                    }
                    out.write("250 2.0.0 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException e) {
            // the connection ends
        } finally {
            open.decrementAndGet();
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
