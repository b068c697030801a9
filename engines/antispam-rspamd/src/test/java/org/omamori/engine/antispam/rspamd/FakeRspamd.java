package org.omamori.engine.antispam.rspamd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile or broken stand-in for rspamd on a loopback port: reads the request up to its last
 * chunk, then behaves as told (answers given bytes, never answers, or streams without end).
 * Each connection is served on its own virtual thread; close stops it all.
 */
public final class FakeRspamd implements AutoCloseable {

    /** What the fake does once it has read the request. */
    public interface Behaviour {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final AtomicInteger requests = new AtomicInteger();

    public FakeRspamd(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s, behaviour));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Answers with these bytes, whatever was asked. */
    public static FakeRspamd answering(byte[] reply) throws IOException {
        return new FakeRspamd(out -> out.write(reply));
    }

    /** Answers HTTP 200 with this body and its Content-Length. */
    public static FakeRspamd answeringJson(String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return answering(all);
    }

    private void serve(Socket socket, Behaviour behaviour) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            readRequest(in);
            requests.incrementAndGet();
            behaviour.answer(out);
            out.flush();
        } catch (IOException | InterruptedException e) {
            // the client went away: that is what many tests make it do
        }
    }

    /** Reads until the end of a chunked body ("0\r\n\r\n") or of a request without body. */
    private static void readRequest(InputStream in) throws IOException {
        byte[] tail = new byte[5];
        boolean chunked = false;
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            System.arraycopy(tail, 1, tail, 0, 4);
            tail[4] = (byte) b;
            if (head != null) {
                head.append((char) b);
                if (head.toString().endsWith("\r\n\r\n")) {
                    chunked = head.toString().contains("Transfer-Encoding: chunked");
                    head = null;
                    if (!chunked) {
                        return;
                    }
                }
            } else if (new String(tail, StandardCharsets.ISO_8859_1).equals("0\r\n\r\n")) {
                return;
            }
        }
    }

    public int requests() {
        return requests.get();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
