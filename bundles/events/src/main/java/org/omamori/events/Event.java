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
 * One engine result on one request, as the appliance reports it (000 §2: addresses, ports, MAC,
 * URL, names, time — never content). Text fields are bounded; absent text is an empty string.
 * Text fields never hold a control character: the constructor writes each as {@code \xNN}
 * ({@link EventText}), so whoever makes an event, hostile traffic cannot put NUL, CR or LF into the
 * cloud's database or mail. The bound applies to the escaped text.
 *
 * @param id              time-ordered unique id made on the appliance
 * @param appliance       the appliance that saw it
 * @param time            when the result was given
 * @param kind            threat, access log or the appliance's own record
 * @param zones           where the traffic came from and went to
 * @param source          client address
 * @param sourcePort      client port, 0 when unknown
 * @param destination     server address
 * @param destinationPort server port, 0 when unknown
 * @param mac             the client's MAC when the appliance sees it
 * @param host            server name (HTTP Host, SNI, CONNECT target)
 * @param url             the URL for HTTP; empty otherwise
 * @param dnsName         the queried name for DNS; empty otherwise
 * @param function        the security function that gave the result
 * @param engineId        the engine's id
 * @param engineVersion   the engine's version
 * @param ruleId          rule or signature id, e.g. {@code sid:2100498}; empty when none
 * @param ruleName        rule or signature name; empty when none
 * @param result          what the appliance did
 * @param level           severity
 * @param confidence      0 to 100
 * @param evidence        what it is evidence of for grading
 * @param note            why, in a few words (e.g. why something was not scanned)
 * @param count           how many occurrences the event stands for: 1, or more when the appliance folded
 *                        repeats of the same thing into one event (the DNS filter's allowed names per
 *                        window; a looping client's blocks of one name past the first few, decision 0028)
 * @param last            when the last of them happened; {@code time} is the first; equal to {@code time}
 *                        when {@code count} is 1
 */
public record Event(EventId id, ApplianceId appliance, Instant time, Kind kind, ZonePair zones,
                    InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                    Optional<MacAddress> mac, String host, String url, String dnsName,
                    SecurityFunction function, String engineId, String engineVersion,
                    String ruleId, String ruleName, Result result, Level level, int confidence,
                    Evidence evidence, String note, long count, Instant last) {

    /** Longest URL kept; longer ones are cut by {@link EventFactory} and refused by the codec. */
    public static final int MAX_URL = 2048;
    /** Longest host or DNS name (RFC 1035: 253 characters, some slack for literals). */
    public static final int MAX_NAME = 255;
    /** Longest of the other text fields. */
    public static final int MAX_TEXT = 512;
    /** Most occurrences one event may stand for; an appliance starts another event before. */
    public static final long MAX_COUNT = Integer.MAX_VALUE;

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appliance, "appliance");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(zones, "zones");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(evidence, "evidence");
        port(sourcePort, "sourcePort");
        port(destinationPort, "destinationPort");
        String givenHost = host;
        host = escaped(host, "host");
        url = escaped(url, "url");
        // a DNS event's host is its name, the same string: escaped once (escaping is a function of the text)
        dnsName = dnsName == givenHost ? host : escaped(dnsName, "dnsName");
        engineId = escaped(engineId, "engineId");
        engineVersion = escaped(engineVersion, "engineVersion");
        ruleId = escaped(ruleId, "ruleId");
        ruleName = escaped(ruleName, "ruleName");
        note = escaped(note, "note");
        bounded(host, MAX_NAME, "host");
        bounded(url, MAX_URL, "url");
        bounded(dnsName, MAX_NAME, "dnsName");
        bounded(engineId, MAX_TEXT, "engineId");
        bounded(engineVersion, MAX_TEXT, "engineVersion");
        bounded(ruleId, MAX_TEXT, "ruleId");
        bounded(ruleName, MAX_TEXT, "ruleName");
        bounded(note, MAX_TEXT, "note");
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0..100: " + confidence);
        }
        Objects.requireNonNull(last, "last");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be 1.." + MAX_COUNT + ": " + count);
        }
        if (last.isBefore(time)) {
            throw new IllegalArgumentException("last " + last + " is before time " + time);
        }
        if (count == 1 && !last.equals(time)) {
            throw new IllegalArgumentException("one occurrence has one time: last " + last + " is not time " + time);
        }
    }

    /** One occurrence (count 1, last = time): the form of every event before counts existed. */
    public Event(EventId id, ApplianceId appliance, Instant time, Kind kind, ZonePair zones,
                 InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                 Optional<MacAddress> mac, String host, String url, String dnsName,
                 SecurityFunction function, String engineId, String engineVersion,
                 String ruleId, String ruleName, Result result, Level level, int confidence,
                 Evidence evidence, String note) {
        this(id, appliance, time, kind, zones, source, sourcePort, destination, destinationPort, mac, host, url, dnsName,
                function, engineId, engineVersion, ruleId, ruleName, result, level, confidence, evidence, note, 1, time);
    }

    /**
     * This event standing for {@code count} occurrences from its {@code time} to {@code last}, with
     * its own id: what an appliance sends for repeats it folded together (the id of the first
     * occurrence folded in, so each folded event has an id of its own).
     */
    public Event withCount(long count, Instant last) {
        return new Event(id, appliance, time, kind, zones, source, sourcePort, destination, destinationPort, mac, host, url,
                dnsName, function, engineId, engineVersion, ruleId, ruleName, result, level, confidence, evidence, note,
                count, last);
    }

    private static void port(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
    }

    private static String escaped(String text, String name) {
        return EventText.escape(Objects.requireNonNull(text, name));
    }

    private static void bounded(String text, int max, String name) {
        Objects.requireNonNull(text, name);
        if (text.length() > max) {
            throw new IllegalArgumentException(name + " longer than " + max + " characters");
        }
    }
}
