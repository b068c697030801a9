package org.omamori.hyperscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.hyperscan.DatabaseTest.Hit;

/**
 * The two ways of making the scan calls ({@link ScanCalls}): the foreign-function one is in use on
 * Java 22+ unless switched off, and it reports exactly what the JavaCPP one does (ids, offsets,
 * order, stopping, a listener's exception), for block and stream scans.
 */
class ScanCallsTest {

    private static final boolean SWITCHED_OFF = "false".equals(System.getProperty(ScanCalls.SWITCH));
    private static final List<Expression> RULES = List.of(Expression.of(1, "evil"), Expression.of(2, "a[0-9]+b"),
            Expression.of(3, "GET /[a-z]+\\.php", ExpressionFlag.SOM_LEFTMOST), Expression.of(4, "e"),
            Expression.of(5, "done$"));
    private static final byte[] PAYLOAD = ("xx evil a123b GET /admin.php e e evil a9b " + "eve ".repeat(40) + " done")
            .getBytes(StandardCharsets.ISO_8859_1);

    private static Database block;
    private static Database streaming;

    @BeforeAll
    static void compile() throws Exception {
        block = Database.compile(RULES, ScanMode.BLOCK);
        streaming = Database.compile(RULES, ScanMode.STREAM);
    }

    @AfterAll
    static void close() {
        block.close();
        streaming.close();
    }

    static ScanCalls ffm() throws ReflectiveOperationException {
        assumeThat(Runtime.version().feature()).as("the foreign-function calls need Java 22").isGreaterThanOrEqualTo(22);
        ScanCalls calls = (ScanCalls) Class.forName("org.omamori.hyperscan.FfmScanCalls").getDeclaredConstructor().newInstance();
        assertThat(calls.unavailable()).isNull();
        return calls;
    }

    @Test
    void theForeignFunctionCallsAreInUseOnJava22UnlessSwitchedOff() {
        if (SWITCHED_OFF) {
            assertThat(MatchDispatch.CALLS).isSameAs(ScanCalls.JavaCpp.INSTANCE);
            assertThat(Hyperscan.matchCallback()).startsWith("JavaCPP callback").contains("switched off");
        } else if (Runtime.version().feature() >= 22) {
            assertThat(MatchDispatch.CALLS.getClass().getSimpleName()).isEqualTo("FfmScanCalls");
            assertThat(Hyperscan.matchCallback()).isEqualTo("foreign-function upcall");
        } else {
            assertThat(MatchDispatch.CALLS).isSameAs(ScanCalls.JavaCpp.INSTANCE);
        }
    }

    /** What one listener saw, and what the scan threw. */
    record Seen(List<Hit> hits, Throwable thrown, boolean stopped) {
    }

    /** Records hits; stops (returns false) at hit number {@code stopAt}, or throws {@code failure} there. */
    static final class Listener implements MatchListener {
        final List<Hit> hits = new ArrayList<>();
        final int stopAt;
        final RuntimeException failure;

        Listener(int stopAt, RuntimeException failure) {
            this.stopAt = stopAt;
            this.failure = failure;
        }

        @Override
        public boolean onMatch(int id, long from, long to) {
            hits.add(new Hit(id, from, to));
            if (hits.size() == stopAt) {
                if (failure != null) {
                    throw failure;
                }
                return false;
            }
            return true;
        }
    }

    static Seen blockScan(ScanCalls calls, ByteBuffer data, Listener listener) {
        Scratch s = block.resources.scratches.take();
        Throwable thrown = null;
        try {
            Scanner.scanBlock(calls, block.resources, s, new DirectAddress(), data, listener);
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            block.resources.scratches.give(s);
        }
        return new Seen(listener.hits, thrown, false);
    }

    /** The payload in 7-byte chunks (matches across chunks), then reset(listener) and again, then end. */
    static Seen streamScan(ScanCalls calls, boolean direct, Listener listener) {
        Throwable thrown = null;
        Stream stream = streaming.openStream(calls);
        try {
            for (int round = 0; round < 2; round++) {
                for (int at = 0; at < PAYLOAD.length; at += 7) {
                    ByteBuffer chunk = ByteBuffer.wrap(PAYLOAD, at, Math.min(7, PAYLOAD.length - at));
                    stream.scan(direct ? ByteBuffer.allocateDirect(chunk.remaining()).put(chunk).flip() : chunk, listener);
                }
                if (round == 0) {
                    stream.reset(listener);
                }
            }
            stream.end(listener);
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            stream.close();
        }
        return new Seen(listener.hits, thrown, stream.isStopped());
    }

    @Test
    void bothWaysReportTheSameMatchesInTheSameOrder() throws Exception {
        ScanCalls ffm = ffm();
        ScanCalls javacpp = ScanCalls.JavaCpp.INSTANCE;
        ByteBuffer direct = ByteBuffer.allocateDirect(PAYLOAD.length).put(PAYLOAD).flip();
        for (int stopAt : new int[] {Integer.MAX_VALUE, 1, 5, 30}) {
            Seen heap = blockScan(ffm, ByteBuffer.wrap(PAYLOAD), new Listener(stopAt, null));
            assertThat(heap).isEqualTo(blockScan(javacpp, ByteBuffer.wrap(PAYLOAD), new Listener(stopAt, null)));
            assertThat(blockScan(ffm, direct, new Listener(stopAt, null))).isEqualTo(heap);
            assertThat(heap.hits()).hasSize(stopAt == Integer.MAX_VALUE ? heap.hits().size() : stopAt);
            for (boolean inPlace : new boolean[] {false, true}) {
                Seen f = streamScan(ffm, inPlace, new Listener(stopAt, null));
                assertThat(f).isEqualTo(streamScan(javacpp, inPlace, new Listener(stopAt, null)));
            }
        }
        Seen all = streamScan(ffm, false, new Listener(Integer.MAX_VALUE, null));
        assertThat(all.hits()).hasSizeGreaterThan(90).contains(new Hit(3, 14, 28), new Hit(5, 0, PAYLOAD.length));
        assertThat(all.stopped()).isFalse();
        assertThat(streamScan(ffm, false, new Listener(3, null)).stopped()).isFalse(); // reset() starts over
        try (Stream stream = streaming.openStream(ffm)) { // without a reset a stopped stream stays stopped
            Listener three = new Listener(3, null);
            stream.scan(ByteBuffer.wrap(PAYLOAD), three);
            stream.scan(ByteBuffer.wrap(PAYLOAD), three);
            assertThat(stream.isStopped()).isTrue();
            assertThat(three.hits).hasSize(3);
        }
    }

    @Test
    void aListenersExceptionStopsTheScanAndIsRethrownAfterIt() throws Exception {
        ScanCalls ffm = ffm();
        for (ScanCalls calls : List.of(ffm, ScanCalls.JavaCpp.INSTANCE)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            Seen b = blockScan(calls, ByteBuffer.wrap(PAYLOAD), new Listener(4, boom));
            assertThat(b.thrown()).isSameAs(boom);
            assertThat(b.hits()).hasSize(4);
            Seen s = streamScan(calls, true, new Listener(6, boom));
            assertThat(s.thrown()).isSameAs(boom);
            assertThat(s.hits()).hasSize(6);
            StackOverflowError error = new StackOverflowError("deep");
            List<Hit> before = new ArrayList<>();
            Scratch scratch = block.resources.scratches.take();
            try {
                assertThatThrownBy(() -> Scanner.scanBlock(calls, block.resources, scratch, new DirectAddress(),
                        ByteBuffer.wrap(PAYLOAD), (id, from, to) -> {
                            before.add(new Hit(id, from, to));
                            throw error;
                        })).isSameAs(error);
            } finally {
                block.resources.scratches.give(scratch);
            }
            assertThat(before).hasSize(1);
            // The frame is clean afterwards: the next scan on this thread runs normally.
            assertThat(blockScan(calls, ByteBuffer.wrap(PAYLOAD), new Listener(Integer.MAX_VALUE, null)).thrown()).isNull();
        }
    }

    @Test
    void aListenerMayScanAnotherDatabaseInsideItsCallback() throws Exception {
        try (Database inner = Database.compile(List.of(Expression.of(9, "[0-9]")), ScanMode.BLOCK);
                Scanner outer = block.scanner(); Scanner nested = inner.scanner()) {
            List<String> seen = new ArrayList<>();
            outer.scan(ByteBuffer.wrap(PAYLOAD), (id, from, to) -> {
                if (id == 2) {
                    nested.scan(ByteBuffer.wrap(PAYLOAD, (int) from, (int) (to - from)).slice(), (i, f, t) -> seen.add(id + ">" + i + "@" + t));
                }
                seen.add(id + "@" + to);
                return true;
            });
            // "a[0-9]+b" reports from 0 (no SOM flag): the nested scan sees the digits from the start each time
            assertThat(seen).containsSubsequence("2>9@10", "2>9@11", "2>9@12", "2@13", "2>9@10", "2>9@11", "2>9@12",
                    "2>9@40", "2@41");
        }
    }

    @Test
    void virtualThreadsScanConcurrently() throws Exception {
        List<Hit> expected = blockScan(MatchDispatch.CALLS, ByteBuffer.wrap(PAYLOAD), new Listener(Integer.MAX_VALUE, null)).hits();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                results.add(executor.submit(() -> {
                    try (Scanner scanner = block.scanner()) {
                        for (int i = 0; i < 200; i++) {
                            List<Hit> hits = new ArrayList<>();
                            scanner.scan(ByteBuffer.wrap(PAYLOAD), (id, from, to) -> {
                                hits.add(new Hit(id, from, to));
                                if (hits.size() % 16 == 0) {
                                    Thread.yield(); // pinned inside the native call: must come back to the same frame
                                }
                                return true;
                            });
                            if (!hits.equals(expected)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        }
    }
}
