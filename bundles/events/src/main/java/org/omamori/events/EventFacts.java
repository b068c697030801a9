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
 * the same inspection. Immutable to everyone outside this package; the hash is worked out once (a
 * stripe, a look-up and an insert each ask for it). Inside it, {@link EventTally} looks a key up
 * with a per-thread probe that it sets afresh for each occurrence ({@link #set}) and holds only a
 * {@link #copy}, so an occurrence of a key it holds makes no facts object at all.
 */
public final class EventFacts {

    private Kind kind;
    private ZonePair zones;
    private InetAddress source;
    private InetAddress destination;
    private int destinationPort;
    private Optional<MacAddress> mac;
    private String host;
    private String url;
    private String dnsName;
    private SecurityFunction function;
    private String engineId;
    private String engineVersion;
    private String ruleId;
    private String ruleName;
    private Result result;
    private Level level;
    private int confidence;
    private Evidence evidence;
    private String note;
    private int hash;

    EventFacts(Kind kind, ZonePair zones, InetAddress source, InetAddress destination, int destinationPort,
               Optional<MacAddress> mac, String host, String url, String dnsName, SecurityFunction function,
               String engineId, String engineVersion, String ruleId, String ruleName, Result result, Level level,
               int confidence, Evidence evidence, String note) {
        set(kind, zones, source, destination, destinationPort, mac, host, url, dnsName, function, engineId, engineVersion,
                ruleId, ruleName, result, level, confidence, evidence, note);
    }

    /** A probe: {@link #set} before each use, never held by a table (see the class comment). */
    EventFacts() {
    }

    /** These facts, as a key a table may hold: what a probe found missing. */
    EventFacts copy() {
        EventFacts c = new EventFacts();
        c.set(kind, zones, source, destination, destinationPort, mac, host, url, dnsName, function, engineId, engineVersion,
                ruleId, ruleName, result, level, confidence, evidence, note);
        return c;
    }

    /** Sets every fact and the hash: only in the constructors and on a probe. */
    void set(Kind kind, ZonePair zones, InetAddress source, InetAddress destination, int destinationPort,
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
        // The facts that tell one key from another within an intake: the others (zones, engine,
        // level, the note made from the matched entry...) follow from these or are one intake's
        // constants. equals still compares every fact; hashing each of them (a record's hashCode,
        // a new note's characters) was 6 % of the DNS filter's receiving threads' samples.
        int h = mix(mix(mix(mix(mix(mix(1, kind), dnsName), source), host), url), ruleId);
        this.hash = 31 * (31 * h + (result == null ? 0 : result.ordinal())) + destinationPort;
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

    /** One more fact into a hash, as {@code Objects.hash} does it, without its array (a key is made for every event). */
    static int mix(int h, Object fact) {
        return 31 * h + Objects.hashCode(fact);
    }
}
