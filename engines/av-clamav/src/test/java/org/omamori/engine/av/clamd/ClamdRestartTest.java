package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.omamori.engine.av.clamd.TestFiles.EICAR;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Where the script drops to clamav (as root), a member of clamd's group that is not clamav (the
     * appliance: omamori with SupplementaryGroups=clamav) may connect to the local socket and write
     * AV definitions into db/, and what it writes there stays in clamd's group (setgid).
     */
    @Test
    void asRootTheSocketAndTheDatabaseFolderAreOpenToClamdsGroup() throws Exception {
        Path state = Path.of("target", "clamd-restart-test").toAbsolutePath();
        daemon.start();
        assumeTrue("clamav".equals(Files.getOwner(state.resolve("db")).getName()), "clamd.sh did not drop to clamav here (not root)");
        assertThat((int) Files.getAttribute(state.resolve("db"), "unix:mode") & 02070).as("db/ g+rwx and setgid").isEqualTo(02070);
        assertThat((int) Files.getAttribute(state, "unix:mode") & 0050).as("the state folder g+rx").isEqualTo(0050);
        for (String access : List.of("test -w " + state.resolve("clamd.sock") + " && test -S " + state.resolve("clamd.sock"),
                "test -w " + state.resolve("db") + " && test -x " + state.resolve("db"))) {
            Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--groups=clamav", "--", "sh", "-c", access)
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor()).as("as nobody in group clamav: %s", access).isZero();
            Process without = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "sh", "-c", access)
                    .redirectErrorStream(true).start();
            assertThat(without.waitFor()).as("as nobody without the group: %s", access).isNotZero();
        }
    }

    @Test
    void startIsCheapWhenAlreadyRunning() {
        long started = System.nanoTime();
        daemon.start();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
