package org.omamori.grading;

import java.net.InetAddress;
import java.util.Objects;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.Event;
import org.omamori.events.Result;

/**
 * What the star table looks at, taken from an event, and what an alert keeps so that it can be
 * re-evaluated later ({@link Reevaluation}): never content, only what the event itself carries.
 *
 * @param zones      where the traffic came from and went to
 * @param flow       the way it went, from the zones
 * @param peer       the other side: the server for outbound and internal traffic, the client for inbound
 * @param serverName HTTP Host, SNI or CONNECT target; empty when unknown
 * @param url        the URL for HTTP; empty otherwise
 * @param dnsName    the queried name for DNS; empty otherwise
 * @param function   the security function that gave the result
 * @param engineId   the engine that gave it
 * @param ruleId     the engine's rule, e.g. {@code sid:9000012}, {@code category:c2}, {@code clamav:Eicar-Signature}
 * @param ruleName   the rule's name
 * @param result     what the appliance did
 * @param level      severity
 * @param confidence 0 to 100
 * @param evidence   what it is evidence of
 */
public record Facts(ZonePair zones, Flow flow, InetAddress peer, String serverName, String url, String dnsName,
                    SecurityFunction function, String engineId, String ruleId, String ruleName, Result result,
                    Level level, int confidence, Evidence evidence) {

    public Facts {
        Objects.requireNonNull(zones, "zones");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(dnsName, "dnsName");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(engineId, "engineId");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(evidence, "evidence");
    }

    public static Facts of(Event e) {
        Flow flow = Flow.of(e.zones());
        InetAddress peer = flow == Flow.INBOUND ? e.source() : e.destination();
        return new Facts(e.zones(), flow, peer, e.host(), e.url(), e.dnsName(), e.function(), e.engineId(),
                e.ruleId(), e.ruleName(), e.result(), e.level(), e.confidence(), e.evidence());
    }

    /**
     * These facts with another engine's finding on the same traffic, as the cloud's re-evaluation
     * gives it: what the appliance did (the result) stays.
     */
    public Facts withFinding(String engine, SecurityFunction by, Finding finding) {
        return new Facts(zones, flow, peer, serverName, url, dnsName, by, engine, finding.ruleId(),
                finding.ruleName(), result, finding.level(), finding.confidence(), finding.evidence());
    }

    /**
     * The other side as repeats are compared: the server's name when known (a C2 domain keeps its
     * name when its address changes), else the DNS name, else the address.
     */
    public String peerKey() {
        if (flow != Flow.INBOUND && !serverName.isEmpty()) {
            return serverName;
        }
        if (flow != Flow.INBOUND && !dnsName.isEmpty()) {
            return dnsName;
        }
        return peer.getHostAddress();
    }

    /** What the customer can recognise the other side by: the URL, else the name, else the address. */
    public String target() {
        if (!url.isEmpty()) {
            return url;
        }
        return peerKey();
    }
}
