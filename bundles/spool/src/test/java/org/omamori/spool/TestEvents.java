package org.omamori.spool;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;

/** Events for tests, with ids strictly increasing in making order. */
public final class TestEvents {

    public static final ApplianceId APPLIANCE = new ApplianceId("00a0de123456");

    private final EventIds ids = new EventIds();
    private final EventFactory factory = new EventFactory(APPLIANCE, ids, java.time.Clock.systemUTC());
    private final InetAddress client;
    private final InetAddress server;

    public TestEvents() {
        try {
            client = InetAddress.getByName("192.168.1.10");
            server = InetAddress.getByName("203.0.113.7");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public EventFactory factory() {
        return factory;
    }

    public Event threat() {
        return new Event(ids.next(), APPLIANCE, Instant.now(), Kind.THREAT, ZonePair.LAN_TO_WAN, client, 51515, server, 443,
                Optional.empty(), "evil.example", "https://evil.example/payload.exe", "", SecurityFunction.IPS, "ips-hyperscan",
                "1.0.0", "sid:2100498", "GPL ATTACK_RESPONSE id check returned root", Result.BLOCK, Level.HIGH, 90,
                Evidence.EXPLOIT_ATTEMPT, "");
    }

    public Event access() {
        return new Event(ids.next(), APPLIANCE, Instant.now(), Kind.ACCESS, ZonePair.LAN_TO_WAN, client, 51516, server, 80,
                Optional.empty(), "www.example.jp", "http://www.example.jp/news/2026/11/23/index.html?page=1", "",
                SecurityFunction.URL_FILTERING, "urlfilter", "1.0.0", "category:news", "News", Result.PASS, Level.LOW, 100,
                Evidence.NONE, "");
    }

    /** An access-log event with the given URL, rule name and note (any text an event may hold). */
    public Event access(String url, String ruleName, String note) {
        return new Event(ids.next(), APPLIANCE, Instant.now(), Kind.ACCESS, ZonePair.LAN_TO_WAN, client, 51516, server, 80,
                Optional.empty(), "www.example.jp", url, "", SecurityFunction.URL_FILTERING, "urlfilter", "1.0.0", "category:news",
                ruleName, Result.PASS, Level.LOW, 100, Evidence.NONE, note);
    }

    public List<Event> access(int n) {
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(access());
        }
        return events;
    }

    public List<Event> threats(int n) {
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(threat());
        }
        return events;
    }

    /** n events, every tenth a threat, the rest access logs. */
    public List<Event> mixed(int n) {
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(i % 10 == 0 ? threat() : access());
        }
        return events;
    }
}
