package org.omamori.engine.av.clamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.engine.av.clamd.TestFiles.EICAR;
import static org.omamori.engine.av.clamd.TestFiles.MARKER;
import static org.omamori.engine.av.clamd.TestFiles.concat;
import static org.omamori.engine.av.clamd.TestFiles.random;
import static org.omamori.engine.av.clamd.TestFiles.scan;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.engine.av.clamd.ClamdException.Kind;

/** Against the real clamd started by scripts/clamd.sh with the project's own signatures. */
class ClamdLiveTest {

    private static final int MIB = 1024 * 1024;

    private static ClamdAddress address;
    private static Clamd clamd;

    @BeforeAll
    static void startClamd() {
        ClamdDaemon.SHARED.start();
        address = ClamdDaemon.SHARED.address();
        clamd = new Clamd(address, ClamdLimits.DEFAULTS);
    }

    @AfterAll
    static void closeClient() {
        clamd.close(); // clamd itself stays up for the other tests and the demo
    }

    @Test
    void pingAndVersion() throws Exception {
        assertThat(clamd.ping()).isEqualTo("PONG");
        assertThat(clamd.version()).startsWith("ClamAV 1.");
    }

    @Test
    void eicarIsInfectedWithTheProjectsSignatureName() throws Exception {
        // Only the project's database is loaded: the body signature wins over the hash one.
        assertThat(scan(clamd, EICAR, 8192)).isEqualTo(new ScanResult.Infected("Omamori.Test.EICAR-1.UNOFFICIAL"));
    }

    @Test
    void eicarSplitAtEveryChunkBoundaryIsFound() throws Exception {
        for (int split = 1; split < EICAR.length; split++) {
            try (StreamScan scan = clamd.openStream()) {
                scan.send(ByteBuffer.wrap(EICAR, 0, split));
                scan.send(ByteBuffer.wrap(EICAR, split, EICAR.length - split));
                assertThat(scan.finish()).as("split at %d", split).isInstanceOf(ScanResult.Infected.class);
            }
        }
    }

    @Test
    void eicarInOneByteChunksInsideALargerFileIsFound() throws Exception {
        byte[] file = concat(random(100_003, 1), EICAR, random(7_777, 2));
        assertThat(scan(clamd, EICAR, 1)).isInstanceOf(ScanResult.Infected.class);
        assertThat(scan(clamd, file, 4093)).isEqualTo(new ScanResult.Infected("Omamori.Test.EICAR-1.UNOFFICIAL"));
    }

    @Test
    void eicarInsideAZipIsFound() throws Exception {
        byte[] zip = TestFiles.zip("tools/eicar.com", EICAR);
        assertThat(scan(clamd, zip, 100)).isEqualTo(new ScanResult.Infected("Omamori.Test.EICAR-1.UNOFFICIAL"));
    }

    @Test
    void projectTestPatternsAreFound() throws Exception {
        byte[] marked = concat(random(5000, 3), MARKER, random(5000, 4));
        assertThat(scan(clamd, marked, 1000)).isEqualTo(new ScanResult.Infected("Omamori.Test.Marker-1.UNOFFICIAL"));

        byte[] wildcard = "..OMAMORI-WILDCARD-any 16 bytes!!-7f3a9c-END..".getBytes(StandardCharsets.US_ASCII);
        assertThat(scan(clamd, wildcard, 7)).isEqualTo(new ScanResult.Infected("Omamori.Test.Wildcard-1.UNOFFICIAL"));
        byte[] tooFarApart = "OMAMORI-WILDCARD-seventeen bytes!!-7f3a9c-END".getBytes(StandardCharsets.US_ASCII);
        assertThat(scan(clamd, tooFarApart, 7)).isEqualTo(new ScanResult.Clean());
    }

    @Test
    void cleanFilesOfSeveralSizesAreClean() throws Exception {
        for (int size : new int[] {1024, MIB, 20 * MIB}) {
            byte[] file = random(size, size);
            assertThat(scan(clamd, file, 64 * 1024)).as("%d bytes", size).isEqualTo(new ScanResult.Clean());
        }
    }

    @Test
    void sendLeavesTheCallersBufferAsItWas() throws Exception {
        ByteBuffer chunk = ByteBuffer.wrap(random(300_000, 5)); // larger than one INSTREAM chunk: split
        try (StreamScan scan = clamd.openStream()) {
            scan.send(chunk);
            assertThat(chunk.position()).isZero();
            assertThat(chunk.remaining()).isEqualTo(300_000);
            assertThat(scan.bytesSent()).isEqualTo(300_000);
            assertThat(scan.finish()).isEqualTo(new ScanResult.Clean());
        }
    }

    @Test
    void overTheClientLimitIsTooLargeAndNothingBeyondTheLimitIsSent() throws Exception {
        try (Clamd small = new Clamd(address, ClamdLimits.DEFAULTS.withMaxStreamBytes(MIB))) {
            byte[] piece = random(64 * 1024 + 1, 6);
            try (StreamScan scan = small.openStream()) {
                for (int i = 0; i < 48; i++) {
                    scan.send(ByteBuffer.wrap(piece));
                }
                assertThat(scan.bytesSent()).isEqualTo(MIB);
                assertThat(scan.finish()).isEqualTo(new ScanResult.TooLarge(48L * piece.length));
            }
            // The part within the limit is still judged: a signature there is reported.
            byte[] infectedHead = concat(EICAR, random(3 * MIB, 7));
            assertThat(scan(small, infectedHead, 256 * 1024)).isInstanceOf(ScanResult.Infected.class);
        }
    }

    @Test
    void overClamdsOwnStreamMaxLengthIsTooLarge() throws Exception {
        // The client's limit above clamd's 64M: clamd cuts the stream off and says why; that is TooLarge too.
        try (Clamd big = new Clamd(address, ClamdLimits.DEFAULTS.withMaxStreamBytes(256L * MIB))) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(4 * MIB);
            try (StreamScan scan = big.openStream()) {
                for (int i = 0; i < 20; i++) {
                    scan.send(zeros);
                }
                assertThat(scan.finish()).isEqualTo(new ScanResult.TooLarge(80L * MIB));
                assertThat(scan.bytesSent()).isLessThan(80L * MIB);
            }
        }
    }

    @Test
    void connectionsAreBoundedAndABusyClientSaysSoQuickly() throws Exception {
        ClamdLimits limits = ClamdLimits.DEFAULTS.withMaxConnections(2).withConnectTimeout(Duration.ofMillis(300));
        try (Clamd bounded = new Clamd(address, limits)) {
            StreamScan first = bounded.openStream();
            StreamScan second = bounded.openStream();
            assertThat(bounded.connectionsInUse()).isEqualTo(2);
            long started = System.nanoTime();
            assertThatThrownBy(bounded::openStream).isInstanceOfSatisfying(ClamdException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.BUSY));
            assertThatThrownBy(bounded::ping).isInstanceOfSatisfying(ClamdException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.BUSY));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            first.close();
            first.close(); // idempotent: frees one slot, not two
            try (StreamScan third = bounded.openStream()) {
                third.send(ByteBuffer.wrap(EICAR));
                assertThat(third.finish()).isInstanceOf(ScanResult.Infected.class);
            }
            second.send(ByteBuffer.wrap(MARKER));
            assertThat(second.finish()).isInstanceOf(ScanResult.Infected.class);
            assertThat(bounded.connectionsInUse()).isZero();
        }
    }

    @Test
    void manyConcurrentScansNeverExceedTheBound() throws Exception {
        ClamdLimits limits = ClamdLimits.DEFAULTS.withMaxConnections(3).withConnectTimeout(Duration.ofSeconds(10));
        AtomicInteger maxSeen = new AtomicInteger();
        try (Clamd bounded = new Clamd(address, limits); ExecutorService pool = Executors.newFixedThreadPool(12)) {
            List<Future<ScanResult>> results = new ArrayList<>();
            for (int i = 0; i < 36; i++) {
                byte[] file = i % 2 == 0 ? concat(random(200_000, i), EICAR) : random(200_000, i);
                results.add(pool.submit(() -> {
                    try (StreamScan scan = bounded.openStream()) {
                        maxSeen.accumulateAndGet(bounded.connectionsInUse(), Math::max);
                        for (int off = 0; off < file.length; off += 10_000) {
                            scan.send(ByteBuffer.wrap(file, off, Math.min(10_000, file.length - off)));
                        }
                        return scan.finish();
                    }
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isInstanceOf(i % 2 == 0 ? ScanResult.Infected.class : ScanResult.Clean.class);
            }
        }
        assertThat(maxSeen.get()).isBetween(1, 3);
    }

    @Test
    void reloadDuringEightConcurrentScansFailsNoScan() throws Exception {
        byte[] infected = concat(random(3 * MIB, 8), EICAR);
        byte[] clean = random(3 * MIB, 9);
        AtomicBoolean scanning = new AtomicBoolean(true);
        CountDownLatch allStarted = new CountDownLatch(8);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<List<ScanResult>>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                boolean wantInfected = w % 2 == 0;
                workers.add(pool.submit(() -> {
                    List<ScanResult> seen = new ArrayList<>();
                    allStarted.countDown();
                    do {
                        seen.add(scan(clamd, wantInfected ? infected : clean, 32 * 1024));
                    } while (scanning.get() || seen.size() < 3);
                    return seen;
                }));
            }
            allStarted.await();
            for (int i = 0; i < 4; i++) {
                Thread.sleep(150);
                clamd.reload();
            }
            ClamdDaemon.SHARED.reload(); // the script's reload: fresh copy of the signature files + RELOAD
            Thread.sleep(300);
            scanning.set(false);
            for (int w = 0; w < 8; w++) {
                List<ScanResult> seen = workers.get(w).get();
                ScanResult expected = w % 2 == 0 ? new ScanResult.Infected("Omamori.Test.EICAR-1.UNOFFICIAL") : new ScanResult.Clean();
                assertThat(seen).as("worker %d", w).hasSizeGreaterThanOrEqualTo(3).containsOnly(expected);
            }
        }
        assertThat(clamd.ping()).isEqualTo("PONG");
    }

    @Test
    void anAbortedScanIsClosedAndFreesItsSlot() throws Exception {
        StreamScan scan = clamd.openStream();
        scan.send(ByteBuffer.wrap(random(1000, 10)));
        scan.close();
        assertThatThrownBy(() -> scan.send(ByteBuffer.wrap(EICAR))).isInstanceOfSatisfying(ClamdException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED));
        assertThatThrownBy(scan::finish).isInstanceOfSatisfying(ClamdException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED));
        assertThat(clamd.connectionsInUse()).isZero();
    }
}
