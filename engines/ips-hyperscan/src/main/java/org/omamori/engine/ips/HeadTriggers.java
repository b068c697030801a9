package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.util.List;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Protocol;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.hyperscan.MatchListener;

/**
 * The rules an {@link IpsInspection}'s heads trigger, found and sent where they are decided: the
 * request's header buffers are scanned whole when it arrives (its raw head streamed) and the
 * address-only rules looked up by its endpoints; the response's head and the TLS hellos when they
 * come. A candidate is tried at once, left pending in its direction's stream when a stream buffer
 * of it is still to come, or kept for the response when it is a response rule triggered by the
 * request. Static: an exchange's head is scanned once or twice, with no object made for it.
 */
final class HeadTriggers {

    private HeadTriggers() {
    }

    /** The header buffers scanned whole, the raw request head streamed; candidates confirmed. */
    static void request(IpsInspection x) {
        CompiledRules compiled = x.compiled;
        if (compiled.headerOnly != null) {
            addressOnly(x);
        }
        boolean streamHead = x.request.protocol() == Protocol.HTTP && compiled.requestStream != null;
        if (compiled.headerBuffers.length == 0 && !streamHead) {
            return; // no rule looks at the request's head
        }
        if (streamHead) {
            x.state(Side.REQUEST); // taken now, not after the first view: it lends the views' array (viewArray)
        }
        RuleIndexes candidates = null;
        MatchListener collect = null;
        HeadScanners heads = null; // the request state's, taken only when a buffer is to be scanned
        // those of the response and the client's hello are scanned when they arrive; those the protocol has not are empty
        for (Buffer b : compiled.requestHeadBuffers(x.request.protocol())) {
            ByteView bytes = x.headerView(b);
            if (bytes.length() > 0) { // an empty or absent buffer triggers nothing: no scan
                if (collect == null) {
                    SideState s = x.state(Side.REQUEST);
                    heads = s.heads;
                    candidates = s.loans.headCandidates; // the pooled state's, empty: no set and listener made per exchange
                    collect = s.loans.collectHead;
                }
                heads.scan(compiled, b, bytes, collect);
            }
        }
        if (streamHead) {
            ByteView head = x.rawRequestHead();
            SideState s = x.state(Side.REQUEST);
            s.bodyStart = head.length();
            s.feed(head.data(), head.offset(), head.offset() + head.length()); // the view's stretch, no slice
        }
        for (int i = 0; candidates != null && i < candidates.size(); i++) {
            CompiledRule rule = compiled.rules[candidates.get(i)];
            if (rule != null) {
                route(x, rule, Side.REQUEST);
            }
        }
        x.confirmRequestPending();
    }

    /**
     * The address-only rules whose addresses the exchange has: fired on the request's side now; on
     * the response's when its headers come (HTTP), or now for intakes that report no response
     * (TLS by SNI, DNS), as the server's answer is what such a rule would see.
     */
    private static void addressOnly(IpsInspection x) {
        Connection c = x.request.connection();
        boolean responseComes = x.request.protocol() == Protocol.HTTP;
        x.compiled.headerOnly.candidates(c.source().getAddress(), c.destination().getAddress(), index -> {
            CompiledRule rule = x.compiled.rules[index];
            if (rule == null || x.passed()) {
                return;
            }
            if (rule.sides.contains(Side.REQUEST) && x.tryFire(rule, Side.REQUEST, -1) && !responseComes) {
                return; // no response direction is seen (TLS by SNI, DNS, raw streams): one alert for the exchange
            }
            if (rule.sides.contains(Side.RESPONSE)) { // HTTP: a rule for both directions alerts in each, as Suricata's per packet
                if (responseComes) {
                    x.deferred().add(index);
                } else {
                    x.tryFire(rule, Side.RESPONSE, -1);
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
    static void late(IpsInspection x, Side side) {
        boolean response = side == Side.RESPONSE;
        RuleIndexes deferred = response ? x.takeDeferred() : null;
        ExchangeLoans loans = x.loans();
        RuleIndexes candidates;
        MatchListener collect;
        if (loans != null) {
            // the request state's set and listener, empty: none made per response head (the deferred rules first, in order)
            candidates = loans.lateCandidates;
            collect = loans.collectLate;
            for (int i = 0; deferred != null && i < deferred.size(); i++) {
                candidates.add(deferred.get(i));
            }
        } else {
            RuleIndexes own = deferred != null ? deferred : new RuleIndexes();
            candidates = own;
            collect = (id, from, to) -> {
                own.add(id);
                return true;
            };
        }
        try {
            late(x, side, candidates, collect);
        } finally {
            if (loans != null) {
                candidates.clear();
            }
        }
    }

    private static void late(IpsInspection x, Side side, RuleIndexes candidates, MatchListener collect) {
        boolean response = side == Side.RESPONSE;
        CompiledRules compiled = x.compiled;
        for (Buffer b : compiled.headerBuffers) {
            if (response ? !b.responseHead() : !b.tlsClientHello()) {
                continue;
            }
            if (b == Buffer.TLS_CERTS) {
                for (byte[] der : x.tls == null ? List.<byte[]>of() : x.tls.chain()) {
                    x.state(side).heads.scan(compiled, b, ByteBuffer.wrap(der), collect);
                }
            } else {
                ByteView bytes = x.headerView(b);
                if (bytes.length() > 0) {
                    x.state(side).heads.scan(compiled, b, bytes, collect);
                }
            }
        }
        for (int i = 0; i < candidates.size() && !x.passed(); i++) {
            CompiledRule rule = compiled.rules[candidates.get(i)];
            if (rule != null) {
                route(x, rule, side);
            }
        }
    }

    /** A candidate triggered in a head on {@code side}: tried now, pending in its stream, or (a response rule the request triggered) kept for the response. */
    private static void route(IpsInspection x, CompiledRule rule, Side side) {
        if (!rule.sides.contains(side)) {
            if (side == Side.REQUEST) {
                x.deferred().add(rule.index); // a response rule triggered in the request's head: tried when the response comes
            }
        } else if (rule.streamed) {
            x.state(side).pending.hit(rule.index, -1, false); // triggered in a header: no stream position to anchor at
        } else {
            x.tryFire(rule, side, -1);
        }
    }
}
