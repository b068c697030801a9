package org.omamori.monitor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.store.Heartbeat;

/** Events as appliances send them, at chosen times. */
final class Traffic {

    static final ZonePair OUT = new ZonePair(new Zone("lan"), new Zone("wan"));

    private Traffic() {
    }

    static Event c2(ApplianceId appliance, Instant at, String host) {
        return threat(appliance, at, host, "evil-c2.example", "ips", "ips-hyperscan", "sid:9000012", "C2 beacon",
                Result.BLOCK, Evidence.INFECTION);
    }

    static Event phishing(ApplianceId appliance, Instant at, String host) {
        return threat(appliance, at, host, "login-bank.example", "url-filtering", "urlfilter", "category:phishing",
                "phishing", Result.BLOCK, Evidence.PHISHING);
    }

    static Event browsing(ApplianceId appliance, Instant at, String host) {
        return event(appliance, at, Kind.ACCESS, host, "www.example.jp", "url-filtering", "urlfilter", "", "", Result.PASS,
                Evidence.NONE);
    }

    static Event threat(ApplianceId appliance, Instant at, String host, String server, String function, String engine,
                        String rule, String name, Result result, Evidence evidence) {
        return event(appliance, at, Kind.THREAT, host, server, function, engine, rule, name, result, evidence);
    }

    private static Event event(ApplianceId appliance, Instant at, Kind kind, String host, String server, String function,
                               String engine, String rule, String name, Result result, Evidence evidence) {
        return new Event(new EventIds(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)).next(), appliance, at, kind, OUT,
                address(host), 50000, address("203.0.113.7"), 443, Optional.empty(), server, "https://" + server + "/",
                "", new SecurityFunction(function), engine, "1.0", rule, name, result,
                kind == Kind.THREAT ? Level.HIGH : Level.LOW, 90, evidence, "");
    }

    static Heartbeat heartbeat(Instant at) {
        return new Heartbeat(at, at.minusSeconds(3600), "1.0.0", Map.of(), Map.of(), Map.of());
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
