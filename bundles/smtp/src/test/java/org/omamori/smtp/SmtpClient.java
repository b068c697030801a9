package org.omamori.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A client that sends exact bytes and reads replies, for the tests. */
final class SmtpClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SmtpClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One reply, all its lines; "EOF" when the server closed. */
    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return all.isEmpty() ? "EOF" : all.toString();
            }
            all.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return all.toString().strip();
            }
        }
    }

    List<String> replies(int n) throws IOException {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(reply());
        }
        return r;
    }

    String command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** True when the server has closed the connection. */
    boolean closed() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c;
            try {
                c = in.read();
            } catch (java.net.SocketException e) {
                c = -1;
            }
            if (c < 0) {
                return b.isEmpty() ? null : b.toString();
            }
            if (c == '\n') {
                return b.toString().replace("\r", "");
            }
            b.append((char) c);
        }
    }

    /** STARTTLS's handshake, trusting the test certificate; returns the protocol. */
    String startTls(String... protocols) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        if (protocols.length > 0) {
            ssl.setEnabledProtocols(protocols);
        }
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
        return ssl.getSession().getProtocol();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
