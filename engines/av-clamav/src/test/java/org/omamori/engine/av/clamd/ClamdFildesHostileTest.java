package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.av.clamd.ClamdException.Kind;

/**
 * A broken or hostile daemon on a local socket, answering FILDES: handled as the same failure on
 * INSTREAM is (ClamdHostileDaemonTest), bounded in time and length; only an ERROR that says clamd
 * does not take FILDES sends the body by INSTREAM instead.
 */
class ClamdFildesHostileTest {

    private static final ClamdLimits TIGHT = ClamdLimits.DEFAULTS.withConnectTimeout(Duration.ofMillis(500))
            .withScanTimeout(Duration.ofMillis(400));

    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    interface Behaviour {
        /** Answers one command (its name, without the z and the NUL); the rest of the connection is in {@code channel}. */
        void serve(String command, SocketChannel channel) throws IOException;
    }

    private Clamd fake(Behaviour behaviour, ClamdLimits limits) throws IOException {
        assumeTrue(ClamdFildesTest.fildesHere(), () -> "FILDES unavailable: " + DescriptorPassing.Loaded.UNAVAILABLE);
        Path socket = dir.resolve("fake-" + cleanup.size() + ".sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        cleanup.add(server);
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel channel = server.accept();
                    cleanup.add(channel);
                    Thread.ofVirtual().start(() -> {
                        try (channel) {
                            behaviour.serve(command(channel), channel);
                        } catch (IOException ignored) {
                            // the client went away: fine
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        Clamd clamd = new Clamd(ClamdAddress.localSocket(socket), limits);
        cleanup.add(clamd);
        assertThat(clamd.transport()).startsWith("FILDES");
        return clamd;
    }

    private static String command(SocketChannel channel) throws IOException {
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (channel.read(one.clear()) == 1 && one.get(0) != 0) {
            name.write(one.get(0));
        }
        return name.toString(StandardCharsets.US_ASCII).substring(1);
    }

    private static void reply(SocketChannel channel, String text) throws IOException {
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static void drain(SocketChannel channel) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(65536);
        while (channel.read(sink.clear()) >= 0) {
            // swallow
        }
    }

    private static ScanResult scanSome(Clamd clamd) throws ClamdException {
        try (StreamScan scan = clamd.openStream()) {
            scan.send(ByteBuffer.wrap(new byte[5000]));
            return scan.finish();
        }
    }

    private static void assertKind(Clamd clamd, Kind kind) {
        assertThatThrownBy(() -> scanSome(clamd)).isInstanceOfSatisfying(ClamdException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void garbageAnswersAreProtocolErrorsAndFildesStaysOn() throws Exception {
        for (String garbage : List.of("HELLO\0", "fd[3]:  FOUND\0", "fd[3]: Evil\u0007Name FOUND\0", "fd[x]: OK\0", "fd[3]: maybe\0")) {
            Clamd clamd = fake((command, channel) -> reply(channel, garbage), TIGHT);
            assertKind(clamd, Kind.PROTOCOL);
            assertThat(clamd.transport()).startsWith("FILDES");
        }
    }

    @Test
    void aSilentDaemonTimesOutWithinTheBoundFromAVirtualThreadToo() throws Exception {
        Clamd clamd = fake((command, channel) -> drain(channel), TIGHT);
        long started = System.nanoTime();
        assertKind(clamd, Kind.TIMEOUT);
        Thread virtual = Thread.ofVirtual().start(() -> assertKind(clamd, Kind.TIMEOUT));
        virtual.join(5000);
        assertThat(virtual.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(clamd.connectionsInUse()).isZero();
    }

    @Test
    void anEndlessReplyIsCutOffAtTheBound() throws Exception {
        Clamd clamd = fake((command, channel) -> {
            ByteBuffer noise = ByteBuffer.wrap("A".repeat(8192).getBytes(StandardCharsets.US_ASCII));
            while (true) {
                channel.write(noise.clear());
            }
        }, TIGHT);
        assertThatThrownBy(() -> scanSome(clamd)).isInstanceOfSatisfying(ClamdException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(e.getMessage()).contains("longer than " + ClamdConnection.MAX_REPLY_BYTES);
        });
    }

    @Test
    void aDaemonThatHangsUpIsConnectionLost() throws Exception {
        assertKind(fake((command, channel) -> { }, TIGHT), Kind.CONNECTION_LOST);
    }

    @Test
    void aDaemonThatRefusesFildesGetsTheBodyByInstreamFromThenOn() throws Exception {
        List<String> commands = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] streamed = new long[1];
        Clamd clamd = fake((command, channel) -> {
            commands.add(command);
            if (command.equals("FILDES")) {
                reply(channel, "FILDES: didn't receive file descriptor. ERROR\0");
                return;
            }
            ByteBuffer length = ByteBuffer.allocate(4);
            while (true) { // INSTREAM: count the chunks' bytes until the zero-length one
                while (length.hasRemaining() && channel.read(length) >= 0) {
                    // fill
                }
                int n = length.flip().getInt();
                length.clear();
                if (n == 0) {
                    break;
                }
                ByteBuffer chunk = ByteBuffer.allocate(n);
                while (chunk.hasRemaining() && channel.read(chunk) >= 0) {
                    // fill
                }
                streamed[0] += n;
            }
            reply(channel, "stream: OK\0");
        }, TIGHT);
        assertThat(scanSome(clamd)).isEqualTo(new ScanResult.Clean());
        assertThat(streamed[0]).as("the held body went whole by INSTREAM").isEqualTo(5000);
        assertThat(clamd.transport()).startsWith("INSTREAM").contains("didn't receive file descriptor");
        assertThat(scanSome(clamd)).isEqualTo(new ScanResult.Clean());
        assertThat(commands).containsExactly("FILDES", "INSTREAM", "INSTREAM");
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        assumeTrue(ClamdFildesTest.fildesHere(), () -> "FILDES unavailable: " + DescriptorPassing.Loaded.UNAVAILABLE);
        Clamd clamd = new Clamd(ClamdAddress.localSocket(dir.resolve("nobody.sock")), TIGHT);
        cleanup.add(clamd);
        assertKind(clamd, Kind.UNREACHABLE);
        assertThat(clamd.transport()).startsWith("FILDES");
        assertThat(clamd.connectionsInUse()).isZero();
    }

    @Test
    void closingFromAnotherThreadEndsAWaitAtOnce() throws Exception {
        Clamd clamd = fake((command, channel) -> drain(channel), TIGHT.withScanTimeout(Duration.ofSeconds(20)));
        StreamScan scan = clamd.openStream();
        scan.send(ByteBuffer.wrap(new byte[10]));
        try (ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor()) {
            timer.schedule(clamd::close, 200, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();
            assertThatThrownBy(scan::finish).isInstanceOfSatisfying(ClamdException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(clamd.connectionsInUse()).isZero();
    }
}
