package org.omamori.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

import org.omamori.engine.antispam.AntispamEngine;
import org.omamori.engine.antispam.AntispamSettings;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.omamori.smtp.RelayPolicy;
import org.omamori.smtp.SmtpIntake;
import org.omamori.smtp.SmtpListener;
import org.omamori.smtp.SmtpSettings;

/**
 * Mails through the SMTP intake, all on loopback in one run: a sink next hop that reads each
 * mail to its end and answers 250; clients that send mails of one size over their own
 * connections, one after the other, straight to the sink (the baseline), through the intake
 * with no engine, and through the intake with the antivirus on the project's clamd (its answer
 * cache off, so every attachment is scanned), and with the antivirus and the antispam engine on
 * the project's rspamd. Prints mails/s and the mean time from the end of DATA to the 250, and the
 * ratios. Each mail has a text part and a base64 attachment of random bytes (clean). Needs clamd
 * and rspamd ({@code scripts/clamd.sh start}, {@code scripts/rspamd.sh start}).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.SmtpLoad SECONDS CLIENTS [CLAMD_PORT] [RSPAMD_PORT]</pre>
 */
public final class SmtpLoad {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int clamdPort = args.length > 2 ? Integer.parseInt(args[2]) : 3399;
        int rspamdPort = args.length > 3 ? Integer.parseInt(args[3]) : 3398;
        Path spool = Files.createTempDirectory("smtp-load");
        try (Sink sink = new Sink()) {
            for (int size : new int[] {10 << 10, 5 << 20}) {
                byte[] mail = mail(size);
                int n = size > 1 << 20 ? Math.max(1, clients / 2) : clients;
                Result direct = run(sink.address(), mail, n, seconds);
                Result bare = through(sink, spool, null, null, mail, n, seconds);
                AvEngine av = new AvEngine("bench", new AvSettings(new ClamdAddress("127.0.0.1", clamdPort), true,
                        64L << 20, Duration.ofSeconds(60), 16, Duration.ZERO));
                Result withAv = through(sink, spool, av, null, mail, n, seconds);
                AntispamEngine antispam = new AntispamEngine("bench",
                        AntispamSettings.DEFAULTS.withRspamd(new InetSocketAddress("127.0.0.1", rspamdPort)));
                Result withBoth = through(sink, spool, av, antispam, mail, n, seconds);
                av.close();
                System.out.printf("%n%s mails, %d clients, %d s each:%n", size > 1 << 20 ? "5 MiB" : "10 KiB", n, seconds);
                print("straight to the next hop", direct, direct);
                print("through the intake, no engine", bare, direct);
                print("through the intake, antivirus", withAv, direct);
                print("  + antispam (rspamd)", withBoth, direct);
            }
        }
    }

    record Result(double mailsPerSecond, double meanMillis) { }

    static void print(String what, Result r, Result base) {
        System.out.printf("  %-32s %9.1f mails/s (%.2fx)   %8.2f ms end-of-data to 250 (+%.2f ms)%n", what, r.mailsPerSecond,
                r.mailsPerSecond / base.mailsPerSecond, r.meanMillis, r.meanMillis - base.meanMillis);
    }

    static Result through(Sink sink, Path spool, AvEngine av, AntispamEngine antispam, byte[] mail, int clients, int seconds)
            throws Exception {
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        if (av != null) {
            pipeline.addEngine(av);
        }
        if (antispam != null) {
            pipeline.addEngine(antispam);
        }
        SmtpSettings s = SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                SmtpListener.parse("127.0.0.1:" + sink.address().getPort() + "/lan"),
                new RelayPolicy(List.of("example.jp"), List.of()), spool);
        try (SmtpIntake intake = SmtpIntake.start(s, pipeline, new EventFactory(new ApplianceId("00a0de0000b0")), EventSink.NONE)) {
            return run(intake.addresses().get(0), mail, clients, seconds);
        } finally {
            pipeline.close();
        }
    }

    static Result run(InetSocketAddress to, byte[] mail, int clients, int seconds) throws Exception {
        // a short warm-up, then the measured run
        measure(to, mail, clients, Math.max(1, seconds / 5));
        return measure(to, mail, clients, seconds);
    }

    static Result measure(InetSocketAddress to, byte[] mail, int clients, int seconds) throws Exception {
        LongAdder mails = new LongAdder();
        LongAdder nanos = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (Socket socket = new Socket(to.getAddress(), to.getPort())) {
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 << 10);
                    expect(in, "220");
                    command(out, in, "EHLO bench.example", "250");
                    while (System.nanoTime() < end) {
                        command(out, in, "MAIL FROM:<a@sender.example>", "250");
                        command(out, in, "RCPT TO:<b@example.jp>", "250");
                        command(out, in, "DATA", "354");
                        out.write(mail);
                        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                        long t0 = System.nanoTime();
                        out.flush();
                        expect(in, "250");
                        nanos.add(System.nanoTime() - t0);
                        mails.increment();
                    }
                    command(out, in, "QUIT", "221");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long n = Math.max(1, mails.sum());
        return new Result(mails.sum() / (double) seconds, nanos.sum() / 1e6 / n);
    }

    static void command(OutputStream out, InputStream in, String line, String want) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, want);
    }

    static void expect(InputStream in, String code) throws IOException {
        while (true) {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                b.append((char) c);
            }
            if (!b.toString().startsWith(code)) {
                throw new IOException("want " + code + ", got " + b);
            }
            if (b.length() < 4 || b.charAt(3) == ' ') {
                return;
            }
        }
    }

    /** A mail of about {@code size} bytes: a text part and a base64 attachment of random bytes, dot-stuffing not needed. */
    static byte[] mail(int size) {
        byte[] raw = new byte[size * 3 / 4];
        new SplittableRandom(size).nextBytes(raw);
        String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(raw);
        return ("From: a@sender.example\r\nTo: b@example.jp\r\nSubject: load\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"data.bin\"\r\n\r\n" + b64 + "\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The next hop: reads each mail to CRLF.CRLF and answers 250. */
    static final class Sink implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 128, java.net.InetAddress.getLoopbackAddress());

        Sink() throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private static void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream(), 64 << 10);
                OutputStream out = s.getOutputStream();
                out.write("220 sink\r\n".getBytes(StandardCharsets.US_ASCII));
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    if (c != '\n') {
                        line.append((char) c);
                        continue;
                    }
                    String l = line.toString().toUpperCase();
                    line.setLength(0);
                    if (l.startsWith("DATA")) {
                        out.write("354 go\r\n".getBytes(StandardCharsets.US_ASCII));
                        int state = 2; // 0 line start, 1 after '.', 2 in line; CR handled by ending on ".\r\n"
                        int prev = '\n';
                        while ((c = in.read()) >= 0) {
                            if (prev == '\n' && c == '.') {
                                state = 1;
                            } else if (state == 1 && c == '\r') {
                                state = 3;
                            } else if (state == 3 && c == '\n') {
                                break;
                            } else {
                                state = 2;
                            }
                            prev = c;
                        }
                        out.write("250 2.0.0 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else if (l.startsWith("QUIT")) {
                        out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                        return;
                    } else if (l.startsWith("EHLO")) {
                        out.write("250-sink\r\n250 8BITMIME\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write("250 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            } catch (IOException e) {
                // client gone
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
