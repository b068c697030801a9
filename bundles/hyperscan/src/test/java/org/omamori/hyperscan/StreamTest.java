package org.omamori.hyperscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.hyperscan.DatabaseTest.ascii;
import static org.omamori.hyperscan.DatabaseTest.directAscii;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.hyperscan.DatabaseTest.Hit;
import org.omamori.hyperscan.DatabaseTest.Hits;

class StreamTest {

    @Test
    void aPatternSplitAcrossChunksMatches() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "attack"), Expression.of(2, "cmd\\.exe", ExpressionFlag.CASELESS)),
                ScanMode.STREAM); Scanner scanner = db.scanner()) {
            Hits hits = new Hits();
            try (Stream stream = scanner.openStream()) {
                stream.scan(ascii("...att"), hits);
                stream.scan(directAscii("ack..."), hits);
                assertThat(stream.bytesScanned()).isEqualTo(12);
            }
            assertThat(hits.hits).containsExactly(new Hit(1, 0, 9));

            hits.hits.clear();
            try (Stream stream = scanner.openStream()) {
                for (String chunk : new String[] {"xx C", "M", "d", ".", "Ex", "e yy"}) {
                    stream.scan(ascii(chunk), hits);
                }
                stream.end(hits);
            }
            assertThat(hits.hits).containsExactly(new Hit(2, 0, 10)); // "xx CMd.Exe"
        }
    }

    @Test
    void leftmostStartOfMatchAcrossChunks() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(3, "GET /[a-z]+\\.php", ExpressionFlag.SOM_LEFTMOST)),
                ScanMode.STREAM); Scanner scanner = db.scanner(); Stream stream = scanner.openStream()) {
            Hits hits = new Hits();
            stream.scan(ascii("xxGET /ad"), hits);
            stream.scan(ascii("min.php"), hits);
            assertThat(hits.hits).containsExactly(new Hit(3, 2, 16));
        }
    }

    @Test
    void endReportsMatchesOnlyTheEndOfDataDecides() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(5, "done$"), Expression.of(6, "abc")), ScanMode.STREAM);
                Scanner scanner = db.scanner()) {
            Hits hits = new Hits();
            Stream stream = scanner.openStream();
            stream.scan(ascii("abc...do"), hits);
            stream.scan(ascii("ne"), hits);
            assertThat(hits.hits).containsExactly(new Hit(6, 0, 3));
            stream.end(hits);
            assertThat(hits.hits).containsExactly(new Hit(6, 0, 3), new Hit(5, 0, 10));
            stream.close(); // idempotent after end
            assertThat(stream.isClosed()).isTrue();
            assertThatThrownBy(() -> stream.scan(ascii("x"), hits)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> stream.end(hits)).isInstanceOf(IllegalStateException.class);

            Stream dropped = scanner.openStream();
            dropped.scan(ascii("done"), hits);
            dropped.close(); // no end-of-data matches
            assertThat(hits.hits).hasSize(2);
        }
    }

    @Test
    void resetEndsTheDataAndStartsOverOnTheSameStream() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(5, "done$"), Expression.of(6, "abc")), ScanMode.STREAM);
                Scanner scanner = db.scanner(); Stream stream = scanner.openStream()) {
            Hits hits = new Hits();
            stream.scan(ascii("ab"), hits);
            stream.reset(); // nothing reported; "ab" is forgotten
            stream.scan(ascii("c..do"), hits);
            stream.scan(ascii("ne"), hits);
            assertThat(hits.hits).isEmpty();
            stream.reset(hits); // reports what the end of data decides, like end()
            assertThat(hits.hits).containsExactly(new Hit(5, 0, 7));
            assertThat(stream.bytesScanned()).isZero();
            assertThat(stream.isClosed()).isFalse();

            stream.scan(ascii("xabc"), hits); // offsets from 0 again
            stream.end(hits);
            assertThat(hits.hits).containsExactly(new Hit(5, 0, 7), new Hit(6, 0, 4));
            assertThatThrownBy(() -> stream.reset(hits)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(stream::reset).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aResetStreamScansAgainAfterItsListenerStoppedIt() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "x")), ScanMode.STREAM); Scanner scanner = db.scanner();
                Stream stream = scanner.openStream()) {
            int[] seen = new int[1];
            stream.scan(ascii("xx"), (id, from, to) -> ++seen[0] < 1);
            assertThat(stream.isStopped()).isTrue();
            stream.reset();
            assertThat(stream.isStopped()).isFalse();
            stream.scan(ascii("x"), (id, from, to) -> ++seen[0] > 0);
            assertThat(seen[0]).isEqualTo(2);
        }
    }

    @Test
    void aStoppedStreamStaysStopped() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "x")), ScanMode.STREAM); Scanner scanner = db.scanner();
                Stream stream = scanner.openStream()) {
            int[] seen = new int[1];
            MatchListener firstOnly = (id, from, to) -> ++seen[0] < 1;
            stream.scan(ascii("xxx"), firstOnly);
            assertThat(stream.isStopped()).isTrue();
            stream.scan(ascii("xxx"), firstOnly);
            assertThat(seen[0]).isEqualTo(1);
            assertThat(stream.bytesScanned()).isEqualTo(6);
        }
    }

    @Test
    void streamsOutliveTheirDatabaseHandleAndScanner() throws Exception {
        Database db = Database.compile(List.of(Expression.of(1, "tail")), ScanMode.STREAM);
        Scanner scanner = db.scanner();
        Stream stream = scanner.openStream();
        scanner.close();
        db.close();
        Hits hits = new Hits();
        stream.scan(ascii("ta"), hits);
        stream.scan(ascii("il"), hits);
        stream.end(hits);
        assertThat(hits.hits).containsExactly(new Hit(1, 0, 4));
        assertThatThrownBy(db::scanner).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void forgottenScannersAndStreamsAreFreedOnceGarbage() throws Exception {
        Database db = Database.compile(List.of(Expression.of(1, "abc")), ScanMode.STREAM);
        NativeDatabase resources = db.resources;
        for (int i = 0; i < 100; i++) {
            db.scanner().openStream().scan(ascii("ab"), new Hits()); // neither closed
        }
        db.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!resources.handle.isNull() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(resources.handle.isNull()).as("native database freed after its leaked users became garbage").isTrue();
    }

    @Test
    void aStreamMovesBetweenThreadsAndUsesPooledScratch() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "abcdef")), ScanMode.STREAM); Scanner scanner = db.scanner();
                Stream stream = scanner.openStream()) {
            Hits hits = new Hits();
            Thread t = Thread.ofPlatform().start(() -> stream.scan(ascii("abc"), hits));
            t.join();
            stream.scan(ascii("def"), hits);
            assertThat(hits.hits).containsExactly(new Hit(1, 0, 6));
        }
    }

    @Test
    void moreThanTwoGibibytesThroughOneStream() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "needle")), ScanMode.STREAM); Scanner scanner = db.scanner();
                Stream stream = scanner.openStream()) {
            int chunk = 64 << 20;
            ByteBuffer zeros = ByteBuffer.allocateDirect(chunk);
            int chunks = 40; // 2.5 GiB
            Hits hits = new Hits();
            for (int i = 0; i < chunks; i++) {
                if (i == chunks - 1) {
                    zeros.put(chunk - 3, "nee".getBytes());
                }
                stream.scan(zeros, hits);
            }
            stream.scan(ascii("dle"), hits);
            long total = (long) chunk * chunks + 3;
            assertThat(stream.bytesScanned()).isEqualTo(total);
            assertThat(hits.hits).containsExactly(new Hit(1, 0, total));
        }
    }

    @Test
    void heapChunksLargerThanTheStagingBufferAreScannedInPieces() throws Exception {
        try (Database db = Database.compile(List.of(Expression.of(1, "across"), Expression.of(2, "end$")), ScanMode.STREAM);
                Scanner scanner = db.scanner(); Stream stream = scanner.openStream()) {
            int size = 3 * Scratch.MAX_STAGING + 17;
            ByteBuffer heap = ByteBuffer.allocate(size);
            heap.put(Scratch.MAX_STAGING - 3, "across".getBytes());
            heap.put(size - 3, "end".getBytes());
            Hits hits = new Hits();
            stream.scan(heap, hits);
            stream.end(hits);
            assertThat(hits.hits).containsExactly(new Hit(1, 0, Scratch.MAX_STAGING + 3), new Hit(2, 0, size));
        }
    }

    @Test
    void streamScansDoNotAllocate() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Database db = Database.compile(List.of(Expression.of(1, "ab"), Expression.of(2, "c[0-9]")), ScanMode.STREAM);
                Scanner scanner = db.scanner(); Stream stream = scanner.openStream()) {
            ByteBuffer direct = directAscii("ab c1 ab c2 ".repeat(10));
            ByteBuffer heap = ascii("ab c1 ab c2 ".repeat(10));
            long[] count = new long[1];
            MatchListener counter = (id, from, to) -> ++count[0] > 0;
            for (int i = 0; i < 20_000; i++) {
                stream.scan(direct, counter);
                stream.scan(heap, counter);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                stream.scan(direct, counter);
                stream.scan(heap, counter);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated by 20,000 stream scans").isLessThan(64 * 1024);
        }
    }
}
