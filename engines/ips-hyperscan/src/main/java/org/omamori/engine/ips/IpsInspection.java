package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.ContentInspection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Flowbit;
import org.omamori.hyperscan.MatchListener;

/**
 * One request's IPS inspection. Hyperscan finds the rules whose trigger occurs (header buffers
 * scanned whole when the request arrives, bodies scanned as streams chunk by chunk); each such
 * candidate is then confirmed against all its conditions on the bytes at hand: header
 * buffers whole, bodies through a bounded sliding window. Flowbits live for the exchange.
 */
final class IpsInspection extends IpsExchange implements ContentInspection {

    private final CompiledRules compiled;
    private final IpsSettings settings;
    /** Taken from the rule set's pools at first use: most requests have no body, nor rules on it. */
    private SideState requestSide;
    private SideState responseSide;
    private final RuleIndexes fired = new RuleIndexes();
    private Flowbits flowbits;
    /** The verdict so far; null when alerts came since it was last made ({@link #current()} makes it from {@link #alerts}). */
    private Verdict verdict = Verdict.clean();
    /** Every alerting rule fired so far, in firing order: each is reported (Suricata alerts once per rule). */
    private List<Verdict> alerts;
    /** Response rules whose trigger was in the request's head, waiting for the response. */
    private RuleIndexes deferred;
    /** The last {@link #tryFire} failed only for want of a stream's end: a pcre match there needs it. */
    private boolean undecided;
    private boolean passed;
    private boolean closed;
    private String limitsAtClose;

    /** Takes over one reference on {@code compiled}, released by {@link #close()} (or by the caller if this throws). */
    IpsInspection(CompiledRules compiled, IpsSettings settings, InspectionRequest request) {
        super(request);
        this.compiled = compiled;
        this.settings = settings;
        try {
            scanRequest();
        } catch (RuntimeException | Error e) {
            giveBack();
            throw e;
        }
    }

    /** The header buffers scanned whole, the raw request head streamed; candidates confirmed. */
    private void scanRequest() {
        if (compiled.headerOnly != null) {
            headerOnlyRules();
        }
        boolean streamHead = request.protocol() == Protocol.HTTP && compiled.requestStream != null;
        if (compiled.headerBuffers.length == 0 && !streamHead) {
            return; // no rule looks at the request's head
        }
        if (streamHead) {
            state(Side.REQUEST); // taken now, not after the first view: it lends the views' array (viewArray)
        }
        RuleIndexes candidates = null;
        MatchListener collect = null;
        HeadScanners heads = null; // the request state's, taken only when a buffer is to be scanned
        // those of the response and the client's hello are scanned when they arrive; those the protocol has not are empty
        for (Buffer b : compiled.requestHeadBuffers(request.protocol())) {
            ByteView bytes = headerView(b);
            if (bytes.length() > 0) { // an empty or absent buffer triggers nothing: no scan
                if (collect == null) {
                    SideState s = state(Side.REQUEST);
                    heads = s.heads;
                    candidates = s.headCandidates; // the pooled state's, empty: no set and listener made per exchange
                    collect = s.collectHead;
                }
                heads.scan(compiled, b, bytes, collect);
            }
        }
        if (streamHead) {
            ByteView head = rawRequestHead();
            SideState s = state(Side.REQUEST);
            s.bodyStart = head.length();
            s.feed(head.data(), head.offset(), head.offset() + head.length()); // the view's stretch, no slice
        }
        for (int i = 0; candidates != null && i < candidates.size(); i++) {
            CompiledRule rule = compiled.rules[candidates.get(i)];
            if (rule == null) {
                continue;
            }
            if (!rule.sides.contains(Side.REQUEST)) {
                deferred().add(rule.index); // a response rule triggered in the request's head: tried when the response comes
            } else if (rule.streamed) {
                state(Side.REQUEST).pending.hit(rule.index, -1, false); // triggered in a header: no stream position to anchor at
            } else {
                tryFire(rule, Side.REQUEST, -1);
            }
        }
        if (requestSide != null) {
            requestSide.confirmPending(false);
        }
    }

    @Override
    public Verdict verdict() {
        String limits = closed ? limitsAtClose : limitNotes();
        Verdict verdict = current();
        if (limits.isEmpty()) {
            return verdict;
        }
        return verdict.withNote(verdict.note().isEmpty() ? limits.substring(2) : verdict.note() + limits);
    }

    /** The response's head as sent comes with its headers (engine API 1.5): {@code http.header.raw} is cut from it. */
    @Override
    public void headers(Direction direction, List<Header> headers, ByteBuffer head) {
        if (direction == Direction.RESPONSE && head.hasRemaining()) {
            responseHeadSent = head;
        }
        headers(direction, headers);
    }

    @Override
    public void headers(Direction direction, List<Header> headers) {
        if (!passed && !closed && compiled.rules.length > 0) {
            side(direction).decodeAs(headers);
            if (direction == Direction.RESPONSE) {
                responseHeaders = List.copyOf(headers);
                scanLate(Side.RESPONSE);
            }
        }
    }

    /**
     * The address-only rules whose addresses the exchange has: fired on the request's side now; on
     * the response's when its headers come (HTTP), or now for intakes that report no response
     * (TLS by SNI, DNS), as the server's answer is what such a rule would see.
     */
    private void headerOnlyRules() {
        Connection c = request.connection();
        boolean responseComes = request.protocol() == Protocol.HTTP;
        compiled.headerOnly.candidates(c.source().getAddress(), c.destination().getAddress(), index -> {
            CompiledRule rule = compiled.rules[index];
            if (rule == null || passed) {
                return;
            }
            if (rule.sides.contains(Side.REQUEST) && tryFire(rule, Side.REQUEST, -1) && !responseComes) {
                return; // no response direction is seen (TLS by SNI, DNS, raw streams): one alert for the exchange
            }
            if (rule.sides.contains(Side.RESPONSE)) { // HTTP: a rule for both directions alerts in each, as Suricata's per packet
                if (responseComes) {
                    deferred().add(index);
                } else {
                    tryFire(rule, Side.RESPONSE, -1);
                }
            }
        });
    }

    /**
     * Buffers known after the request's facts, scanned whole when they come: the response's head
     * (status line, headers, the server's TLS hello and certificate) with the response rules that
     * triggered in the request's head, or the client's TLS hello (JA3). Candidates are confirmed on
     * their side, streamed ones when their stream has the bytes; a request-side scan keeps the
     * response rules it triggers for the response.
     */
    private void scanLate(Side side) {
        boolean response = side == Side.RESPONSE;
        RuleIndexes candidates = response && deferred != null ? deferred : new RuleIndexes();
        if (response) {
            deferred = null;
        }
        MatchListener collect = (id, from, to) -> {
            candidates.add(id);
            return true;
        };
        for (Buffer b : compiled.headerBuffers) {
            if (response ? !b.responseHead() : !b.tlsClientHello()) {
                continue;
            }
            if (b == Buffer.TLS_CERTS) {
                for (byte[] der : tls == null ? List.<byte[]>of() : tls.chain()) {
                    state(side).heads.scan(compiled, b, ByteBuffer.wrap(der), collect);
                }
            } else {
                ByteView bytes = headerView(b);
                if (bytes.length() > 0) {
                    state(side).heads.scan(compiled, b, bytes, collect);
                }
            }
        }
        for (int i = 0; i < candidates.size() && !passed; i++) {
            CompiledRule rule = compiled.rules[candidates.get(i)];
            if (rule == null) {
                continue;
            }
            if (!rule.sides.contains(side)) {
                if (!response) {
                    deferred().add(rule.index);
                }
            } else if (rule.streamed) {
                state(side).pending.hit(rule.index, -1, false);
            } else {
                tryFire(rule, side, -1);
            }
        }
    }

    private RuleIndexes deferred() {
        if (deferred == null) {
            deferred = new RuleIndexes();
        }
        return deferred;
    }

    @Override
    public void body(Direction direction, ByteBuffer chunk) {
        if (!passed && !closed && compiled.rules.length > 0) {
            if (request.protocol() == Protocol.TLS) {
                tlsBytes(direction, chunk);
            }
            side(direction).body(chunk);
        }
    }

    /**
     * A TLS side's handshake bytes ({@code null}: it ended): once the server's hello and
     * certificate are read the response's buffers are scanned, once the client's hello is read the
     * JA3 buffers are.
     */
    private void tlsBytes(Direction direction, ByteBuffer chunk) {
        if (tls == null) {
            tls = new TlsSides();
        }
        if (direction == Direction.RESPONSE) {
            if (tls.server(chunk)) {
                scanLate(Side.RESPONSE);
            }
        } else if (tls.client(chunk)) {
            scanLate(Side.REQUEST);
        }
    }

    /** TLS bytes are read as records ({@link #body}): nothing of them is "content" to decode. */
    @Override
    public boolean wantsContent(Direction direction) {
        return !passed && !closed && compiled.rules.length > 0 && request.protocol() != Protocol.TLS;
    }

    /** A body decoded by the host, once for every engine (decision 0008): inspected as it comes. */
    @Override
    public void content(Direction direction, ByteBuffer decoded) {
        if (!passed && !closed && compiled.rules.length > 0) {
            side(direction).content(decoded);
        }
    }

    @Override
    public void contentUndecodable(Direction direction, String why) {
        if (!passed && !closed && compiled.rules.length > 0) {
            side(direction).undecodable(why);
        }
    }

    @Override
    public void endOfBody(Direction direction) {
        if (!passed && !closed && compiled.rules.length > 0 && request.protocol() == Protocol.TLS) {
            tlsBytes(direction, null); // a side that ended: what was read is all there is
        }
        if (!passed && !closed && compiled.rules.length > 0) {
            side(direction).end();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        limitsAtClose = limitNotes(); // the states that know them go back to the pool
        closed = true;
        giveBack();
        compiled.release();
    }

    private String limitNotes() {
        if (requestSide == null && responseSide == null) {
            return "";
        }
        String request = requestSide == null ? "" : requestSide.limitNote();
        String response = responseSide == null ? "" : responseSide.limitNote();
        return request.isEmpty() ? response : response.isEmpty() ? request : request + response;
    }

    /** Before the rule set is released: its pools are drained once the last inspection gave back its states. */
    private void giveBack() {
        if (requestSide != null) {
            forgetViews(); // the array is the state's (viewArray)
            if (flowbits == requestSide.flowbits) {
                flowbits = null; // the state's too: cleared when it is recycled
            }
            compiled.requestStates.give(requestSide);
            requestSide = null;
        }
        if (responseSide != null) {
            compiled.responseStates.give(responseSide);
            responseSide = null;
        }
    }

    /**
     * Whether the last {@link #tryFire} failed only because a pcre match needs the end of a body
     * that has not ended ({@code $}, {@code \z}, {@code \b} where the bytes end for now): it is
     * to be tried again when more bytes come or the body ends.
     */
    boolean undecided() {
        return undecided;
    }

    boolean hasFired(int rule) {
        return fired.contains(rule);
    }

    private SideState side(Direction direction) {
        return state(direction == Direction.REQUEST ? Side.REQUEST : Side.RESPONSE);
    }

    /** The request state's array when it is taken (HTTP: always, before the first view), else one of this exchange's own. */
    @Override
    ByteView[] viewArray() {
        return requestSide != null ? requestSide.views() : super.viewArray();
    }

    private SideState state(Side side) {
        if (side == Side.REQUEST) {
            if (requestSide == null) {
                requestSide = compiled.requestStates.take(this, settings);
            }
            return requestSide;
        }
        if (responseSide == null) {
            responseSide = compiled.responseStates.take(this, settings);
        }
        return responseSide;
    }

    // ---- deciding ----------------------------------------------------------------------------

    /**
     * Confirms a candidate on everything it asks for; fires it if all holds. {@code triggerEnd}
     * is the stream position where Hyperscan saw the trigger end, or -1 when not known.
     */
    boolean tryFire(CompiledRule rule, Side side, long triggerEnd) {
        undecided = false;
        int firedKey = Side.firedKey(rule, side, compiled.rules.length);
        if (fired.contains(firedKey)) {
            return true;
        }
        if (firedKey != rule.index && current().intervenes()) {
            return false; // a blocked exchange has no response direction to match in (Suricata drops the flow)
        }
        if (!headerMatchesOnce(rule, side) || lacksALiteral(rule, side)) { // the header's answer is kept: asked first
            return false;
        }
        Search search = state(side).search;
        for (int c = 0; c < rule.chains.length; c++) {
            Chain chain = rule.chains[c];
            SideState stream = streamOf(chain.buffer, side);
            long bufferStart = chain.buffer == Buffer.HTTP_REQUEST_BODY ? stream.bodyStart : 0;
            ByteView bytes = stream != null ? stream.view(bufferStart) : headerView(chain.buffer);
            Sightings sightings = stream == null ? null : stream.sightings;
            boolean ended = stream == null || stream.ended();
            boolean ok;
            if (chain.buffer == Buffer.TLS_CERTS) {
                ok = false; // a multi-buffer: the chain holds in one certificate of the chain
                List<byte[]> certs = tls == null ? List.of() : tls.chain();
                for (int k = 0; k < certs.size() && !ok; k++) {
                    ok = chain.matches(search, ByteView.of(certs.get(k)), -1, -1, null, 0, true);
                }
            } else if (c == rule.triggerChain && triggerEnd >= 0) {
                long start = triggerEnd - rule.triggerLength - bufferStart;
                ok = chain.matches(search, bytes, rule.triggerStep, start, sightings, bufferStart, ended);
            } else {
                ok = chain.matches(search, bytes, -1, -1, sightings, bufferStart, ended);
            }
            if (search.exhausted() > 0) {
                compiled.pcreLimitHit(rule, search.exhausted());
            }
            if (!ok) {
                undecided = search.undecided();
                return false;
            }
        }
        for (Flowbit f : rule.flowbits) {
            boolean set = flowbits != null && flowbits.contains(f.name());
            if (f.op() == Flowbit.Op.ISSET && !set || f.op() == Flowbit.Op.ISNOTSET && set) {
                return false;
            }
        }
        if (rule.xbits.length > 0 && !compiled.hostBits.hold(rule.xbits, request.connection(), side)) {
            return false;
        }
        fired.add(firedKey);
        if (rule.xbits.length > 0) {
            compiled.hostBits.apply(rule.xbits, request.connection(), side);
        }
        for (Flowbit f : rule.flowbits) {
            switch (f.op()) {
                case SET -> bits().add(f.name());
                case UNSET -> bits().remove(f.name());
                case TOGGLE -> {
                    if (!bits().remove(f.name())) {
                        bits().add(f.name());
                    }
                }
                default -> {
                }
            }
        }
        if (rule.pass) {
            // A pass rule ends the inspection: nothing else in this exchange alerts.
            passed = true;
            verdict = Verdict.clean().withNote(rule.verdict.note() + ": pass rule");
        } else if (!rule.noAlert) {
            // Thresholds and threshold.config may hold the alert back (counted) or change the action.
            Verdict v = compiled.alertFilters.verdict(rule, request.connection(), side);
            if (v != null) {
                alert(v);
            }
        }
        return true;
    }

    private void alert(Verdict v) {
        if (alerts == null) {
            alerts = new java.util.ArrayList<>(4);
        }
        alerts.add(v);
        verdict = null; // made when asked: a page with several alerts would make it once per alert
    }

    /** The verdict of the alerts so far: the highest decides; the others are its further verdicts. */
    private Verdict current() {
        if (verdict == null) {
            verdict = Verdict.of(alerts);
        }
        return verdict;
    }

    private Flowbits bits() {
        if (flowbits == null) {
            // the request state's set when it is taken (an HTTP exchange's always is), else one of this exchange's own
            flowbits = requestSide != null ? requestSide.flowbits : new Flowbits();
        }
        return flowbits;
    }

    /**
     * {@link #headerMatches}, worked out once per header class and side: rules sharing a header share the answer.
     * A stream's trigger of a rule whose header rules out this exchange is dropped with it ({@link SideState}).
     */
    boolean headerMatchesOnce(CompiledRule rule, Side side) {
        HeaderChecks checks = state(side).headerChecks;
        byte known = checks.get(rule.headerClass);
        if (known != HeaderChecks.UNKNOWN) {
            return known == HeaderChecks.FITS;
        }
        boolean fits = headerMatches(rule, side);
        checks.put(rule.headerClass, fits);
        return fits;
    }

    /**
     * Whether a literal one of the rule's stream buffers needs was never sighted in bytes the scan
     * has passed: then the rule cannot match on the bytes held, and no search is needed to say so.
     */
    boolean lacksALiteral(CompiledRule rule, Side side) {
        if (!rule.streamed) {
            return false; // header buffers only: nothing is sighted in them (most request-side candidates)
        }
        for (Chain chain : rule.chains) {
            if (!chain.needsSightings()) {
                continue;
            }
            SideState stream = streamOf(chain.buffer, side);
            if (stream != null && stream.scanPassedAllHeld() && chain.lacksALiteral(stream.sightings)) {
                return true;
            }
        }
        return false;
    }

    /** The direction whose stream holds {@code buffer} for a rule inspecting {@code side}, or null for a header buffer. */
    private SideState streamOf(Buffer buffer, Side side) {
        return switch (buffer) {
            case RAW -> state(side);
            case HTTP_REQUEST_BODY -> state(Side.REQUEST);
            case HTTP_RESPONSE_BODY -> state(Side.RESPONSE);
            default -> null;
        };
    }

}
