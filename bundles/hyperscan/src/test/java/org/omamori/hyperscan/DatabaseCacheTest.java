package org.omamori.hyperscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.hyperscan.DatabaseTest.ascii;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.hyperscan.DatabaseTest.Hit;
import org.omamori.hyperscan.DatabaseTest.Hits;

/** The compiled databases kept across restarts: used when they fit, compiled again whenever anything is off. */
class DatabaseCacheTest {

    @TempDir
    Path state;

    static final List<Expression> RULES = List.of(
            Expression.of(1, "evil"),
            Expression.of(2, "a[0-9]+b", ExpressionFlag.CASELESS),
            new Expression(3, "^GET /x", java.util.Set.of(ExpressionFlag.MULTILINE), 0, 0));

    static List<Hit> block(Database db, String text) {
        Hits hits = new Hits();
        db.scan(ascii(text), hits);
        return hits.hits;
    }

    static List<Hit> streamed(Database db, String... chunks) {
        Hits hits = new Hits();
        try (Scanner s = db.scanner(); Stream st = s.openStream()) {
            for (String c : chunks) {
                st.scan(ascii(c), hits);
            }
            st.end(hits);
        }
        return hits.hits;
    }

    Path folder() {
        return state.resolve("hyperscan");
    }

    Path onlyFile() throws IOException {
        try (var files = Files.list(folder())) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    @Test
    void aRestartLoadsWhatTheFirstStartCompiled() throws Exception {
        DatabaseCache first = new DatabaseCache(folder());
        List<Hit> expected;
        try (Database db = first.compile(RULES, ScanMode.BLOCK)) {
            expected = block(db, "xx evil A12B\nGET /x");
        }
        assertThat(first.compiled()).isEqualTo(1);
        assertThat(first.loaded()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(onlyFile()))).isEqualTo("rw-------");

        DatabaseCache restart = new DatabaseCache(folder());
        try (Database db = restart.compile(RULES, ScanMode.BLOCK)) {
            assertThat(block(db, "xx evil A12B\nGET /x")).isEqualTo(expected).hasSize(3);
            assertThat(db.expressionCount()).isEqualTo(3);
        }
        assertThat(restart.loaded()).isEqualTo(1);
        assertThat(restart.compiled()).isZero();
    }

    @Test
    void streamDatabasesWithStartOfMatchComeBackToo() throws Exception {
        List<Expression> som = List.of(new Expression(5, "ev[i]l", java.util.Set.of(ExpressionFlag.SOM_LEFTMOST), 0, 0),
                Expression.of(6, "needle"));
        List<Hit> expected;
        try (Database db = new DatabaseCache(folder()).compile(som, ScanMode.STREAM)) {
            expected = streamed(db, "..ev", "il..nee", "dle");
        }
        DatabaseCache restart = new DatabaseCache(folder());
        try (Database db = restart.compile(som, ScanMode.STREAM)) {
            assertThat(db.streamStateBytes()).isPositive();
            assertThat(streamed(db, "..ev", "il..nee", "dle")).isEqualTo(expected).contains(new Hit(5, 2, 6));
        }
        assertThat(restart.loaded()).isEqualTo(1);
    }

    @Test
    void otherExpressionsOrAnotherModeAreCompiledNotLoaded() throws Exception {
        new DatabaseCache(folder()).compile(RULES, ScanMode.BLOCK).close();
        List<Expression> changed = new ArrayList<>(RULES);
        changed.set(0, Expression.of(1, "evil!"));
        DatabaseCache restart = new DatabaseCache(folder());
        try (Database db = restart.compile(changed, ScanMode.BLOCK)) {
            assertThat(block(db, "evil evil!")).containsExactly(new Hit(1, 0, 10));
        }
        try (Database db = restart.compile(RULES, ScanMode.STREAM)) {
            assertThat(db.mode()).isEqualTo(ScanMode.STREAM);
        }
        assertThat(restart.loaded()).isZero();
        assertThat(restart.compiled()).isEqualTo(2);
    }

    @Test
    void aDamagedFileIsCompiledAgainAndWrittenOver() throws Exception {
        new DatabaseCache(folder()).compile(RULES, ScanMode.BLOCK).close();
        Path file = onlyFile();
        byte[] good = Files.readAllBytes(file);

        for (byte[] damaged : List.of(
                flip(good, good.length - 40),                 // the payload: its digest differs
                Arrays.copyOf(good, good.length - 1),         // truncated
                Arrays.copyOf(good, 50),                      // truncated inside the header
                flip(good, 2),                                // the magic
                new byte[0])) {
            Files.write(file, damaged);
            DatabaseCache restart = new DatabaseCache(folder());
            try (Database db = restart.compile(RULES, ScanMode.BLOCK)) {
                assertThat(block(db, "evil")).containsExactly(new Hit(1, 0, 4));
            }
            assertThat(restart.loaded()).isZero();
            assertThat(restart.compiled()).isEqualTo(1);
            assertThat(Files.readAllBytes(file)).isEqualTo(good); // written again, whole
        }
    }

    /**
     * A file whose header and digest are right but whose bytes Hyperscan must not load: garbage,
     * a database of another mode, a size Hyperscan would be asked to allocate beyond the bound.
     */
    @Test
    void forgedBytesBehindAValidHeaderAreRefusedBeforeHyperscanUsesThem() throws Exception {
        new DatabaseCache(folder()).compile(RULES, ScanMode.STREAM).close();
        Path file = onlyFile();
        byte[] header = Arrays.copyOf(Files.readAllBytes(file), 84);
        byte[] blockPayload;
        try (Database block = Database.compile(RULES, ScanMode.BLOCK)) {
            blockPayload = block.serialize();
        }
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        byte[] headerOfBlock = blockPayload.clone();
        Arrays.fill(headerOfBlock, 64, headerOfBlock.length, (byte) 0x5a); // Hyperscan's header kept, bytecode forged

        for (byte[] payload : List.of(garbage, blockPayload, headerOfBlock)) {
            Files.write(file, withHeader(header, payload));
            DatabaseCache restart = new DatabaseCache(folder());
            try (Database db = restart.compile(RULES, ScanMode.STREAM)) {
                assertThat(streamed(db, "ev", "il")).containsExactly(new Hit(1, 0, 4));
            }
            assertThat(restart.loaded()).as("payload of %d bytes", payload.length).isZero();
        }
        // Hyperscan's own checks alone, without the cache's: the same refusals
        assertThatThrownBy(() -> Database.deserialize(blockPayload, ScanMode.STREAM, 3, 1 << 20))
                .isInstanceOf(HyperscanException.class).hasMessageContaining("not Hyperscan");
        assertThatThrownBy(() -> Database.deserialize(garbage, ScanMode.STREAM, 3, 1 << 20))
                .isInstanceOf(HyperscanException.class).hasMessageContaining("hs_serialized_database_info");
        assertThatThrownBy(() -> Database.deserialize(blockPayload, ScanMode.BLOCK, 3, 16))
                .isInstanceOf(HyperscanException.class).hasMessageContaining("hs_serialized_database_size");
        assertThatThrownBy(() -> Database.deserialize(headerOfBlock, ScanMode.BLOCK, 3, 1 << 20))
                .isInstanceOf(HyperscanException.class).hasMessageContaining("hs_deserialize_database");
    }

    @Test
    void aFileOthersMayWriteOrAFolderOthersMayWriteIsNotUsed() throws Exception {
        new DatabaseCache(folder()).compile(RULES, ScanMode.BLOCK).close();
        Path file = onlyFile();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        DatabaseCache restart = new DatabaseCache(folder());
        restart.compile(RULES, ScanMode.BLOCK).close();
        assertThat(restart.loaded()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(onlyFile()))).isEqualTo("rw-------");

        Files.setPosixFilePermissions(folder(), PosixFilePermissions.fromString("rwxrwxrwx"));
        long written = Files.getLastModifiedTime(file).toMillis();
        DatabaseCache shared = new DatabaseCache(folder());
        shared.compile(RULES, ScanMode.BLOCK).close();
        assertThat(shared.loaded()).isZero();
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(written); // neither read nor written

        Files.delete(file);
        Files.createSymbolicLink(file, state.resolve("elsewhere"));
        Files.setPosixFilePermissions(folder(), PosixFilePermissions.fromString("rwx------"));
        DatabaseCache linked = new DatabaseCache(folder());
        linked.compile(RULES, ScanMode.BLOCK).close();
        assertThat(linked.loaded()).isZero();
        assertThat(Files.isSymbolicLink(file)).isFalse();
    }

    @Test
    void aSetThatDoesNotCompileFailsAsBeforeAndLeavesNothing() throws Exception {
        DatabaseCache cache = new DatabaseCache(folder());
        assertThatThrownBy(() -> cache.compile(List.of(Expression.of(1, "ok"), Expression.of(9, "(unclosed")), ScanMode.BLOCK))
                .isInstanceOf(CompileException.class).hasMessageContaining("id 9");
        try (java.util.stream.Stream<Path> files = Files.list(folder())) {
            assertThat(files.filter(p -> p.toString().endsWith(DatabaseCache.SUFFIX))).isEmpty();
        }
    }

    @Test
    void onlyTheMostRecentlyUsedFilesStay() throws Exception {
        DatabaseCache cache = new DatabaseCache(folder());
        for (int i = 0; i < DatabaseCache.KEEP + 5; i++) {
            cache.compile(List.of(Expression.of(1, "literal" + i)), ScanMode.BLOCK).close();
        }
        try (java.util.stream.Stream<Path> files = Files.list(folder())) {
            assertThat(files.filter(p -> p.toString().endsWith(DatabaseCache.SUFFIX))).hasSize(DatabaseCache.KEEP);
        }
    }

    static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x40;
        return c;
    }

    /** The cache's header (magic, key, count) with the payload's length and digest set right. */
    static byte[] withHeader(byte[] header, byte[] payload) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(header.length + payload.length);
        b.put(header, 0, 44).putLong(payload.length).put(MessageDigest.getInstance("SHA-256").digest(payload)).put(payload);
        return b.array();
    }
}
