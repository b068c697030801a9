package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.omamori.api.engine.ContentInspection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Flowbit;

/**
 * One request's IPS inspection. Hyperscan finds the rules whose trigger occurs (header buffers
 * scanned whole when they arrive, {@link HeadTriggers}; bodies scanned as streams chunk by chunk,
 * {@link SideState}); each such candidate is then confirmed here against all its conditions on
 * the bytes at hand: header buffers whole, bodies through a bounded sliding window. Flowbits live
 * for the exchange.
 */
final class IpsInspection extends IpsExchange implements ContentInspection {

    final CompiledRules compiled;
    private final IpsSettings settings;
    /** Taken from the rule set's pools at first use: most requests have no body, nor rules on it. */
    private SideState requestSide;
    private SideState responseSide;
    /** The rules fired (by {@link Side#firedKey}): the request state's set once it is taken (an HTTP exchange's always is), else one of its own; null until the first. */
    private RuleIndexes fired;
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
            HeadTriggers.request(this);
        } catch (RuntimeException | Error e) {
            giveBack();
            throw e;
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
                HeadTriggers.late(this, Side.RESPONSE);
            }
        }
    }

    /** The response rules the request's head or addresses triggered, made at the first: most exchanges have none. */
    RuleIndexes deferred() {
        if (deferred == null) {
            deferred = new RuleIndexes();
        }
        return deferred;
    }

    /** {@link #deferred}, handed over to be tried on the response (null if none), and forgotten here. */
    RuleIndexes takeDeferred() {
        RuleIndexes d = deferred;
        deferred = null;
        return d;
    }

    /** A pass rule fired: nothing else in this exchange alerts. */
    boolean passed() {
        return passed;
    }

    /** The candidates left pending in the request's stream are tried, if it has a state. */
    void confirmRequestPending() {
        if (requestSide != null) {
            requestSide.confirmPending(false);
        }
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
                HeadTriggers.late(this, Side.RESPONSE);
            }
        } else if (tls.client(chunk)) {
            HeadTriggers.late(this, Side.REQUEST);
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
            forgetViews(); // the views and arrays are the state's loans
            if (flowbits == requestSide.loans.flowbits) {
                flowbits = null; // the state's too: cleared when it is recycled
            }
            if (fired == requestSide.loans.fired) {
                fired = null; // likewise; nothing fires once closed
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
        return fired != null && fired.contains(rule);
    }

    private SideState side(Direction direction) {
        return state(direction == Direction.REQUEST ? Side.REQUEST : Side.RESPONSE);
    }

    /** The request state's loans when it is taken (HTTP: always, before the first view), else none: the exchange makes its own. */
    @Override
    ExchangeLoans loans() {
        return requestSide != null ? requestSide.loans : null;
    }

    SideState state(Side side) {
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
        if (hasFired(firedKey)) {
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
        if (fired == null) {
            fired = requestSide != null ? requestSide.loans.fired : new RuleIndexes();
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
            alerts = new ArrayList<>(4); // made at the first alert: most exchanges have none
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
            flowbits = requestSide != null ? requestSide.loans.flowbits : new Flowbits();
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
