package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.omamori.engine.av.clamd.TestFiles.EICAR;
import static org.omamori.engine.av.clamd.TestFiles.concat;
import static org.omamori.engine.av.clamd.TestFiles.random;
import static org.omamori.engine.av.clamd.TestFiles.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.engine.av.clamd.ClamdException.Kind;

/**
 * FILDES against the real clamd on its local socket, and the INSTREAM fallback beside it: the
 * same bodies must get the same verdicts by both paths.
 */
class ClamdFildesTest {

    private static final int MIB = 1024 * 1024;
    private static final String SIGNATURE = "Omamori.Test.EICAR-1.UNOFFICIAL";

    private static ClamdAddress socket;
    private static Clamd fildes;
    private static Clamd stream;

    @BeforeAll
    static void startClamd() {
        ClamdDaemon.SHARED.start();
        socket = ClamdAddress.localSocket(ClamdDaemon.SHARED.localSocket());
        fildes = new Clamd(socket, ClamdLimits.DEFAULTS);
        stream = new Clamd(socket, ClamdLimits.DEFAULTS, false);
    }

    @AfterAll
    static void closeClients() {
        fildes.close();
        stream.close();
    }

    /** FILDES runs here (Linux, Java 22+, native access allowed); elsewhere both clients stream and must agree all the same. */
    static boolean fildesHere() {
        return DescriptorPassing.Loaded.UNAVAILABLE == null;
    }

    @Test
    void theLocalSocketUsesFildesAndTcpOrTheSwitchDoNot() {
        assumeTrue(fildesHere(), () -> "FILDES unavailable: " + DescriptorPassing.Loaded.UNAVAILABLE);
        assertThat(fildes.transport()).startsWith("FILDES");
        assertThat(stream.transport()).startsWith("INSTREAM").contains("-Domamori.av.fildes=false");
        try (Clamd tcp = new Clamd(ClamdDaemon.SHARED.address(), ClamdLimits.DEFAULTS)) {
            assertThat(tcp.transport()).startsWith("INSTREAM").contains("TCP");
        }
    }

    @Test
    void eicarIsFoundByFildesAndByTheFallback() throws Exception {
        byte[] file = concat(random(3 * MIB + 17, 1), EICAR, random(5_000, 2));
        for (Clamd clamd : List.of(fildes, stream)) {
            assertThat(scan(clamd, EICAR, 7)).as(clamd.transport()).isEqualTo(new ScanResult.Infected(SIGNATURE));
            assertThat(scan(clamd, file, 16 * 1024)).as(clamd.transport()).isEqualTo(new ScanResult.Infected(SIGNATURE));
            assertThat(scan(clamd, TestFiles.zip("tools/eicar.com", EICAR), 100)).isInstanceOf(ScanResult.Infected.class);
        }
        assertThat(fildes.transport()).as("clamd took every FILDES: no fallback happened")
                .startsWith(fildesHere() ? "FILDES" : "INSTREAM");
    }

    @Test
    void aCleanBodyPassesByBothPaths() throws Exception {
        byte[] file = random(10 * MIB, 3);
        for (Clamd clamd : List.of(fildes, stream)) {
            assertThat(scan(clamd, file, 256 * 1024)).as(clamd.transport()).isEqualTo(new ScanResult.Clean());
            assertThat(scan(clamd, new byte[] {'x'}, 1)).isEqualTo(new ScanResult.Clean());
        }
        assertThat(fildes.transport()).startsWith(fildesHere() ? "FILDES" : "INSTREAM");
    }

    @Test
    void aBodyOverTheLimitIsTooLargeByBothPathsYetAVirusBeforeTheLimitIsReported() throws Exception {
        ClamdLimits small = ClamdLimits.DEFAULTS.withMaxStreamBytes(MIB);
        try (Clamd f = new Clamd(socket, small); Clamd s = new Clamd(socket, small, false)) {
            for (Clamd clamd : List.of(f, s)) {
                assertThat(scan(clamd, random(2 * MIB, 4), 64 * 1024)).as(clamd.transport())
                        .isEqualTo(new ScanResult.TooLarge(2L * MIB));
                assertThat(scan(clamd, concat(EICAR, random(2 * MIB, 5)), 64 * 1024)).as(clamd.transport())
                        .isEqualTo(new ScanResult.Infected(SIGNATURE));
            }
        }
    }

    @Test
    void readOnlyAndDirectBuffersAreTakenAsTheyAre() throws Exception {
        // The proxy hands read-only views of its buffers; the memfd write takes them without a copy.
        for (Clamd clamd : List.of(fildes, stream)) {
            try (StreamScan scan = clamd.openStream()) {
                scan.send(ByteBuffer.wrap(random(300_000, 8)).asReadOnlyBuffer());
                scan.send(ByteBuffer.allocateDirect(EICAR.length).put(EICAR).flip().asReadOnlyBuffer());
                assertThat(scan.finish()).as(clamd.transport()).isEqualTo(new ScanResult.Infected(SIGNATURE));
            }
        }
    }

    @Test
    void aVirtualThreadGetsTheSameVerdictsWithoutPinningItsCarrier() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                seen.set(List.of(scan(fildes, EICAR, 3), scan(fildes, random(MIB, 6), 4096)));
            } catch (Exception e) {
                seen.set(e);
            }
        }).join();
        assertThat(seen.get()).isEqualTo(List.of(new ScanResult.Infected(SIGNATURE), new ScanResult.Clean()));
    }

    @Test
    void noDescriptorIsLeftOpenAfter200Scans() throws Exception {
        scan(fildes, EICAR, 10); // the first scan loads the classes and may start a thread pool
        long before = openDescriptors();
        for (int i = 0; i < 200; i++) {
            if (i % 10 == 9) {
                try (StreamScan aborted = fildes.openStream()) { // held, never finished
                    aborted.send(ByteBuffer.wrap(random(1000, i)));
                }
            } else {
                ScanResult r = scan(fildes, i % 2 == 0 ? EICAR : random(64 * 1024, i), 8192);
                assertThat(r).isInstanceOf(i % 2 == 0 ? ScanResult.Infected.class : ScanResult.Clean.class);
            }
        }
        assertThat(openDescriptors()).isLessThanOrEqualTo(before);
        assertThat(fildes.connectionsInUse()).isZero();
    }

    @Test
    void closingTheClientEndsAHeldScan() throws Exception {
        Clamd own = new Clamd(socket, ClamdLimits.DEFAULTS);
        StreamScan scan = own.openStream();
        scan.send(ByteBuffer.wrap(random(1000, 7)));
        own.close();
        assertThatThrownBy(scan::finish).isInstanceOf(ClamdException.class)
                .satisfies(e -> assertThat(((ClamdException) e).kind()).isEqualTo(Kind.CLOSED));
        assertThat(own.connectionsInUse()).isZero();
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
