package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.hyperscan.Database;

import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_scratch_t;
import com.gliwka.hyperscan.jni.hyperscan;

/**
 * The request half of the exchange baseline ({@link IpsThroughputBenchmark#rawExchange}): raw Hyperscan doing
 * the native scans the engine does for a request's head, on the same databases, with nothing of the engine in
 * between. Per op: one {@code hs_scan} (block mode, one pre-allocated scratch, the counting callback of
 * {@link RawHyperscan}) of every request head buffer the engine scans with a Hyperscan database, with that
 * buffer's exact bytes, every time (the engine hands over the matches of a repeated method or host without a
 * scan; the baseline does not); then the raw request head through the request-stream database (open, scan,
 * close), as {@link RawHyperscan} streams a body.
 *
 * <p>What to scan is taken from the engine itself, so it cannot drift: the buffers are the engine's own list for
 * the request's protocol ({@link CompiledRules#requestHeadBuffers}), those with a block database
 * ({@link HeaderScan#database()}; a buffer of a few contents, {@link FewLiterals}, is searched in Java and has
 * none: skipped), their bytes the engine's own views of the request ({@link IpsExchange#headerView}, empty ones
 * skipped as the engine skips them), each database compiled from the expression list the engine compiled
 * ({@link CompiledRules#expressions}) and checked to be as large as the engine's. The benchmark's self-check
 * then holds the list to what the engine's scans report ({@link HeadScanners#trace}).
 */
final class RawExchange implements AutoCloseable {

    /** One head buffer's block scan: its database, its bytes in direct memory. */
    record Head(Buffer buffer, hs_database_t database, int expressions, long databaseBytes, ByteBuffer bytes,
                BytePointer pointer) {
    }

    private final List<Head> heads = new ArrayList<>();
    /** Buffers of the request the engine searches in Java (no database), named for the self-check's line. */
    final List<Buffer> inJava = new ArrayList<>();
    private final hs_scratch_t scratch = new hs_scratch_t();
    private final RawHyperscan requestStream;
    final ByteBuffer requestHead;
    private final BytePointer requestHeadPointer;
    final int requestStreamExpressions;

    RawExchange(CompiledRules compiled, InspectionRequest request, int piece) {
        IpsExchange views = new IpsExchange(request) { }; // the engine's own views of the request's buffers
        boolean scratchMade = false;
        for (Buffer b : compiled.requestHeadBuffers(request.protocol())) {
            ByteView view = views.headerView(b);
            if (view.length() == 0) {
                continue; // the engine does not scan an empty or absent buffer
            }
            Database engineDb = compiled.header(b).database();
            if (engineDb == null) {
                inJava.add(b);
                continue;
            }
            List<org.omamori.hyperscan.Expression> expressions = compiled.expressions.get(b);
            hs_database_t db = RawHyperscan.compile(expressions, hyperscan.HS_MODE_BLOCK);
            long size = RawHyperscan.sizeOf(db);
            if (size != engineDb.sizeBytes() || expressions.size() != engineDb.expressionCount()) {
                throw new IllegalStateException(name(b) + ": the raw database (" + expressions.size() + " expressions, " + size
                        + " B) is not the engine's (" + engineDb.expressionCount() + ", " + engineDb.sizeBytes() + " B)");
            }
            RawHyperscan.check(hyperscan.hs_alloc_scratch(db, scratch), "hs_alloc_scratch"); // grown to fit each database
            scratchMade = true;
            ByteBuffer bytes = ByteBuffer.allocateDirect(view.length());
            bytes.put(0, view.data(), view.offset(), view.length());
            heads.add(new Head(b, db, expressions.size(), size, bytes, RawHyperscan.pointer(bytes)));
        }
        if (!scratchMade) {
            scratch.setNull();
        }
        if (request.protocol() == Protocol.HTTP && compiled.requestStream != null) {
            List<org.omamori.hyperscan.Expression> expressions = compiled.expressions.get(Side.REQUEST);
            requestStream = new RawHyperscan(expressions, piece);
            if (requestStream.databaseBytes() != compiled.requestStream.sizeBytes()) {
                throw new IllegalStateException("the raw request-stream database (" + requestStream.databaseBytes()
                        + " B) is not the engine's (" + compiled.requestStream.sizeBytes() + " B)");
            }
            requestStreamExpressions = expressions.size();
            ByteView head = views.rawRequestHead();
            requestHead = ByteBuffer.allocateDirect(head.length());
            requestHead.put(0, head.data(), head.offset(), head.length());
            requestHeadPointer = RawHyperscan.pointer(requestHead);
        } else {
            requestStream = null;
            requestStreamExpressions = 0;
            requestHead = null;
            requestHeadPointer = null;
        }
    }

    /** A buffer for a printed line: the engine's enum name ({@code HTTP_URI_RAW} is {@code http.uri.raw}, {@code HTTP_RAW_HEADER} {@code http.header.raw}). */
    static String name(Buffer b) {
        return b.name();
    }

    List<Head> heads() {
        return heads;
    }

    /** The request's native scans, as the engine makes them for it; returns the matches. */
    long scanRequest() {
        long matches = 0;
        for (int i = 0; i < heads.size(); i++) {
            Head h = heads.get(i);
            matches += RawHyperscan.scanBlock(h.database(), h.pointer(), h.bytes().capacity(), scratch);
        }
        if (requestStream != null) {
            matches += requestStream.scan(requestHeadPointer, requestHead.capacity());
        }
        return matches;
    }

    @Override
    public void close() {
        if (!scratch.isNull()) {
            hyperscan.hs_free_scratch(scratch);
        }
        for (Head h : heads) {
            hyperscan.hs_free_database(h.database());
            h.pointer().close();
        }
        if (requestStream != null) {
            requestStream.close();
            requestHeadPointer.close();
        }
    }
}
