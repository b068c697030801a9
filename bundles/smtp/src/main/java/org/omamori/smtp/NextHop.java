package org.omamori.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The SMTP client towards the next hop (the office's mail server, or the smarthost): one
 * transaction per mail, opened at the first accepted recipient so that recipients are checked by
 * the server that knows them. Its replies are passed on with their codes, never with their text
 * (which could carry anything).
 */
final class NextHop implements Closeable {

    /** The next hop's replies are bounded as the client's commands are. */
    private static final int MAX_REPLY_LINE = 2048;
    private static final int MAX_REPLY_LINES = 100;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean eightBit;
    private boolean utf8;
    private boolean encrypted;

    private NextHop(Socket socket) throws IOException {
        use(socket);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = new BufferedOutputStream(s.getOutputStream(), 64 << 10);
    }

    /** Connects, reads the greeting, says EHLO, STARTTLS as {@code tls} says; a 4xx/5xx on the way is an {@link IOException}. */
    static NextHop open(InetSocketAddress address, String ourName, Duration timeout, HopTls tls) throws IOException {
        Socket s = new Socket();
        NextHop hop = null;
        try {
            s.setTcpNoDelay(true); // each command is one write and the hop waits for it: no Nagle delay
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            hop = new NextHop(s);
            Answer greeting = hop.read();
            if (greeting.code != 220) {
                throw new IOException("next hop greeted with " + greeting.code);
            }
            Answer ehlo = hop.ehlo(ourName);
            if (tls.mode() != HopTls.Mode.OFF && ehlo.offers("STARTTLS")) {
                hop.startTls(address, tls, timeout);
                ehlo = hop.ehlo(ourName); // RFC 3207: what the hop offered before TLS counts no more
            } else if (tls.mode() == HopTls.Mode.REQUIRED) {
                throw new IOException("next hop does not offer STARTTLS and nextHopTls is required");
            }
            hop.eightBit = ehlo.offers("8BITMIME");
            hop.utf8 = ehlo.offers("SMTPUTF8");
            return hop;
        } catch (IOException | RuntimeException e) {
            if (hop != null) {
                hop.close();
            }
            s.close();
            throw e;
        }
    }

    /** Whether the connection is under TLS. */
    boolean encrypted() {
        return encrypted;
    }

    private Answer ehlo(String ourName) throws IOException {
        Answer ehlo = command("EHLO " + ourName);
        if (ehlo.code != 250) {
            throw new IOException("next hop refused EHLO with " + ehlo.code);
        }
        return ehlo;
    }

    private void startTls(InetSocketAddress address, HopTls tls, Duration timeout) throws IOException {
        Answer go = command("STARTTLS");
        if (go.code != 220) {
            throw new IOException("next hop refused STARTTLS with " + go.code);
        }
        SSLContext context = tls.mode() == HopTls.Mode.REQUIRED ? tls.trust().orElseThrow() : HopTrust.ANY;
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, address.getHostString(), address.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.setEnabledProtocols(java.util.Arrays.stream(ssl.getSupportedProtocols())
                .filter(p -> p.equals("TLSv1.3") || p.equals("TLSv1.2")).toArray(String[]::new));
        ssl.setSoTimeout((int) timeout.toMillis());
        ssl.startHandshake();
        use(ssl);
        encrypted = true;
    }

    /** The hop's MAIL reply as ours. */
    Reply mail(Command.Mail mail) throws IOException {
        if (mail.utf8() && !utf8) {
            return Reply.of(553, "5.6.7", "The receiving server does not take international addresses");
        }
        StringBuilder cmd = new StringBuilder("MAIL FROM:").append(mail.from().path());
        if (mail.eightBit() && eightBit) {
            cmd.append(" BODY=8BITMIME");
        }
        if (mail.utf8()) {
            cmd.append(" SMTPUTF8");
        }
        return command(cmd.toString()).reply("Sender");
    }

    Reply rcpt(MailAddress to) throws IOException {
        return command("RCPT TO:" + to.path()).reply("Recipient");
    }

    /** Something that writes the mail's bytes (CRLF lines, not dot-stuffed). */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Sends DATA, the mail dot-stuffed, and the terminator; the hop's final reply as ours. */
    Reply data(Body body) throws IOException {
        Answer go = command("DATA");
        if (go.code != 354) {
            return go.reply("Data");
        }
        DotStuffer stuffer = new DotStuffer(out);
        body.writeTo(stuffer);
        stuffer.finish();
        out.flush();
        return read().reply("Message");
    }

    void quit() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // leaving anyway
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private Answer command(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
        out.flush();
        return read();
    }

    private Answer read() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int lines = 0; lines < MAX_REPLY_LINES; lines++) {
            String line = line();
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
                throw new IOException("next hop sent a malformed reply");
            }
            all.append(line).append('\n');
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Answer(Integer.parseInt(line.substring(0, 3)), all.toString());
            }
        }
        throw new IOException("next hop sent too long a reply");
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("next hop closed the connection");
            }
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            if (b.length() >= MAX_REPLY_LINE) {
                throw new IOException("next hop sent too long a line");
            }
            b.append((char) c);
        }
    }

    private record Answer(int code, String text) {

        boolean offers(String keyword) {
            for (String l : text.split("\n")) {
                if (l.length() > 4 && l.substring(4).strip().toUpperCase(Locale.ROOT).split(" ")[0].equals(keyword)) {
                    return true;
                }
            }
            return false;
        }

        /** Our reply with the hop's code and enhanced status, our own words. */
        Reply reply(String what) {
            if (code < 200 || code > 599) {
                return Reply.of(451, "4.4.0", "The receiving server answered oddly; try again later");
            }
            String status = "";
            String first = text.length() > 4 ? text.substring(4) : "";
            String candidate = first.split(" ", 2)[0];
            if (candidate.matches("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}") && candidate.charAt(0) == text.charAt(0)) {
                status = candidate;
            }
            if (status.isEmpty()) {
                status = code < 300 ? "2.0.0" : code < 500 ? "4.0.0" : "5.0.0";
            }
            String words = code < 300 ? what + " accepted by the receiving server"
                    : code < 400 ? "Go ahead" : code < 500 ? what + " deferred by the receiving server; try again later"
                    : what + " refused by the receiving server";
            return Reply.of(code, status, words);
        }
    }

    /**
     * Dot-stuffs CRLF lines (RFC 5321 §4.5.2) and ends the data with CRLF "." CRLF; a mail that
     * does not end in CRLF gets one.
     */
    static final class DotStuffer extends FilterOutputStream {
        private boolean lineStart = true;
        private int last = -1;

        DotStuffer(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n' && last == '\r';
            last = b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            // Runs of bytes go out at once; only a dot at a line start is doubled.
            int run = off;
            for (int i = off; i < off + len; i++) {
                int c = b[i] & 0xff;
                if (lineStart && c == '.') {
                    out.write(b, run, i - run);
                    out.write('.');
                    run = i;
                }
                lineStart = c == '\n' && last == '\r';
                last = c;
            }
            out.write(b, run, off + len - run);
        }

        void finish() throws IOException {
            if (!lineStart) {
                out.write('\r');
                out.write('\n');
            }
            out.write(new byte[] {'.', '\r', '\n'});
        }

        @Override
        public void close() {
            // the socket stays open for the reply
        }
    }
}
