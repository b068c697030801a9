package org.omamori.engine.ips;

import java.nio.ByteBuffer;

import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.MatchListener;

/**
 * How the triggers of one header buffer are found: a Hyperscan block database, or, for a buffer
 * that holds a few contents only ({@link FewLiterals}), a search in Java. Either reports each
 * trigger found once, with its rule's index as the id; the candidates are confirmed the same way.
 */
interface HeaderScan extends AutoCloseable {

    /** Reports the triggers in {@code data}, from its position to its limit (which stay). */
    void scan(ByteBuffer data, MatchListener listener);

    /** The triggers in {@code data}'s bytes {@code [from, to)} (absolute indexes), with match offsets from {@code from}. */
    default void scan(ByteBuffer data, int from, int to, MatchListener listener) {
        scan(data.slice(from, to - from), listener);
    }

    /** Bytes it holds, for the rule set's report. */
    long sizeBytes();

    @Override
    void close();

    /** The block database behind it, for a caller that keeps its own scanner; null when searched in Java. */
    default Database database() {
        return null;
    }

    /** A block-mode database. */
    static HeaderScan of(Database db) {
        return new HeaderScan() {
            @Override
            public void scan(ByteBuffer data, MatchListener listener) {
                db.scan(data, listener);
            }

            @Override
            public long sizeBytes() {
                return db.sizeBytes();
            }

            @Override
            public void close() {
                db.close();
            }

            @Override
            public Database database() {
                return db;
            }
        };
    }
}
