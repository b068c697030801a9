package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * Read timeouts and deadlines kept by {@link ReadDeadlines} rather than by the socket: a read that
 * waits too long ends with the exception a socket timeout gave, one that gets its bytes in time
 * is left alone, and a closed input is no longer watched. On virtual threads, as the proxy reads.
 */
class ReadDeadlinesTest {

    private final ReadDeadlines deadlines = new ReadDeadlines("test-read-deadlines");
    private ServerSocket server;
    private Socket near;
    private Socket far;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        near = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        far = server.accept();
    }

    @AfterEach
    void close() throws Exception {
        deadlines.close();
        near.close();
        far.close();
        server.close();
    }

    @Test
    void aReadWaitingPastItsTimeoutEndsAsASocketTimeout() throws Exception {
        HttpInput in = new HttpInput(near, 1024, deadlines);
        in.readTimeout(200);
        long started = System.nanoTime();
        Throwable thrown = onVirtualThread(() -> in.readHead(1024, 4096, true));
        assertThat(thrown).isExactlyInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
    }

    @Test
    void theDeadlineBoundsAllReadsOfATricklingPeer() throws Exception {
        HttpInput in = new HttpInput(near, 1024, deadlines);
        in.readTimeout(10_000);
        in.deadline(300);
        Thread trickle = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = far.getOutputStream();
                for (int i = 0; i < 100; i++) {
                    out.write('G');
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (Exception closed) {
                // the reader gave up
            }
        });
        long started = System.nanoTime();
        Throwable thrown = onVirtualThread(() -> in.readHead(1024, 4096, true));
        assertThat(thrown).isExactlyInstanceOf(HttpInput.DeadlineExceeded.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        far.close();
        trickle.join();
    }

    @Test
    void readsThatGetTheirBytesInTimeAreLeftAlone() throws Exception {
        HttpInput in = new HttpInput(near, 1024, deadlines);
        in.readTimeout(300);
        for (int i = 0; i < 5; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(100);
                    far.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            HeadBytes[] head = new HeadBytes[1];
            assertThat(onVirtualThread(() -> head[0] = in.readHead(1024, 4096, true))).isNull();
            assertThat(Head.request(head[0]).target()).isEqualTo("/");
            Thread.sleep(250); // idle between reads: nothing waits, nothing ends
        }
        assertThat(near.isInputShutdown()).isFalse();
    }

    @Test
    void aClosedInputIsNoLongerWatched() throws Exception {
        int before = deadlines.size();
        HttpInput in = new HttpInput(near, 1024, deadlines);
        assertThat(deadlines.size()).isEqualTo(before + 1);
        in.close();
        assertThat(deadlines.size()).isEqualTo(before);
        in.close(); // twice, as Origin and ClientSession may
        assertThat(deadlines.size()).isEqualTo(before);
    }

    /** Through the proxy: an origin that never answers gets a 504, an idle client is let go, neither is watched after. */
    @Test
    void theProxysOriginAndIdleTimeoutsEndWaitingReads() throws Exception {
        ProxySettings d = ProxySettings.DEFAULTS;
        ProxySettings settings = new ProxySettings(List.of(Listener.parse("explicit@127.0.0.1:0/lan")), d.serverZone(),
                d.maxRequestLine(), d.maxHead(), d.headTimeout(), Duration.ofMillis(300), d.connectTimeout(), Duration.ofMillis(300),
                d.holdBytes(), d.holdBudget(), d.maxConnections(), d.maxPerClient(), d.connectPorts(), d.httpPorts(),
                DestinationPolicy.DEFAULTS.allowing("127.0.0.1/32"), d.blockSniMismatch(), d.brand());
        try (ServerSocket mute = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
             WebProxy proxy = WebProxy.start(settings, pipeline, new EventFactory(new ApplianceId("00a0de000001")), events -> { })) {
            Thread.ofVirtual().start(() -> {
                try {
                    Socket accepted = mute.accept(); // and never answers
                    accepted.getInputStream().readAllBytes();
                } catch (Exception closed) {
                    // the test is over
                }
            });
            InetSocketAddress at = proxy.addresses().get(0);
            try (Socket client = new Socket(at.getAddress(), at.getPort())) {
                client.setSoTimeout(5000);
                long started = System.nanoTime();
                client.getOutputStream().write(("GET http://127.0.0.1:" + mute.getLocalPort() + "/ HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertThat(new String(client.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 504");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(4));
            }
            try (Socket idle = new Socket(at.getAddress(), at.getPort())) {
                idle.setSoTimeout(5000);
                long started = System.nanoTime();
                assertThat(idle.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(4));
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(proxy.readDeadlines.size()).isZero());
        }
    }

    interface Read {
        Object run() throws Exception;
    }

    /** Runs the read on a virtual thread; what it threw, or null. */
    private static Throwable onVirtualThread(Read read) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                read.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.join(10_000);
        assertThat(t.isAlive()).as("the read ended").isFalse();
        return thrown[0];
    }
}
