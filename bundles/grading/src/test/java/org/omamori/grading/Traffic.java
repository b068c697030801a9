package org.omamori.grading;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventIds;
import org.threeten.extra.MutableClock;

/** Events as the appliance makes them, from the findings the real engines give, at chosen times. */
final class Traffic {

    static final EngineDescriptor IPS = new EngineDescriptor("ips-hyperscan", "1.0.0", Set.of(SecurityFunction.IPS));
    static final EngineDescriptor URL = new EngineDescriptor("urlfilter", "1.0.0", Set.of(SecurityFunction.URL_FILTERING));
    static final EngineDescriptor AV = new EngineDescriptor("av-clamav", "1.0.0", Set.of(SecurityFunction.ANTIVIRUS));

    // Findings exactly as the engines build them (rules/omamori.rules, categories.conf, AvEngine).
    static final Finding C2_BEACON = new Finding("sid:9000012", "OMAMORI C2 beacon POST to /c2/beacon", Level.CRITICAL, 80,
            Evidence.INFECTION);
    static final Finding C2_CATEGORY = new Finding("category:c2", "不正通信先 (C&C) / Command and control", Level.CRITICAL, 100,
            Evidence.INFECTION);
    static final Finding PHISHING = new Finding("category:phishing", "フィッシング詐欺 / Phishing", Level.HIGH, 100, Evidence.PHISHING);
    static final Finding MALWARE_SITE = new Finding("category:malware", "マルウェア配布 / Malware distribution", Level.HIGH, 100,
            Evidence.MALWARE);
    static final Finding NEWS = new Finding("category:news", "ニュース / News", Level.LOW, 100, Evidence.NONE);
    static final Finding NOT_SCANNED = new Finding("av:not-scanned", "ウイルス未検査 / Not scanned for viruses", Level.MEDIUM, 100,
            Evidence.UNSCANNED);
    static final Finding SQLI = new Finding("sid:9000001", "OMAMORI WEB SQL injection UNION SELECT in URI", Level.HIGH, 80,
            Evidence.EXPLOIT_ATTEMPT);
    static final Finding NIKTO = new Finding("sid:9000015", "OMAMORI SCAN Nikto user agent", Level.MEDIUM, 80, Evidence.RECONNAISSANCE);
    static final Finding NEW_DOMAIN = new Finding("sid:2027865", "ET INFO Observed DNS Query to .cloud TLD", Level.MEDIUM, 80,
            Evidence.SUSPICIOUS);
    static final Finding WEAK_C2 = new Finding("sid:2030000", "ET MALWARE Possible beacon (low confidence)", Level.HIGH, 40,
            Evidence.INFECTION);

    static Finding virus(String signature) {
        return new Finding("clamav:" + signature, signature, Level.HIGH, 100, Evidence.MALWARE);
    }

    static Verdict infected(String signature) {
        return Verdict.neutralise(virus(signature)).withNote("infected: " + signature + " in the response body");
    }

    static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z");
    static final String PC = "192.168.1.23";
    static final String PC_MAC = "00:1a:2b:3c:4d:5e";
    static final String SERVER = "192.168.1.80";

    /** A clock the test moves; the factory and the id maker read it. */
    final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    final EventFactory factory = new EventFactory(new ApplianceId("00a0de123456"), new EventIds(clock), clock);

    Traffic at(Duration sinceStart) {
        clock.setInstant(T0.plus(sinceStart));
        return this;
    }

    static Connection outbound(String host, String to) {
        return new Connection(ZonePair.LAN_TO_WAN, ip(host), 51515, ip(to), 80, Optional.of(MacAddress.parse(PC_MAC)));
    }

    static Connection outboundNoMac(String host, String to) {
        return new Connection(ZonePair.LAN_TO_WAN, ip(host), 51515, ip(to), 80, Optional.empty());
    }

    static Connection inbound(String from, String server) {
        return new Connection(new ZonePair(Zone.WAN, Zone.LAN), ip(from), 40000, ip(server), 443, Optional.empty());
    }

    static InetAddress ip(String literal) {
        return org.omamori.events.IpLiteral.parse(literal);
    }

    Event http(String url, EngineDescriptor engine, Verdict verdict) {
        return http(outbound(PC, "203.0.113.7"), url, engine, verdict);
    }

    Event http(Connection c, String url, EngineDescriptor engine, Verdict verdict) {
        return one(InspectionRequest.http("GET", url).connection(c).build(), engine, verdict, false);
    }

    Event dns(String name, Verdict verdict) {
        InspectionRequest r = InspectionRequest.dns(name)
                .connection(new Connection(ZonePair.LAN_TO_WAN, ip(PC), 53000, ip("192.0.2.53"), 53,
                        Optional.of(MacAddress.parse(PC_MAC))))
                .build();
        return one(r, URL, verdict, true);
    }

    Event one(InspectionRequest request, EngineDescriptor engine, Verdict verdict, boolean logAccess) {
        List<Event> events = factory.of(request, new PipelineResult(verdict,
                List.of(new EngineResult(engine, EngineResult.Outcome.DECIDED, verdict, "", Duration.ofMillis(1)))), logAccess);
        if (events.size() != 1) {
            throw new AssertionError("expected one event from " + verdict + " but got " + events);
        }
        return events.getFirst();
    }
}
