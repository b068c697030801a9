package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's own check of an idle connection: the exchange gives a connection back after looking
 * only at the bytes it has already read (no system call), so bytes the origin sent past its
 * response that are still in the socket must be found when the connection is taken again.
 */
class OriginPoolTest {

    private final ReadDeadlines deadlines = new ReadDeadlines("test-origin-pool");

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void aConnectionWithBytesWaitingInItsSocketIsClosedWhenTakenNotReused() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            OriginPool.Key key = OriginPool.Key.of(address.getAddress(), address.getPort());
            OriginPool pool = new OriginPool(4, 16, TimeUnit.SECONDS.toNanos(20));
            Origin origin = Origin.connect(key, address, 1_000, 1_000, deadlines);
            try (Socket peer = server.accept()) {
                // clean: handed out again, the same socket
                pool.give(origin);
                Origin again = pool.take(key);
                assertThat(again).isNotNull();
                assertThat(again.socket).isSameAs(origin.socket);
                assertThat(again.in.buffered()).isZero();

                // a smuggled second response arrives after the exchange gave the connection back
                pool.give(again);
                OutputStream out = peer.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                await().atMost(Duration.ofSeconds(5)).until(() -> origin.in.waiting() > 0);
                assertThat(pool.take(key)).as("never handed to the next client's request").isNull();
                assertThat(origin.socket.isClosed()).isTrue();
                assertThat(pool.take(key)).isNull();
            }
        }
    }
}
