package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.engine.av.clamd.TestFiles.EICAR;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.engine.av.clamd.ClamdException.Kind;

/** clamd going away and coming back, on a private daemon so the shared one stays up for others. */
class ClamdRestartTest {

    private static ClamdDaemon daemon;

    @BeforeAll
    static void startPrivateClamd() {
        daemon = ClamdDaemon.isolated(Path.of("target", "clamd-restart-test"));
        daemon.start();
    }

    @AfterAll
    static void stopPrivateClamd() {
        daemon.stop();
    }

    @Test
    void stoppedIsUnreachableQuicklyAndStartedAgainWorksWithTheSameClient() throws Exception {
        try (Clamd clamd = new Clamd(daemon.address(), ClamdLimits.DEFAULTS)) {
            assertThat(clamd.ping()).isEqualTo("PONG");
            StreamScan inFlight = clamd.openStream();
            inFlight.send(ByteBuffer.wrap(TestFiles.random(100_000, 1)));

            daemon.stop();

            long started = System.nanoTime();
            assertThatThrownBy(clamd::ping).isInstanceOfSatisfying(ClamdException.class, e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                assertThat(e.getMessage()).contains(clamd.address().toString()).contains("scripts/clamd.sh start");
            });
            assertThatThrownBy(clamd::openStream).isInstanceOfSatisfying(ClamdException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            // The scan that was in flight when clamd went away fails, with a reason, instead of hanging.
            assertThatThrownBy(inFlight::finish).isInstanceOfSatisfying(ClamdException.class,
                    e -> assertThat(e.kind()).isIn(Kind.CONNECTION_LOST, Kind.TIMEOUT));
            assertThat(clamd.connectionsInUse()).isZero();

            daemon.start();

            assertThat(clamd.ping()).isEqualTo("PONG");
            assertThat(TestFiles.scan(clamd, EICAR, 10)).isInstanceOf(ScanResult.Infected.class);
        }
    }

    @Test
    void startIsCheapWhenAlreadyRunning() {
        long started = System.nanoTime();
        daemon.start();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
