package org.omamori.cloud;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;

/** Events and request bodies for the tests, written as the appliance writes them. */
final class TestEvents {

    static final ApplianceId APPLIANCE = new ApplianceId("00a0de123456");
    static final ApplianceId OTHER = new ApplianceId("00a0de999999");

    private final EventIds ids = new EventIds();

    Event threat(ApplianceId appliance, Instant time) {
        try {
            return new Event(ids.next(), appliance, time, Kind.THREAT, ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.10"),
                    51515, InetAddress.getByName("203.0.113.7"), 443, Optional.empty(), "evil.example",
                    "https://evil.example/login?id=1", "", SecurityFunction.IPS, "ips-hyperscan", "1.0.0", "sid:1000001",
                    "SQL injection in URI", Result.BLOCK, Level.HIGH, 90, Evidence.EXPLOIT_ATTEMPT, "");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Event> threats(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(threat(APPLIANCE, Instant.now()));
        }
        return events;
    }

    static String batch(ApplianceId appliance, List<Event> events) {
        return "{\"appliance\":\"" + appliance + "\",\"events\":["
                + events.stream().map(e -> CloudFixture.utf8(EventCodec.toJson(e))).collect(Collectors.joining(",")) + "]}";
    }

    static String heartbeat(ApplianceId appliance) {
        Instant now = Instant.now();
        return "{\"appliance\":\"" + appliance + "\",\"time\":\"" + now + "\",\"startedAt\":\"" + now.minusSeconds(600)
                + "\",\"firmwareVersion\":\"1.2.3\",\"runtime\":{\"arch\":\"amd64\",\"java\":\"25+36-LTS\",\"os\":\"Linux 6.1\"},"
                + "\"definitions\":{\"ips\":\"2026.11.23.1\"},\"counters\":{\"spooled\":10,\"sent\":8,\"dropped\":0,"
                + "\"quarantined\":0,\"pending\":2,\"spoolBytes\":4096},\"lastSuccess\":null}";
    }
}
