package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.omamori.engine.av.clamd.ClamdException.Kind;

/** A broken or hostile daemon must never hang the client nor make it read without bound. */
class ClamdHostileDaemonTest {

    private static final ClamdLimits TIGHT = ClamdLimits.DEFAULTS.withConnectTimeout(Duration.ofMillis(500))
            .withScanTimeout(Duration.ofMillis(400));

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    interface Behaviour {
        void serve(InputStream in, OutputStream out) throws IOException;
    }

    /** A fake daemon on loopback that treats every connection the same way. */
    private ClamdAddress fake(Behaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    cleanup.add(socket);
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            behaviour.serve(socket.getInputStream(), socket.getOutputStream());
                        } catch (IOException ignored) {
                            // the client went away: fine
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new ClamdAddress("127.0.0.1", server.getLocalPort());
    }

    private static void drain(InputStream in, OutputStream ignored) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static Duration timed(ThrowingRunnable action) {
        long started = System.nanoTime();
        try {
            action.run();
        } catch (Throwable ignored) {
            // the assertion is elsewhere
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static void assertKind(ThrowingRunnable action, Kind kind) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void aSilentDaemonTimesOut() throws Exception {
        Clamd clamd = new Clamd(fake(ClamdHostileDaemonTest::drain), TIGHT);
        assertKind(clamd::ping, Kind.TIMEOUT);
        StreamScan scan = clamd.openStream();
        scan.send(ByteBuffer.wrap(new byte[1000]));
        assertThat(timed(() -> assertKind(scan::finish, Kind.TIMEOUT))).isLessThan(Duration.ofSeconds(2));
        assertThat(clamd.connectionsInUse()).isZero();
    }

    @Test
    void aDaemonThatStopsReadingCannotBlockSend() throws Exception {
        Clamd clamd = new Clamd(fake((in, out) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), TIGHT);
        StreamScan scan = clamd.openStream();
        ByteBuffer mib = ByteBuffer.allocate(1024 * 1024);
        Duration took = timed(() -> assertKind(() -> {
            for (int i = 0; i < 60; i++) { // far more than socket buffers hold
                scan.send(mib);
            }
        }, Kind.TIMEOUT));
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void anEndlessReplyIsCutOffAtTheBound() throws Exception {
        Clamd clamd = new Clamd(fake((in, out) -> {
            byte[] noise = "A".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            while (true) {
                out.write(noise);
            }
        }), TIGHT);
        assertThatThrownBy(clamd::version).isInstanceOfSatisfying(ClamdException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(e.getMessage()).contains("longer than " + ClamdConnection.MAX_REPLY_BYTES);
        });
    }

    @Test
    void strangeRepliesAreProtocolErrors() throws Exception {
        for (String reply : List.of("HELLO\0", "PONG", "stream:  FOUND\0", "stream: Evil\u0007Name FOUND\0",
                "stream: maybe\0")) {
            Clamd clamd = new Clamd(fake((in, out) -> {
                in.read(new byte[64]);
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }), TIGHT);
            ThrowingRunnable action = reply.startsWith("stream") ? () -> {
                try (StreamScan scan = clamd.openStream()) {
                    scan.finish();
                }
            } : clamd::ping;
            assertKind(action, Kind.PROTOCOL);
        }
    }

    @Test
    void aDaemonThatHangsUpIsConnectionLost() throws Exception {
        Clamd clamd = new Clamd(fake((in, out) -> { }), TIGHT);
        assertKind(clamd::ping, Kind.CONNECTION_LOST);
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Clamd clamd = new Clamd(new ClamdAddress("127.0.0.1", port), TIGHT);
        assertThat(timed(() -> assertKind(clamd::openStream, Kind.UNREACHABLE))).isLessThan(Duration.ofSeconds(1));
        assertThat(clamd.connectionsInUse()).isZero();
    }

    @Test
    void closingFromAnotherThreadEndsAWaitAtOnce() throws Exception {
        Clamd clamd = new Clamd(fake(ClamdHostileDaemonTest::drain), TIGHT.withScanTimeout(Duration.ofSeconds(20)));
        StreamScan scan = clamd.openStream();
        scan.send(ByteBuffer.wrap(new byte[10]));
        try (ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor()) {
            timer.schedule(clamd::close, 200, TimeUnit.MILLISECONDS);
            assertThat(timed(() -> assertKind(scan::finish, Kind.CLOSED))).isLessThan(Duration.ofSeconds(3));
        }
        assertKind(clamd::openStream, Kind.CLOSED);
        assertThat(clamd.connectionsInUse()).isZero();
    }

    @Test
    void nonLoopbackAddressesAreRefusedUnlessAllowed() {
        assertThatThrownBy(() -> new ClamdAddress("192.0.2.10", 3310)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not on loopback");
        assertThat(ClamdAddress.remote("192.0.2.10", 3310).allowRemote()).isTrue();
        assertThat(new ClamdAddress("localhost", 3399).toString()).isEqualTo("localhost:3399");
        assertThat(new ClamdAddress("::1", 3399).toString()).isEqualTo("[::1]:3399");
        assertThatThrownBy(() -> new ClamdAddress("127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instreamRepliesAreParsedStrictly() throws Exception {
        ClamdAddress where = ClamdAddress.LOCAL_DEFAULT;
        assertThat(StreamScan.parse("stream: OK", 5, where)).isEqualTo(new ScanResult.Clean());
        assertThat(StreamScan.parse("stream: Omamori.Test.EICAR-1.UNOFFICIAL FOUND", 5, where))
                .isEqualTo(new ScanResult.Infected("Omamori.Test.EICAR-1.UNOFFICIAL"));
        assertThat(StreamScan.parse("INSTREAM size limit exceeded. ERROR", 99, where)).isEqualTo(new ScanResult.TooLarge(99));
        // AlertExceedsMax: a file clamd stopped expanding is not scanned, neither clean nor a virus
        assertThat(StreamScan.parse("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND", 5, where))
                .isEqualTo(new ScanResult.Failed("the file expands beyond clamd's limits (Heuristics.Limits.Exceeded.MaxFileSize)"));
        assertThat(StreamScan.parse("stream: Can't allocate memory ERROR", 5, where))
                .isEqualTo(new ScanResult.Failed("Can't allocate memory"));
        assertThatThrownBy(() -> StreamScan.parse("stream: OK ", 5, where)).isInstanceOf(ClamdException.class);
        assertThatThrownBy(() -> StreamScan.parse("UNKNOWN COMMAND", 5, where)).isInstanceOf(ClamdException.class);
    }
}
