package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.omamori.engine.av.clamd.TestFiles.EICAR;
import static org.omamori.engine.av.clamd.TestFiles.random;
import static org.omamori.engine.av.clamd.TestFiles.scan;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.av.AvSettings;

/**
 * The appliance's default way to clamd ({@code clamdSocket=auto}) against the real clamd:
 * {@code run/clamd/clamd.sock} in the home, by FILDES, whenever it connects; TCP while it is
 * absent or refuses, with the verdicts unchanged; a socket that appears later is taken after
 * the back-off. The home's socket is a link to the one scripts/clamd.sh made, wherever its
 * state folder is.
 */
class ClamdSocketFallbackTest {

    private static final ScanResult FOUND = new ScanResult.Infected("Omamori.Test.EICAR-1.UNOFFICIAL");

    private static int tcpPort;

    @TempDir
    Path home;

    @BeforeAll
    static void startClamd() {
        ClamdDaemon.SHARED.start();
        tcpPort = ClamdDaemon.SHARED.address().port();
    }

    /** What the appliance's default configuration gives for this home. */
    private ClamdAddress defaults() {
        return AvSettings.clamd(home, AvSettings.AUTO_SOCKET, "127.0.0.1", tcpPort);
    }

    private Path homeSocket() throws Exception {
        Path socket = home.resolve(AvSettings.DEFAULT_SOCKET);
        Files.createDirectories(socket.getParent());
        return socket;
    }

    /** The home's run/clamd/clamd.sock made a link to clamd's own socket. */
    private void linkClamdsSocket() throws Exception {
        Path clamds = ClamdDaemon.SHARED.localSocket();
        assertThat(clamds).as("scripts/clamd.sh makes a local socket").exists();
        Files.createSymbolicLink(homeSocket(), clamds);
    }

    private static void assertVerdicts(Clamd clamd) throws ClamdException {
        assertThat(scan(clamd, EICAR, 7)).as(clamd.transport()).isEqualTo(FOUND);
        assertThat(scan(clamd, random(300_000, 1), 16 * 1024)).as(clamd.transport()).isEqualTo(new ScanResult.Clean());
        assertThat(clamd.ping()).isEqualTo("PONG");
    }

    @Test
    void theDefaultUsesFildesThroughTheSocketClamdMade() throws Exception {
        assumeTrue(ClamdFildesTest.fildesHere(), () -> "FILDES unavailable: " + DescriptorPassing.Loaded.UNAVAILABLE);
        linkClamdsSocket();
        try (Clamd clamd = new Clamd(defaults(), ClamdLimits.DEFAULTS)) {
            assertVerdicts(clamd);
            assertThat(clamd.transport()).startsWith("FILDES").contains("over the local socket unix:" + home.resolve(AvSettings.DEFAULT_SOCKET));
        }
    }

    @Test
    void withTheSocketAbsentTheDefaultScansOverTcp() throws Exception {
        try (Clamd clamd = new Clamd(defaults(), ClamdLimits.DEFAULTS)) {
            assertVerdicts(clamd);
            assertThat(clamd.transport()).startsWith("INSTREAM").contains("over TCP 127.0.0.1:" + tcpPort)
                    .contains("did not connect (no such file");
        }
    }

    @Test
    void aSocketThatAppearsLaterIsUsedAfterTheBackOff() throws Exception {
        assumeTrue(ClamdFildesTest.fildesHere(), () -> "FILDES unavailable: " + DescriptorPassing.Loaded.UNAVAILABLE);
        try (Clamd clamd = new Clamd(defaults(), ClamdLimits.DEFAULTS)) {
            long started = System.nanoTime();
            assertThat(scan(clamd, EICAR, 7)).isEqualTo(FOUND);
            linkClamdsSocket();
            assertThat(scan(clamd, EICAR, 7)).isEqualTo(FOUND);
            if (System.nanoTime() - started < Clamd.SOCKET_RETRY.toNanos()) { // not tried on every scan while known absent
                assertThat(clamd.transport()).as("within the back-off").contains("over TCP");
            }
            Thread.sleep(Clamd.SOCKET_RETRY.toMillis() + 100);
            assertVerdicts(clamd);
            assertThat(clamd.transport()).startsWith("FILDES").contains("over the local socket");
        }
    }

    @Test
    void aPlainFileWhereTheSocketShouldBeFallsBackToTcpWithTheVerdictRight() throws Exception {
        Files.writeString(homeSocket(), "not a socket");
        for (boolean fildes : List.of(true, false)) { // the held body's fallback, and a streamed one's
            try (Clamd clamd = new Clamd(defaults(), ClamdLimits.DEFAULTS, fildes)) {
                assertVerdicts(clamd);
                assertThat(clamd.transport()).as("fildes " + fildes).startsWith("INSTREAM").contains("over TCP")
                        .containsIgnoringCase("connection refused");
            }
        }
    }

    @Test
    void aSocketNobodyListensOnFallsBackToTcpWithTheVerdictRight() throws Exception {
        Path socket = homeSocket();
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close(); // the file stays
        assertThat(socket).exists();
        for (boolean fildes : List.of(true, false)) {
            try (Clamd clamd = new Clamd(defaults(), ClamdLimits.DEFAULTS, fildes)) {
                assertVerdicts(clamd);
                assertThat(clamd.transport()).as("fildes " + fildes).startsWith("INSTREAM").contains("over TCP")
                        .containsIgnoringCase("connection refused");
            }
        }
    }

    @Test
    void noneIsTcpOnlyAndAPathIsThatSocketOnlyRelativeToTheHome() {
        ClamdAddress none = AvSettings.clamd(home, "none", "127.0.0.1", 3399);
        assertThat(none).isEqualTo(new ClamdAddress("127.0.0.1", 3399));
        ClamdAddress path = AvSettings.clamd(home, "sockets/clamd.sock", "127.0.0.1", 3399);
        assertThat(path).isEqualTo(ClamdAddress.localSocket(home.resolve("sockets/clamd.sock")));
        assertThat(path.fallback()).isNull();
        assertThat(AvSettings.clamd(home, " ", "127.0.0.1", 3399))
                .isEqualTo(ClamdAddress.localSocketOr(home.resolve("run/clamd/clamd.sock"), new ClamdAddress("127.0.0.1", 3399)));
    }
}
