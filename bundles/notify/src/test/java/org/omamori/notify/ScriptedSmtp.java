package org.omamori.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/**
 * An SMTP server that answers with the codes a test chooses: how a relay says "try later" (4xx)
 * or "never" (5xx), which GreenMail does not say.
 */
final class ScriptedSmtp implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;
    volatile String mailReply = "250 OK";
    volatile Function<String, String> rcptReply = to -> "250 OK";
    volatile String dataReply = "250 OK queued";

    ScriptedSmtp() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                session(s);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void session(Socket s) throws IOException {
        var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        reply(out, "220 scripted ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String cmd = line.toUpperCase(Locale.ROOT);
            if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                reply(out, "250-scripted\r\n250 8BITMIME");
            } else if (cmd.startsWith("MAIL")) {
                reply(out, mailReply);
            } else if (cmd.startsWith("RCPT")) {
                reply(out, rcptReply.apply(line.substring(line.indexOf(':') + 1).strip()));
            } else if (cmd.startsWith("DATA")) {
                reply(out, "354 go ahead");
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    // the mail
                }
                reply(out, dataReply);
            } else if (cmd.startsWith("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "250 OK");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
