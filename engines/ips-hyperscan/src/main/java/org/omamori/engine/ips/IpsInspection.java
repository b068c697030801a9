package org.omamori.engine.ips;

import java.net.InetAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.HashSet;
import java.util.Set;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Protocol;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Flowbit;
import org.omamori.engine.ips.rules.Rule;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.MatchListener;
import org.omamori.hyperscan.Scanner;
import org.omamori.hyperscan.Stream;
import org.omamori.http.BodyDecoder;
import org.omamori.http.BodyException;
import org.omamori.http.Limits;

/**
 * One request's IPS inspection. Hyperscan finds the rules whose trigger occurs (header buffers
 * scanned whole when the request arrives, bodies scanned as streams chunk by chunk); each such
 * candidate is then confirmed against all its conditions on the bytes at hand: header
 * buffers whole, bodies through a bounded sliding window. Flowbits live for the exchange.
 */
final class IpsInspection implements Inspection {

    private static final Buffer[] HEADER_BUFFERS = {Buffer.HTTP_URI, Buffer.HTTP_URI_RAW, Buffer.HTTP_METHOD, Buffer.HTTP_HEADER, Buffer.HTTP_HOST,
            Buffer.HTTP_USER_AGENT, Buffer.DNS_QUERY, Buffer.TLS_SNI};

    private final CompiledRules compiled;
    private final IpsSettings settings;
    private final InspectionRequest request;
    private static final int BUFFERS = Buffer.values().length;
    private final byte[][] headerBytes = new byte[BUFFERS][];
    private final SideState requestSide;
    private final SideState responseSide;
    private final RuleIndexes fired = new RuleIndexes();
    private Set<String> flowbits;
    private Verdict verdict = Verdict.clean();
    private boolean passed;
    private boolean closed;

    /** Takes over one reference on {@code compiled}, released by {@link #close()}. */
    IpsInspection(CompiledRules compiled, IpsSettings settings, InspectionRequest request) {
        this.compiled = compiled;
        this.settings = settings;
        this.request = request;
        this.requestSide = new SideState(Side.REQUEST);
        this.responseSide = new SideState(Side.RESPONSE);
        if (compiled.rules.length == 0) {
            return;
        }
        RuleIndexes candidates = new RuleIndexes();
        MatchListener collect = (id, from, to) -> {
            candidates.add(id);
            return true;
        };
        for (Buffer b : HEADER_BUFFERS) {
            Database db = compiled.header(b);
            byte[] bytes = db == null ? null : headerBytes(b);
            if (bytes != null && bytes.length > 0) {
                try (Scanner scanner = db.scanner()) {
                    scanner.scan(ByteBuffer.wrap(bytes), collect);
                }
            }
        }
        if (request.protocol() == Protocol.HTTP && compiled.requestStream != null) {
            requestSide.feed(ByteBuffer.wrap(rawRequestHead()));
        }
        for (int i = 0; i < candidates.size(); i++) {
            CompiledRule rule = compiled.rules[candidates.get(i)];
            if (rule == null) {
                continue;
            }
            if (rule.streamed) {
                requestSide.pending.hit(rule.index, -1); // triggered in a header: no stream position to anchor at
            } else {
                tryFire(rule, Side.REQUEST, -1);
            }
        }
        requestSide.confirmPending(false);
    }

    @Override
    public Verdict verdict() {
        String limits = requestSide.limitNote() + responseSide.limitNote();
        if (limits.isEmpty()) {
            return verdict;
        }
        return verdict.withNote(verdict.note().isEmpty() ? limits.substring(2) : verdict.note() + limits);
    }

    @Override
    public void headers(Direction direction, List<Header> headers) {
        if (!passed && compiled.rules.length > 0) {
            side(direction).decodeAs(headers);
        }
    }

    @Override
    public void body(Direction direction, ByteBuffer chunk) {
        if (!passed && compiled.rules.length > 0) {
            side(direction).body(chunk);
        }
    }

    @Override
    public void endOfBody(Direction direction) {
        if (!passed && compiled.rules.length > 0) {
            side(direction).end();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        requestSide.release();
        responseSide.release();
        compiled.release();
    }

    private SideState side(Direction direction) {
        return direction == Direction.REQUEST ? requestSide : responseSide;
    }

    // ---- deciding ----------------------------------------------------------------------------

    /**
     * Confirms a candidate on everything it asks for; fires it if all holds. {@code triggerEnd}
     * is the stream position where Hyperscan saw the trigger end, or -1 when not known.
     */
    private boolean tryFire(CompiledRule rule, Side side, long triggerEnd) {
        if (fired.contains(rule.index)) {
            return true;
        }
        if (!headerMatches(rule, side)) {
            return false;
        }
        for (int c = 0; c < rule.chains.length; c++) {
            Chain chain = rule.chains[c];
            ByteView bytes = view(chain.buffer, side);
            boolean ok;
            if (c == rule.triggerChain && triggerEnd >= 0) {
                long bufferStart = chain.buffer == Buffer.HTTP_REQUEST_BODY ? requestSide.bodyStart : 0;
                long start = triggerEnd - ((Content) rule.trigger).length() - bufferStart;
                ok = chain.matches(bytes, rule.triggerStep, start);
            } else {
                ok = chain.matches(bytes);
            }
            if (!ok) {
                return false;
            }
        }
        for (Flowbit f : rule.rule.flowbits()) {
            boolean set = flowbits != null && flowbits.contains(f.name());
            if (f.op() == Flowbit.Op.ISSET && !set || f.op() == Flowbit.Op.ISNOTSET && set) {
                return false;
            }
        }
        fired.add(rule.index);
        for (Flowbit f : rule.rule.flowbits()) {
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
        InetAddress src = toServer ? c.source() : c.destination();
        InetAddress dst = toServer ? c.destination() : c.source();
        int sp = toServer ? c.sourcePort() : c.destinationPort();
        int dp = toServer ? c.destinationPort() : c.sourcePort();
        return endpoints(rule, src, sp, dst, dp) || rule.bidirectional() && endpoints(rule, dst, dp, src, sp);
    }

    private static boolean endpoints(Rule rule, InetAddress src, int sp, InetAddress dst, int dp) {
        // Port 0 means the intake does not know the port: it cannot rule the rule out.
        return rule.source().matches(src) && rule.destination().matches(dst)
                && (sp == 0 || rule.sourcePorts().matches(sp)) && (dp == 0 || rule.destinationPorts().matches(dp));
    }

    private ByteView view(Buffer buffer, Side side) {
        return switch (buffer) {
            case RAW -> (side == Side.REQUEST ? requestSide : responseSide).window.view(0);
            case HTTP_REQUEST_BODY -> requestSide.window.view(requestSide.bodyStart);
            case HTTP_RESPONSE_BODY -> responseSide.window.view(0);
            default -> {
                byte[] bytes = headerBytes(buffer);
                yield bytes == null ? ByteView.EMPTY : ByteView.of(bytes);
            }
        };
    }

    // ---- the buffers of the request ----------------------------------------------------------

    private byte[] headerBytes(Buffer buffer) {
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
        requestSide.bodyStart = bytes.length;
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

    // ---- one direction's body ----------------------------------------------------------------

    /** The stream, window and pending candidates of one direction. */
    private final class SideState implements MatchListener {
        final Side side;
        final ByteWindow window;
        final Candidates pending = new Candidates();
        BodyDecoder decoder;
        String rawFallback;
        Stream stream;
        long bodyStart;
        long bodyBytes;
        boolean limited;
        boolean ended;

        SideState(Side side) {
            this.side = side;
            this.window = new ByteWindow(settings.windowBytes());
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
            Database db = database();
            if (db != null && stream == null) {
                try (Scanner scanner = db.scanner()) {
                    stream = scanner.openStream();
                }
            }
            int piece = Math.max(1, settings.windowBytes() / 2);
            for (int at = bytes.position(); at < bytes.limit(); at += piece) {
                ByteBuffer slice = bytes.slice(at, Math.min(piece, bytes.limit() - at));
                window.append(slice);
                if (stream != null) {
                    stream.scan(slice, this);
                }
                if (pending.size() > 0) {
                    confirmPending(false);
                }
            }
        }

        /**
         * Bodies are inspected as the application sees them (as Suricata's http body buffers are):
         * chunked framing and gzip/deflate removed as they pass. A body that cannot be decoded is
         * inspected as sent, and the verdict says so.
         */
        void decodeAs(List<Header> headers) {
            if (decoder != null || rawFallback != null) {
                return;
            }
            try {
                decoder = BodyDecoder.forHeaders(headers, Limits.DEFAULTS);
            } catch (BodyException e) {
                rawFallback = e.getMessage();
            }
        }

        void body(ByteBuffer chunk) {
            if (ended) {
                return;
            }
            if (decoder == null && rawFallback == null) {
                decodeAs(side == Side.REQUEST ? request.headers() : List.of());
            }
            if (decoder == null || decoder.isIdentity()) {
                inspect(chunk);
                return;
            }
            try {
                decoder.decode(chunk.duplicate(), decoded -> inspect(decoded));
            } catch (IOException e) {
                undecodable(e, chunk);
            }
        }

        private void undecodable(IOException e, ByteBuffer chunk) {
            rawFallback = e.getMessage();
            decoder.close();
            decoder = null;
            inspect(chunk); // from here on, as sent
        }

        private void inspect(ByteBuffer chunk) {
            long room = settings.maxBodyBytes() - bodyBytes;
            if (room <= 0) {
                limited = chunk.hasRemaining() || limited;
                return;
            }
            ByteBuffer part = chunk;
            if (chunk.remaining() > room) {
                part = chunk.slice(chunk.position(), (int) room);
                limited = true;
            }
            bodyBytes += part.remaining();
            if (database() == null && pending.size() == 0) {
                return; // no rule looks at this direction's bodies
            }
            feed(part);
        }

        void end() {
            if (ended) {
                return;
            }
            if (decoder != null) {
                try {
                    decoder.finish(decoded -> inspect(decoded));
                } catch (IOException e) {
                    rawFallback = e.getMessage();
                }
                decoder.close();
                decoder = null;
            }
            if (stream != null) {
                stream.end(this);
                stream = null;
            }
            ended = true;
            confirmPending(true);
        }

        /** Hyperscan found a trigger in this direction's stream, ending at stream position {@code to}. */
        @Override
        public boolean onMatch(int id, long from, long to) {
            if (!fired.contains(id)) {
                pending.hit(id, to);
            }
            return true;
        }

        /**
         * Tries the pending candidates that have new bytes to be tried on: anchored at each
         * recorded trigger position when the trigger is a content, on the whole window otherwise.
         * A candidate whose triggers left the window, or any at the end of the stream, is dropped.
         */
        void confirmPending(boolean atEnd) {
            long end = window.end();
            long held = window.view(0).firstPosition();
            long unbounded = Math.max(1, settings.windowBytes() / 2);
            for (int i = pending.size() - 1; i >= 0; i--) {
                CompiledRule rule = compiled.rules[pending.rule(i)];
                if (rule == null || fired.contains(rule.index)) {
                    pending.removeAt(i);
                    continue;
                }
                if (rule.needsStreamEnd && !atEnd) {
                    continue;
                }
                boolean done;
                if (rule.triggerChain >= 0 && pending.ends(i) > 0 && !rule.needsStreamEnd) {
                    done = confirmOccurrences(rule, i, atEnd, end, held, rule.reachAfterTrigger < 0 ? unbounded : rule.reachAfterTrigger);
                } else {
                    boolean worthATry = pending.fresh(i) || rule.waitsForLaterBytes && pending.triedUpTo(i) < end
                            || atEnd && rule.needsStreamEnd;
                    done = false;
                    if (worthATry) {
                        pending.tried(i, end);
                        done = tryAll(rule, i);
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
            while (pending.ends(i) > 0) {
                long triggerEnd = pending.oldestEnd(i);
                if (!atEnd && triggerEnd + reach > end && !pending.full(i)) {
                    return false; // wait for the bytes after it
                }
                pending.dropOldest(i);
                if (triggerEnd >= held && tryFire(rule, side, triggerEnd)) {
                    return true;
                }
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

        private boolean tryAll(CompiledRule rule, int i) {
            int n = pending.ends(i);
            if (rule.triggerChain < 0 || n == 0) {
                return tryFire(rule, side, -1);
            }
            for (int k = 0; k < n; k++) {
                if (tryFire(rule, side, pending.end(i, k))) {
                    return true;
                }
            }
            return false;
        }

        String limitNote() {
            String what = side == Side.REQUEST ? "request" : "response";
            String decoding = rawFallback == null ? "" : "; the " + what + " body could not be decoded (" + rawFallback
                    + "): inspected as sent";
            if (!limited && !pending.overflowed()) {
                return decoding;
            }
            return decoding + limitOnly(what);
        }

        private String limitOnly(String what) {
            return limited ? "; inspected the first " + settings.maxBodyBytes() + " bytes of the " + what + " body only"
                    : "; too many candidate rules in the " + what + ", some were not confirmed";
        }

        void release() {
            if (decoder != null) {
                decoder.close();
                decoder = null;
            }
            if (stream != null) {
                stream.close();
                stream = null;
            }
        }
    }
}
