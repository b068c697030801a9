package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.HashSet;
import java.util.Set;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.ContentInspection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Flowbit;
import org.omamori.engine.ips.rules.Rule;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.MatchListener;

/**
 * One request's IPS inspection. Hyperscan finds the rules whose trigger occurs (header buffers
 * scanned whole when the request arrives, bodies scanned as streams chunk by chunk); each such
 * candidate is then confirmed against all its conditions on the bytes at hand: header
 * buffers whole, bodies through a bounded sliding window. Flowbits live for the exchange.
 */
final class IpsInspection implements ContentInspection {

    private final CompiledRules compiled;
    private final IpsSettings settings;
    private final InspectionRequest request;
    private static final int BUFFERS = Buffer.values().length;
    /** The request's header buffers as bytes, made at their first use: most requests need none. */
    private byte[][] headerBytes;
    /** Taken from the rule set's pools at first use: most requests have no body, nor rules on it. */
    private SideState requestSide;
    private SideState responseSide;
    private final RuleIndexes fired = new RuleIndexes();
    private Set<String> flowbits;
    /** The connection's addresses as bytes, for the rules' address headers; made at the first check. */
    private byte[] clientAddress;
    private byte[] serverAddress;
    private Verdict verdict = Verdict.clean();
    /** The last {@link #tryFire} failed only for want of a stream's end: a pcre match there needs it. */
    private boolean undecided;
    private boolean passed;
    private boolean closed;
    private String limitsAtClose;

    /** Takes over one reference on {@code compiled}, released by {@link #close()} (or by the caller if this throws). */
    IpsInspection(CompiledRules compiled, IpsSettings settings, InspectionRequest request) {
        this.compiled = compiled;
        this.settings = settings;
        this.request = request;
        try {
            scanRequest();
        } catch (RuntimeException | Error e) {
            giveBack();
            throw e;
        }
    }

    /** The header buffers scanned whole, the raw request head streamed; candidates confirmed. */
    private void scanRequest() {
        boolean streamHead = request.protocol() == Protocol.HTTP && compiled.requestStream != null;
        if (compiled.headerBuffers.length == 0 && !streamHead) {
            return; // no rule looks at the request's head
        }
        RuleIndexes candidates = new RuleIndexes();
        MatchListener collect = null;
        for (Buffer b : compiled.headerBuffers) {
            Database db = compiled.header(b);
            byte[] bytes = headerBytes(b);
            if (bytes.length > 0) {
                if (collect == null) {
                    collect = (id, from, to) -> {
                        candidates.add(id);
                        return true;
                    };
                }
                db.scan(ByteBuffer.wrap(bytes), collect); // a pooled scratch for the call: no Scanner per field
            }
        }
        if (streamHead) {
            state(Side.REQUEST).feed(ByteBuffer.wrap(rawRequestHead()));
        }
        for (int i = 0; i < candidates.size(); i++) {
            CompiledRule rule = compiled.rules[candidates.get(i)];
            if (rule == null) {
                continue;
            }
            if (rule.streamed) {
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
        if (limits.isEmpty()) {
            return verdict;
        }
        return verdict.withNote(verdict.note().isEmpty() ? limits.substring(2) : verdict.note() + limits);
    }

    @Override
    public void headers(Direction direction, List<Header> headers) {
        if (!passed && !closed && compiled.rules.length > 0) {
            side(direction).decodeAs(headers);
        }
    }

    @Override
    public void body(Direction direction, ByteBuffer chunk) {
        if (!passed && !closed && compiled.rules.length > 0) {
            side(direction).body(chunk);
        }
    }

    @Override
    public boolean wantsContent(Direction direction) {
        return !passed && !closed && compiled.rules.length > 0;
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
            compiled.requestStates.give(requestSide);
            requestSide = null;
        }
        if (responseSide != null) {
            compiled.responseStates.give(responseSide);
            responseSide = null;
        }
    }

    InspectionRequest request() {
        return request;
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
        if (fired.contains(rule.index)) {
            return true;
        }
        if (lacksALiteral(rule, side) || !headerMatchesOnce(rule, side)) {
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
            if (c == rule.triggerChain && triggerEnd >= 0) {
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
        fired.add(rule.index);
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
        } else if (!rule.noAlert && rule.verdict.outranks(verdict)) {
            verdict = rule.verdict;
        }
        return true;
    }

    private Set<String> bits() {
        if (flowbits == null) {
            flowbits = new HashSet<>(4);
        }
        return flowbits;
    }

    /** {@link #headerMatches}, worked out once per header class and side: rules sharing a header share the answer. */
    private boolean headerMatchesOnce(CompiledRule rule, Side side) {
        SideState s = state(side);
        byte known = s.headerCheck(rule.headerClass);
        if (known != 0) {
            return known == SideState.FITS;
        }
        boolean fits = headerMatches(rule, side);
        s.headerChecked(rule.headerClass, fits);
        return fits;
    }

    /** Protocol, flow state and the address/port header of the rule against this exchange. */
    private boolean headerMatches(CompiledRule compiledRule, Side side) {
        Rule rule = compiledRule.rule;
        Protocol p = request.protocol();
        boolean protocolFits = switch (rule.protocol()) {
            case HTTP -> p == Protocol.HTTP;
            case TLS -> p == Protocol.TLS;
            case DNS -> p == Protocol.DNS;
            case TCP -> p == Protocol.HTTP || p == Protocol.TLS || p == Protocol.OTHER;
            case UDP -> p == Protocol.DNS;
            case IP -> true;
        };
        if (!protocolFits) {
            return false;
        }
        if (rule.flow().established() && !(p == Protocol.HTTP || p == Protocol.TLS)) {
            return false;
        }
        Connection c = request.connection();
        boolean toServer = side == Side.REQUEST;
        if (clientAddress == null) {
            clientAddress = c.source().getAddress(); // a copy per call: once per inspection
            serverAddress = c.destination().getAddress();
        }
        byte[] src = toServer ? clientAddress : serverAddress;
        byte[] dst = toServer ? serverAddress : clientAddress;
        int sp = toServer ? c.sourcePort() : c.destinationPort();
        int dp = toServer ? c.destinationPort() : c.sourcePort();
        return endpoints(rule, src, sp, dst, dp) || rule.bidirectional() && endpoints(rule, dst, dp, src, sp);
    }

    private static boolean endpoints(Rule rule, byte[] src, int sp, byte[] dst, int dp) {
        // Port 0 means the intake does not know the port: it cannot rule the rule out.
        return rule.source().matches(src) && rule.destination().matches(dst)
                && (sp == 0 || rule.sourcePorts().matches(sp)) && (dp == 0 || rule.destinationPorts().matches(dp));
    }

    /**
     * Whether a literal one of the rule's stream buffers needs was never sighted in bytes the scan
     * has passed: then the rule cannot match on the bytes held, and no search is needed to say so.
     */
    boolean lacksALiteral(CompiledRule rule, Side side) {
        for (Chain chain : rule.chains) {
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

    private ByteView headerView(Buffer buffer) {
        byte[] bytes = headerBytes(buffer);
        return bytes == null ? ByteView.EMPTY : ByteView.of(bytes);
    }

    // ---- the buffers of the request ----------------------------------------------------------

    private byte[] headerBytes(Buffer buffer) {
        if (headerBytes == null) {
            headerBytes = new byte[BUFFERS][];
        }
        byte[] cached = headerBytes[buffer.ordinal()];
        if (cached == null) {
            cached = CompiledRules.latin1(headerText(buffer));
            if (buffer == Buffer.HTTP_URI) {
                cached = percentDecoded(cached);
            }
            headerBytes[buffer.ordinal()] = cached;
        }
        return cached;
    }

    private String headerText(Buffer buffer) {
        boolean http = request.protocol() == Protocol.HTTP;
        return switch (buffer) {
            case HTTP_URI, HTTP_URI_RAW -> http ? uri(request.url()) : "";
            case HTTP_METHOD -> http ? request.method() : "";
            case HTTP_HOST -> http ? request.header("Host").orElse(request.host()) : "";
            case HTTP_USER_AGENT -> http ? request.header("User-Agent").orElse("") : "";
            case HTTP_HEADER -> http ? headerLines() : "";
            case DNS_QUERY -> request.protocol() == Protocol.DNS ? request.dnsName() : "";
            case TLS_SNI -> request.protocol() == Protocol.TLS ? request.tlsSni() : "";
            default -> "";
        };
    }

    private String headerLines() {
        StringBuilder out = new StringBuilder();
        for (Header h : request.headers()) {
            out.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return out.toString();
    }

    private byte[] rawRequestHead() {
        String head = request.method() + " " + uri(request.url()) + " HTTP/1.1\r\n" + headerLines() + "\r\n";
        byte[] bytes = CompiledRules.latin1(head);
        state(Side.REQUEST).bodyStart = bytes.length;
        return bytes;
    }

    /** {@code %XX} escapes decoded once, as Suricata normalises {@code http.uri}; a broken escape stays as it is. */
    static byte[] percentDecoded(byte[] raw) {
        int escapes = 0;
        for (byte b : raw) {
            escapes += b == '%' ? 1 : 0;
        }
        if (escapes == 0) {
            return raw;
        }
        byte[] out = new byte[raw.length];
        int n = 0;
        for (int i = 0; i < raw.length; i++) {
            int hi = i + 2 < raw.length && raw[i] == '%' ? Character.digit(raw[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
            if (lo >= 0) {
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = raw[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The request target as sent: path and query of an absolute URL. */
    static String uri(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url.isEmpty() ? "/" : url;
        }
        int slash = url.indexOf('/', scheme + 3);
        int query = url.indexOf('?', scheme + 3);
        int start = slash < 0 ? query : query < 0 ? slash : Math.min(slash, query);
        if (start < 0) {
            return "/";
        }
        String target = url.substring(start);
        int fragment = target.indexOf('#');
        target = fragment >= 0 ? target.substring(0, fragment) : target;
        return target.startsWith("?") ? "/" + target : target;
    }
}
