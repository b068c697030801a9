package org.omamori.hyperscan;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class DatabaseTest {

    record Hit(int id, long from, long to) {
    }

    /** Collects matches; allocates, so only for tests. */
    static final class Hits implements MatchListener {
        final List<Hit> hits = new ArrayList<>();

        @Override
        public boolean onMatch(int id, long from, long to) {
            hits.add(new Hit(id, from, to));
            return true;
        }
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(US_ASCII));
    }

    static ByteBuffer directAscii(String s) {
        byte[] b = s.getBytes(US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    static List<Hit> scan(Database db, ByteBuffer data) {
        Hits hits = new Hits();
        try (Scanner scanner = db.scanner()) {
            scanner.scan(data, hits);
        }
        return hits.hits;
    }

    @Test
    void versionComesFromTheNativeLibrary() {
        assertThat(Hyperscan.version()).startsWith("5.4.");
    }

    @Test
    void literalAndRegexMatchesReportIdsAndOffsets() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(7, "evil"), Expression.of(9, "a[0-9]+b")), ScanMode.BLOCK)) {
            assertThat(db.mode()).isEqualTo(ScanMode.BLOCK);
            assertThat(db.expressionCount()).isEqualTo(2);
            assertThat(db.sizeBytes()).isPositive();
            assertThat(db.streamStateBytes()).isZero();
            assertThat(scan(db, ascii("xx evil a123b evil"))).containsExactlyInAnyOrder(
                    new Hit(7, 0, 7), new Hit(9, 0, 13), new Hit(7, 0, 18));
            assertThat(scan(db, directAscii("nothing here"))).isEmpty();
            assertThat(scan(db, directAscii("..evil").asReadOnlyBuffer())).containsExactly(new Hit(7, 0, 6));
            assertThat(scan(db, ascii("..evil").asReadOnlyBuffer())).containsExactly(new Hit(7, 0, 6));
        }
    }

    @Test
    void theDatabaseScansABlockItselfWithABorrowedScratch() throws Exception {
        Database db = Database.compile(List.of(Expression.of(7, "evil")), ScanMode.BLOCK);
        Hits hits = new Hits();
        db.scan(ascii("xx evil"), hits);
        db.scan(directAscii("evil"), hits);
        db.scan(ascii(""), hits);
        assertThat(hits.hits).containsExactly(new Hit(7, 0, 7), new Hit(7, 0, 4));
        db.close();
        assertThatThrownBy(() -> db.scan(ascii("evil"), hits)).isInstanceOf(IllegalStateException.class);
        try (Database stream = Database.compile(List.of(Expression.of(1, "x")), ScanMode.STREAM)) {
            assertThatThrownBy(() -> stream.scan(ascii("x"), hits)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void leftmostStartOfMatchAndByteEscapes() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "\\x00\\xff\\x41", ExpressionFlag.SOM_LEFTMOST)),
                ScanMode.BLOCK)) {
            ByteBuffer data = ByteBuffer.wrap(new byte[] {'z', 'z', 0, (byte) 0xff, 'A', 'z'});
            assertThat(scan(db, data)).containsExactly(new Hit(1, 2, 5));
            assertThat(data.position()).as("the buffer is left as it was").isZero();
        }
    }

    @Test
    void caselessMatchesEitherCase() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "select", ExpressionFlag.CASELESS),
                Expression.of(2, "union")), ScanMode.BLOCK)) {
            assertThat(scan(db, ascii("SeLeCt UNION"))).containsExactly(new Hit(1, 0, 6));
        }
    }

    @Test
    void offsetBoundsLimitWhereAMatchMayEnd() throws Exception {
        Expression early = new Expression(1, "abc", Set.of(), 0, 5);
        Expression late = new Expression(2, "abc", Set.of(), 6, 0);
        try (Database db = Database.compile(List.of(early, late), ScanMode.BLOCK)) {
            assertThat(scan(db, ascii("abc...abc"))).containsExactlyInAnyOrder(new Hit(1, 0, 3), new Hit(2, 0, 9));
            assertThat(scan(db, ascii("..abc"))).containsExactly(new Hit(1, 0, 5));
        }
    }

    @Test
    void compileErrorsNameTheExpression() {
        List<Expression> expressions = List.of(Expression.of(10, "fine"), Expression.of(42, "(unclosed"));
        assertThatThrownBy(() -> Database.compile(expressions, ScanMode.BLOCK))
                .isInstanceOfSatisfying(CompileException.class, e -> {
                    assertThat(e.expressionIndex()).isEqualTo(1);
                    assertThat(e.expressionId()).isEqualTo(42);
                    assertThat(e.reason()).contains("Missing close parenthesis");
                    assertThat(e.getMessage()).contains("#1", "id 42", "(unclosed", "Missing close parenthesis");
                });
    }

    @Test
    void checkExplainsWithoutCompiling() {
        assertThat(Database.check(Expression.of(1, "(a)\\1"), ScanMode.BLOCK)).hasValueSatisfying(
                m -> assertThat(m).isEqualTo("Back-references are unsupported."));
        assertThat(Database.check(Expression.of(1, "a.*b"), ScanMode.STREAM)).isEmpty();
        assertThat(Database.check(new Expression(1, "ab", Set.of(), 0, 10), ScanMode.BLOCK)).isEmpty();
        // PREFILTER is how a back-reference still gets in, to be confirmed by a full regex engine.
        assertThat(Database.check(Expression.of(1, "(a)\\1", ExpressionFlag.PREFILTER), ScanMode.BLOCK)).isEmpty();

        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            Database.check(Expression.of(i, "GET /[a-z]{1,32}\\.php\\?id=" + i, ExpressionFlag.CASELESS), ScanMode.STREAM);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms for 10,000 checks").isLessThan(20_000);
    }

    @Test
    void aThousandExpressionsCompile() throws Exception {
        List<Expression> expressions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expressions.add(i % 2 == 0 ? Expression.of(i, "token" + i + "x") : Expression.of(i, "id=" + i + "[0-9]{2}", ExpressionFlag.CASELESS));
        }
        try (Database db = Database.compile(expressions, ScanMode.STREAM)) {
            assertThat(db.expressionCount()).isEqualTo(1000);
            assertThat(db.streamStateBytes()).isPositive();
            Hits hits = new Hits();
            try (Scanner scanner = db.scanner(); Stream stream = scanner.openStream()) {
                stream.scan(ascii("..token998x..ID=99"), hits);
                stream.scan(ascii("912.."), hits);
                stream.end(hits);
            }
            // "ID=99912" also satisfies id=9[0-9]{2} and id=99[0-9]{2}, across the chunk boundary
            assertThat(hits.hits).containsExactlyInAnyOrder(new Hit(998, 0, 11), new Hit(9, 0, 19), new Hit(99, 0, 20),
                    new Hit(999, 0, 21));
        }
    }

    @Test
    void aListenerReturningFalseStopsTheScan() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "x")), ScanMode.BLOCK); Scanner scanner = db.scanner()) {
            int[] seen = new int[1];
            scanner.scan(ascii("xxxxxxxx"), (id, from, to) -> ++seen[0] < 3);
            assertThat(seen[0]).isEqualTo(3);
            // and the scanner is fine afterwards
            seen[0] = 0;
            scanner.scan(ascii("xx"), (id, from, to) -> ++seen[0] > 0);
            assertThat(seen[0]).isEqualTo(2);
        }
    }

    @Test
    void aListenerExceptionSurfacesFromScan() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "x")), ScanMode.BLOCK); Scanner scanner = db.scanner()) {
            assertThatThrownBy(() -> scanner.scan(ascii("axb"), (id, from, to) -> {
                throw new IllegalArgumentException("listener bug");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("listener bug");
            assertThat(scan(db, ascii("x"))).hasSize(1);
        }
    }

    @Test
    void aListenerMayScanAnotherDatabase() throws Exception {
        try (Database outer = Database.compile(List.of(Expression.of(1, "outer")), ScanMode.BLOCK);
                Database inner = Database.compile(List.of(Expression.of(2, "in")), ScanMode.BLOCK);
                Scanner outerScanner = outer.scanner(); Scanner innerScanner = inner.scanner()) {
            Hits hits = new Hits();
            outerScanner.scan(ascii("outer outer"), (id, from, to) -> {
                innerScanner.scan(ascii("in"), hits);
                return hits.onMatch(id, from, to);
            });
            assertThat(hits.hits).containsExactly(new Hit(2, 0, 2), new Hit(1, 0, 5), new Hit(2, 0, 2), new Hit(1, 0, 11));
        }
    }

    @Test
    void emptyAndHugeBlocks() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "needle"), Expression.of(2, "^$", ExpressionFlag.ALLOWEMPTY)),
                ScanMode.BLOCK)) {
            assertThat(scan(db, ByteBuffer.allocate(0))).containsExactly(new Hit(2, 0, 0));
            assertThat(scan(db, ByteBuffer.allocateDirect(0))).containsExactly(new Hit(2, 0, 0));

            int size = 64 << 20;
            byte[] tail = "needle".getBytes(US_ASCII);
            ByteBuffer heap = ByteBuffer.allocate(size);
            heap.put(size - tail.length, tail);
            assertThat(scan(db, heap)).containsExactly(new Hit(1, 0, size));

            ByteBuffer direct = ByteBuffer.allocateDirect(size);
            direct.put(size / 2, tail);
            assertThat(scan(db, direct)).containsExactly(new Hit(1, 0, size / 2 + tail.length));
            // position..limit only, offsets relative to the position
            assertThat(scan(db, direct.position(size / 2 - 10).limit(size / 2 + 10))).containsExactly(new Hit(1, 0, 16));
            assertThat(scan(db, direct.clear().limit(size / 2 + 3))).isEmpty();
        }
    }

    @Test
    void blockScansDoNotAllocate() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Database db = Database.compile(List.of(Expression.of(1, "ab"), Expression.of(2, "c[0-9]")), ScanMode.BLOCK);
                Scanner scanner = db.scanner()) {
            ByteBuffer direct = directAscii("ab c1 ab c2 ".repeat(100));
            ByteBuffer heap = ascii("ab c1 ab c2 ".repeat(100));
            long[] count = new long[1];
            MatchListener counter = (id, from, to) -> ++count[0] > 0;
            for (int i = 0; i < 20_000; i++) { // warm up, so the JIT has removed what it can
                scanner.scan(direct, counter);
                scanner.scan(heap, counter);
            }
            count[0] = 0;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                scanner.scan(direct, counter);
                scanner.scan(heap, counter);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(count[0]).isEqualTo(20_000L * 400);
            assertThat(allocated).as("bytes allocated by 20,000 scans with 8,000,000 matches").isLessThan(64 * 1024);
        }
    }

    @Test
    void manyThreadsShareOneDatabase() throws Exception {
        List<Expression> expressions = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expressions.add(Expression.of(i, "sig" + i + ";"));
        }
        try (Database db = Database.compile(expressions, ScanMode.BLOCK)) {
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Callable<Boolean>> tasks = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int me = t;
                    tasks.add(() -> {
                        ByteBuffer data = ascii("..sig" + me + ";..sig" + (me + 20) + ";..");
                        try (Scanner scanner = db.scanner()) {
                            for (int i = 0; i < 2000; i++) {
                                Hits hits = new Hits();
                                scanner.scan(data, hits);
                                if (hits.hits.size() != 2 || hits.hits.get(0).id() != me || hits.hits.get(1).id() != me + 20) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    });
                }
                for (Future<Boolean> f : pool.invokeAll(tasks)) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closingTheDatabaseWaitsForOpenScanners() throws Exception {
        Database db = Database.compile(List.of(Expression.of(1, "abc")), ScanMode.BLOCK);
        Scanner scanner = db.scanner();
        db.close();
        db.close(); // idempotent
        assertThat(db.isClosed()).isTrue();
        assertThatThrownBy(db::scanner).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        Hits hits = new Hits();
        scanner.scan(ascii("abc"), hits); // the native database still lives for this scanner
        assertThat(hits.hits).containsExactly(new Hit(1, 0, 3));
        scanner.close();
        scanner.close();
        assertThatThrownBy(() -> scanner.scan(ascii("abc"), hits)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scanner is closed");
    }

    @Test
    void misuseIsAnIllegalStateNotACrash() throws Exception {
        try (Database stream = Database.compile(List.of(Expression.of(1, "abc")), ScanMode.STREAM);
                Database block = Database.compile(List.of(Expression.of(1, "abc")), ScanMode.BLOCK);
                Scanner streamScanner = stream.scanner(); Scanner blockScanner = block.scanner()) {
            assertThatThrownBy(() -> streamScanner.scan(ascii("abc"), new Hits())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("STREAM");
            assertThatThrownBy(blockScanner::openStream).isInstanceOf(IllegalStateException.class).hasMessageContaining("BLOCK");
        }
        assertThatThrownBy(() -> Database.compile(List.of(), ScanMode.BLOCK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Expression.of(1, "a\0b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\\x00");
        assertThatThrownBy(() -> new Expression(1, "a", Set.of(), 10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
