package org.omamori.events;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;

/**
 * All an event says but its id, appliance, time, client port and count: what makes two events of
 * one appliance the same thing, so the key the DNS filter's events are folded under
 * ({@link EventTally#everyFact()}, decision 0028). {@link EventFactory#facts} makes it from an
 * inspection before any event, so a tally can count an occurrence whose key it already holds
 * without making the event; {@link #of(Event)} takes it from an event, and the two are equal for
 * the same inspection. Immutable; the hash is worked out once (a stripe, a look-up and an insert
 * each ask for it).
 */
public final class EventFacts {

    private final Kind kind;
    private final ZonePair zones;
    private final InetAddress source;
    private final InetAddress destination;
    private final int destinationPort;
    private final Optional<MacAddress> mac;
    private final String host;
    private final String url;
    private final String dnsName;
    private final SecurityFunction function;
    private final String engineId;
    private final String engineVersion;
    private final String ruleId;
    private final String ruleName;
    private final Result result;
    private final Level level;
    private final int confidence;
    private final Evidence evidence;
    private final String note;
    private final int hash;

    EventFacts(Kind kind, ZonePair zones, InetAddress source, InetAddress destination, int destinationPort,
               Optional<MacAddress> mac, String host, String url, String dnsName, SecurityFunction function,
               String engineId, String engineVersion, String ruleId, String ruleName, Result result, Level level,
               int confidence, Evidence evidence, String note) {
        this.kind = kind;
        this.zones = zones;
        this.source = source;
        this.destination = destination;
        this.destinationPort = destinationPort;
        this.mac = mac;
        this.host = host;
        this.url = url;
        this.dnsName = dnsName;
        this.function = function;
        this.engineId = engineId;
        this.engineVersion = engineVersion;
        this.ruleId = ruleId;
        this.ruleName = ruleName;
        this.result = result;
        this.level = level;
        this.confidence = confidence;
        this.evidence = evidence;
        this.note = note;
        int h = mix(mix(mix(mix(mix(mix(mix(mix(1, kind), dnsName), source), mac), zones), destination), host), url);
        h = mix(mix(mix(mix(mix(mix(mix(mix(mix(h, function), engineId), engineVersion), ruleId), ruleName), result),
                level), evidence), note);
        this.hash = 31 * (31 * h + destinationPort) + confidence;
    }

    /** The facts of an event. */
    public static EventFacts of(Event e) {
        return new EventFacts(e.kind(), e.zones(), e.source(), e.destination(), e.destinationPort(), e.mac(), e.host(),
                e.url(), e.dnsName(), e.function(), e.engineId(), e.engineVersion(), e.ruleId(), e.ruleName(), e.result(),
                e.level(), e.confidence(), e.evidence(), e.note());
    }

    public Kind kind() {
        return kind;
    }

    /** The event these facts describe, one occurrence at {@code time} from the client's {@code sourcePort}. */
    Event event(EventId id, ApplianceId appliance, Instant time, int sourcePort) {
        return new Event(id, appliance, time, kind, zones, source, sourcePort, destination, destinationPort, mac, host, url,
                dnsName, function, engineId, engineVersion, ruleId, ruleName, result, level, confidence, evidence, note);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof EventFacts f && hash == f.hash && destinationPort == f.destinationPort
                && confidence == f.confidence && kind == f.kind && result == f.result && level == f.level
                && dnsName.equals(f.dnsName) && source.equals(f.source) && same(zones, f.zones)
                && destination.equals(f.destination) && same(mac, f.mac) && host.equals(f.host) && url.equals(f.url)
                && same(function, f.function) && engineId.equals(f.engineId) && engineVersion.equals(f.engineVersion)
                && ruleId.equals(f.ruleId) && ruleName.equals(f.ruleName) && same(evidence, f.evidence)
                && note.equals(f.note);
    }

    @Override
    public String toString() {
        return "EventFacts[" + kind + " " + dnsName + host + url + " from " + source.getHostAddress() + " " + ruleId + " " + result + "]";
    }

    /** Equal, asking the record's {@code equals} only when not the same object (they mostly are: one intake's constants). */
    private static boolean same(Object a, Object b) {
        return a == b || a.equals(b);
    }

    /** One more fact into a hash, as {@code Objects.hash} does it, without its array. */
    private static int mix(int h, Object fact) {
        return 31 * h + Objects.hashCode(fact);
    }
}
