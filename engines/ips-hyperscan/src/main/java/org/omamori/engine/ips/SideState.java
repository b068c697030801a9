package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.api.engine.Header;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.MatchListener;
import org.omamori.hyperscan.Scanner;
import org.omamori.hyperscan.Stream;

/**
 * One direction of one inspection: its Hyperscan stream, the window of its last bytes and the
 * candidates waiting to be confirmed on them; its body comes in through a {@link BodyIntake}.
 * Pooled per rule set ({@link SideStatePool}): an inspection takes one per direction and gives it
 * back on close, so the stream (reset with {@code hs_reset_stream}, not reopened), the window's
 * array and the candidate arrays are made once per concurrent inspection rather than once per
 * inspection; a request state also lends the exchange its {@link ExchangeLoans}.
 */
final class SideState implements MatchListener {

    final Side side;
    private final CompiledRules compiled;
    private ByteWindow window;
    /** The pool's blocks for windows larger than {@link #KEPT_WINDOW}. */
    private final WindowMemory windowMemory;
    final Candidates pending = new Candidates();
    final Sightings sightings;
    /** Reused by every confirmation in this direction. */
    final Search search = new Search();
    /** Which rule headers fit this direction's connection; kept across its exchanges. */
    final HeaderChecks headerChecks;
    /** Kept across inspections, reset between them; closed when the pool is drained. */
    private Stream stream;
    /** The stream was used by this inspection and not reset since. */
    private boolean streamDirty;
    final HeadScanners heads = new HeadScanners(); // kept across inspections like the stream; closed with it
    /** What the request state lends the inspection it serves; null in a response state. */
    final ExchangeLoans loans;
    private final BodyIntake intake = new BodyIntake(this);

    // ---- per inspection ----
    private IpsInspection inspection;
    private IpsSettings settings;
    long bodyStart;
    private boolean ended;

    /** Window bytes a recycled state keeps (a 10 KiB page's fit); a larger window's memory goes to the pool's {@link WindowMemory}. */
    static final int KEPT_WINDOW = 32 * 1024;

    SideState(CompiledRules compiled, Side side, int windowBytes, WindowMemory windowMemory) {
        this.compiled = compiled;
        this.side = side;
        this.windowMemory = windowMemory;
        this.window = new ByteWindow(windowBytes, windowMemory);
        this.sightings = new Sightings(compiled.sightingCount);
        this.headerChecks = new HeaderChecks(compiled.headerClassCount);
        this.loans = side == Side.REQUEST ? new ExchangeLoans() : null;
    }

    /** Readies this state for {@code inspection}: a window of the size its settings ask, header checks for its connection. */
    void serve(IpsInspection inspection, IpsSettings settings) {
        if (window.size() != settings.windowBytes()) {
            window.release();
            window = new ByteWindow(settings.windowBytes(), windowMemory);
        }
        headerChecks.serve(inspection.request());
        this.inspection = inspection;
        this.settings = settings;
        intake.serve(settings);
    }

    /**
     * Whether the stream scan has reported every literal in the bytes held (not so while a
     * confirmation runs in the middle of a scan): then a literal never sighted is in none of them.
     */
    boolean scanPassedAllHeld() {
        return sightings.scannedTo() >= window.end();
    }

    /** Whether this direction ended: its buffers end where the window ends. */
    boolean ended() {
        return ended;
    }

    /** The window as seen by a buffer that begins at stream position {@code bufferStart}. */
    ByteView view(long bufferStart) {
        return window.view(bufferStart);
    }

    private Database database() {
        return side == Side.REQUEST ? compiled.requestStream : compiled.responseStream;
    }

    /**
     * Scans bytes of this direction's raw stream, keeps them in the window and confirms what
     * they triggered. A piece never exceeds half the window, so every trigger is confirmed
     * while the bytes around it are still held, however large the caller's chunk.
     */
    void feed(ByteBuffer bytes) {
        feed(bytes, bytes.position(), bytes.limit());
    }

    /** {@link #feed(ByteBuffer)} of {@code bytes}' absolute indexes {@code [from, to)}: no slice made for a view's stretch. */
    void feed(ByteBuffer bytes, int from, int to) {
        Database db = database();
        if (db != null && stream == null) {
            try (Scanner scanner = db.scanner()) {
                stream = scanner.openStream(); // kept with this state in the pool: opened once, reset per inspection
            }
        }
        streamDirty |= stream != null;
        int piece = Math.max(1, settings.windowBytes() / 2);
        for (int at = from; at < to; at += piece) {
            int n = Math.min(piece, to - at);
            window.append(bytes, at, n);
            if (stream != null) {
                ByteBuffer last = window.last(n);
                if (HeadScanners.trace != null) {
                    HeadScanners.trace.scanned(side, last.duplicate(), false);
                }
                stream.scan(last, this); // in place: the window is a direct buffer
                takeMatches();
                sightings.scanned(window.end());
            }
            if (pending.size() > 0) {
                confirmPending(false);
            }
        }
    }

    /** The body's coding, from its headers ({@link BodyIntake#decodeAs}). */
    void decodeAs(List<Header> headers) {
        intake.decodeAs(headers);
    }

    /** Content decoded by the host ({@link org.omamori.api.engine.ContentInspection}): inspected as it comes. */
    void content(ByteBuffer decoded) {
        if (!ended) {
            intake.decoded(decoded);
        }
    }

    /** The host could not decode this body; the rest comes as sent and is inspected so, and the verdict says so. */
    void undecodable(String why) {
        intake.undecodable(why);
    }

    /** A chunk of the body as sent; a request's coding, if no one named it yet, is the request's headers'. */
    void body(ByteBuffer chunk) {
        if (ended) {
            return;
        }
        if (intake.codingUnknown()) {
            intake.decodeAs(side == Side.REQUEST ? inspection.request().headers() : List.of());
        }
        intake.sent(chunk);
    }

    /** Body bytes, decoded and within the limit, from the {@link BodyIntake}: scanned and kept, unless no rule looks at them. */
    void inspect(ByteBuffer part) {
        if (database() == null && pending.size() == 0) {
            return; // no rule looks at this direction's bodies
        }
        feed(part);
    }

    void end() {
        if (ended) {
            return;
        }
        intake.finish();
        if (streamDirty) {
            // End-of-data matches reported, if the database can have any; the stream starts over for the next inspection.
            if (compiled.endOfDataMatters(side)) {
                stream.reset(this);
                takeMatches();
            } else {
                stream.reset();
            }
            streamDirty = false;
            sightings.scanned(window.end());
        }
        ended = true;
        confirmPending(true);
    }

    /**
     * Hyperscan found a trigger or a sighted literal in this direction's stream, ending at stream
     * position {@code to}: noted, and taken once the scan call returns ({@link #takeMatches}). The
     * call from native code stays short, and the matches are then worked on in one loop with the
     * candidates' data in the cache (the call's own machinery evicts it).
     */
    @Override
    public boolean onMatch(int id, long from, long to) {
        int n = matchCount;
        if (n == matchIds.length) {
            takeMatches(); // the scan goes on: the sightings are not complete yet, and confirmation knows
            n = 0;
        }
        matchIds[n] = id;
        matchEnds[n] = to;
        matchCount = n + 1;
        return true;
    }

    /** Matches noted since the last take, in the order Hyperscan reported them. */
    private final int[] matchIds = new int[MATCH_BATCH];
    private final long[] matchEnds = new long[MATCH_BATCH];
    private int matchCount;
    private static final int MATCH_BATCH = 64;

    private void takeMatches() {
        int n = matchCount;
        matchCount = 0;
        for (int k = 0; k < n; k++) {
            take(matchIds[k], matchEnds[k]);
        }
    }

    private void take(int id, long to) {
        if (id >= compiled.rules.length) {
            sightings.record(id - compiled.rules.length, to); // a literal confirmation looks up
        } else if (!inspection.hasFired(id) && compiled.rules[id] != null) {
            CompiledRule rule = compiled.rules[id];
            if (!inspection.headerMatchesOnce(rule, side)) {
                // Its protocol, addresses or ports rule it out for this exchange (as Suricata keeps it out of the
                // flow's rule group): every try would fail, and as a candidate it would take a place among the
                // LIMIT others, and be tried after each piece.
                return;
            }
            long dropped = pending.hit(id, to, rule.occurrencesCoalesce);
            if (dropped >= 0 && !rule.needsStreamEnd) {
                // More occurrences than a candidate keeps arrived in one piece: the piece is
                // in the window, so the oldest is tried now rather than lost.
                inspection.tryFire(rule, side, dropped);
            }
        }
    }

    /**
     * Tries the pending candidates that have new bytes to be tried on: anchored at each
     * recorded trigger position when the trigger is a content, on the whole window otherwise.
     * A candidate whose triggers left the window, or were all tried, or any at the end of the
     * stream, is dropped (a later occurrence of its trigger makes it a candidate again).
     */
    void confirmPending(boolean atEnd) {
        long end = window.end();
        long held = window.heldFrom(); // no view made for it: the request stream rarely has a candidate to view it for
        long unbounded = Math.max(1, settings.windowBytes() / 2);
        for (int i = pending.size() - 1; i >= 0; i--) {
            CompiledRule rule = compiled.rules[pending.rule(i)];
            if (rule == null || inspection.hasFired(rule.index)) {
                pending.removeAt(i);
                continue;
            }
            if (rule.needsStreamEnd && !atEnd) {
                continue;
            }
            boolean done;
            if (rule.triggerChain >= 0 && pending.ends(i) > 0 && !rule.needsStreamEnd) {
                done = confirmOccurrences(rule, i, atEnd, end, held, rule.reachAfterTrigger < 0 ? unbounded : rule.reachAfterTrigger);
                // Every occurrence was tried with all the bytes it can need. Kept, the candidate
                // would be tried again on the whole window after each piece (a search of the
                // window per piece and candidate, for nothing: each occurrence in it was tried).
                done |= pending.ends(i) == 0;
            } else {
                boolean worthATry = pending.fresh(i) || rule.waitsForLaterBytes && pending.triedUpTo(i) < end
                        || atEnd && rule.needsStreamEnd;
                done = false;
                if (worthATry) {
                    pending.tried(i, end);
                    done = !inspection.lacksALiteral(rule, side) && tryAll(rule, i);
                    if (!done && undecidedSeen) {
                        pending.retry(i); // a match needs the body's end: tried again with the next bytes or at the end
                    }
                }
            }
            if (done || atEnd || pending.ends(i) > 0 && pending.newestEnd(i) < held) {
                pending.removeAt(i);
            }
        }
    }

    /**
     * Confirms each recorded trigger occurrence once, when every byte the rule can need after
     * it has arrived (or the stream ended, or there is no room to wait): oldest first.
     */
    private boolean confirmOccurrences(CompiledRule rule, int i, boolean atEnd, long end, long held, long reach) {
        // This direction's scan has passed every byte held: a literal the rule needs and never
        // sighted fails every occurrence tried now, without a call to try it. Asked once, when the
        // first occurrence is ready.
        int hopeless = -1;
        while (pending.ends(i) > 0) {
            long triggerEnd = pending.oldestEnd(i);
            if (!atEnd && triggerEnd + reach > end && !pending.full(i)) {
                return false; // wait for the bytes after it
            }
            if (hopeless < 0) {
                hopeless = inspection.lacksALiteral(rule, side) ? 1 : 0;
            }
            boolean tried = triggerEnd >= held && hopeless == 0;
            if (tried && inspection.tryFire(rule, side, triggerEnd)) {
                pending.dropOldest(i);
                return true;
            }
            if (tried && inspection.undecided() && !atEnd) {
                // A pcre match here needs the body's end: this occurrence is tried again with the next bytes.
                pending.tried(i, end);
                return false;
            }
            pending.dropOldest(i);
            if (rule.occurrencesCoalesce) {
                // Any match from a later occurrence lies after this one: only the newest, which
                // may still need bytes to come, is worth keeping.
                while (pending.ends(i) > 1) {
                    pending.dropOldest(i);
                }
                if (!atEnd) {
                    break;
                }
            }
        }
        pending.tried(i, end);
        return false;
    }

    /** Some try of the last {@link #tryAll} failed only for want of the body's end. */
    private boolean undecidedSeen;

    private boolean tryAll(CompiledRule rule, int i) {
        undecidedSeen = false;
        int n = pending.ends(i);
        if (rule.triggerChain < 0 || n == 0) {
            return tried(inspection.tryFire(rule, side, -1));
        }
        for (int k = 0; k < n; k++) {
            if (tried(inspection.tryFire(rule, side, pending.end(i, k)))) {
                return true;
            }
        }
        // Positions were dropped and not tried at once (a rule confirmed only at the end of the
        // stream): search the whole window, which finds any occurrence it still holds.
        return pending.lost(i) && tried(inspection.tryFire(rule, side, -1));
    }

    private boolean tried(boolean fired) {
        undecidedSeen |= !fired && inspection.undecided();
        return fired;
    }

    String limitNote() {
        String what = side == Side.REQUEST ? "request" : "response";
        String note = intake.note(what);
        if (intake.limited() || !pending.overflowed()) {
            return note;
        }
        return note + "; too many candidate rules in the " + what + ", some were not confirmed";
    }

    /** Forgets the inspection and starts over, ready for the next one; false if it cannot be reused (then it is closed). */
    boolean recycle() {
        intake.recycle();
        inspection = null;
        settings = null;
        bodyStart = 0;
        ended = false;
        if (window.capacity() > KEPT_WINDOW) {
            window.release(); // a pool of idle states holds small windows only; larger memory is shared by the pool's states
        } else {
            window.clear();
        }
        matchCount = 0;
        if (loans != null) {
            loans.clear();
        }
        heads.forget();
        search.forget();
        pending.clear();
        sightings.clear();
        if (streamDirty) {
            try {
                stream.reset();
                streamDirty = false;
            } catch (RuntimeException e) {
                close();
                return false;
            }
        }
        return true;
    }

    /** Frees the stream: only once this state is out of use for good. */
    void close() {
        intake.close();
        if (stream != null) {
            stream.close();
            stream = null;
        }
        heads.close();
    }
}
