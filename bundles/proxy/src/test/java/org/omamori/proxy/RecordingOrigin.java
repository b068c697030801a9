package org.omamori.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An origin on a raw socket that logs the exact bytes it receives and frames requests as a
 * typical backend does (chunked when Transfer-Encoding says so, else Content-Length), so a test
 * can compare what reached it with what the proxy decided on. Each request is answered by a
 * scripted response, which may carry bytes beyond one message (a smuggled second response).
 */
final class RecordingOrigin implements AutoCloseable {

    /** One request as this origin framed it. */
    record Request(int connection, String line, String head, byte[] body) {
        String target() {
            return line.split(" ")[1];
        }
    }

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";

    private final ServerSocket server;
    /** Every byte received, per connection, in order. */
    final List<ByteArrayOutputStream> wire = new CopyOnWriteArrayList<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Connections that ended inside a message: bytes this origin could not frame as requests. */
    final java.util.concurrent.atomic.AtomicInteger unframed = new java.util.concurrent.atomic.AtomicInteger();
    /** The answer to a request; may be more than one response. */
    volatile Function<Request, byte[]> answer = r -> OK.getBytes(StandardCharsets.ISO_8859_1);
    /** Bytes written on the connection some time after the answer (a late smuggled response), or null. */
    volatile byte[] late;
    volatile long lateAfterMillis = 100;
    /** Whether the origin closes its side after each answer (a reply cut short must end somewhere). */
    volatile boolean closeAfterAnswer;

    RecordingOrigin() throws IOException {
        server = new ServerSocket(0, 64, InetAddress.getByName(RealEngines.ORIGIN_ADDRESS));
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://" + RealEngines.ORIGIN_ADDRESS + ":" + port() + path;
    }

    int connections() {
        return wire.size();
    }

    void clear() {
        wire.clear();
        requests.clear();
        unframed.set(0);
        answer = r -> OK.getBytes(StandardCharsets.ISO_8859_1);
        late = null;
        closeAfterAnswer = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                wire.add(log);
                int id = wire.size() - 1;
                Thread.ofVirtual().start(() -> serve(s, id, log));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s, int id, ByteArrayOutputStream log) {
        try (s) {
            s.setSoTimeout(20_000);
            InputStream in = new Recording(s.getInputStream(), log);
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = head(in);
                if (head == null) {
                    return;
                }
                byte[] body = body(in, head);
                Request r = new Request(id, head.substring(0, head.indexOf("\r\n")), head, body);
                requests.add(r);
                out.write(answer.apply(r));
                out.flush();
                if (closeAfterAnswer) {
                    return;
                }
                byte[] extra = late;
                if (extra != null) {
                    Thread.sleep(lateAfterMillis);
                    out.write(extra);
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the peer sent what this origin cannot frame, or closed inside a message
            unframed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketTimeoutException idle) {
                if (head.size() > 0) {
                    throw idle;
                }
                return null; // an idle keep-alive connection, not a broken message
            }
            if (b < 0) {
                if (head.size() > 0) {
                    throw new IOException("closed inside a head");
                }
                return null;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] body(InputStream in, String head) throws IOException {
        String te = field(head, "transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            return RawClient.dechunk(in);
        }
        String length = field(head, "content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.strip()));
    }

    /** The first value of a field, as a lenient backend reads it. */
    static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Copies every byte read into the log. */
    private static final class Recording extends java.io.FilterInputStream {
        private final ByteArrayOutputStream log;

        Recording(InputStream in, ByteArrayOutputStream log) {
            super(in);
            this.log = log;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                synchronized (log) {
                    log.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                synchronized (log) {
                    log.write(b, off, n);
                }
            }
            return n;
        }
    }
}
