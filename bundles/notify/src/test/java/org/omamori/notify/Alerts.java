package org.omamori.notify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Result;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertId;
import org.omamori.grading.Facts;
import org.omamori.grading.Flow;
import org.omamori.grading.Grade;
import org.omamori.grading.InternalHost;

/** Alerts as grading makes them, built by hand. */
final class Alerts {

    static final ApplianceRef HONSHA = new ApplianceRef(new ApplianceId("0a1b2c3d4e5f"), "本社 1F");
    static final InternalHost PC = new InternalHost(ip("192.168.1.23"), Optional.of(MacAddress.parse("00:1a:2b:3c:4d:5e")));
    static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z"); // 10:00 JST

    private Alerts() {
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Alert c2(Instant at) {
        return alert("c2-outbound", Grade.HIGH, at, new Facts(ZonePair.LAN_TO_WAN, Flow.OUTBOUND, ip("198.51.100.9"),
                "198.51.100.9", "http://198.51.100.9/c2/beacon", "", SecurityFunction.IPS, "ips-hyperscan", "sid:9000012",
                "OMAMORI C2 beacon POST to /c2/beacon", Result.BLOCK, Level.CRITICAL, 80, Evidence.INFECTION));
    }

    static Alert virusNeutralised(Instant at) {
        return alert("virus-neutralised", Grade.LOW, at, new Facts(ZonePair.LAN_TO_WAN, Flow.OUTBOUND, ip("203.0.113.5"),
                "dl.example.jp", "http://dl.example.jp/a.zip", "", SecurityFunction.ANTIVIRUS, "av-clamav",
                "clamav:Eicar-Signature", "Eicar-Signature", Result.NEUTRALISE, Level.HIGH, 100, Evidence.MALWARE));
    }

    static Alert unscanned(Instant at) {
        return alert("unscanned", Grade.MEDIUM, at, new Facts(ZonePair.LAN_TO_WAN, Flow.OUTBOUND, ip("203.0.113.7"),
                "files.example.jp", "http://files.example.jp/big.iso", "", SecurityFunction.ANTIVIRUS, "av-clamav",
                "av:not-scanned", "ウイルス未検査 / Not scanned for viruses", Result.PASS, Level.MEDIUM, 100, Evidence.UNSCANNED));
    }

    static Alert newDomain(Instant at) {
        return alert("new-domain", Grade.UNDER_INVESTIGATION, at, new Facts(ZonePair.LAN_TO_WAN, Flow.OUTBOUND,
                ip("198.51.100.77"), "", "", "x7f3.newly-seen.cloud", SecurityFunction.IPS, "ips-hyperscan", "sid:2027865",
                "ET INFO Observed DNS Query to .cloud TLD", Result.PASS, Level.MEDIUM, 80, Evidence.SUSPICIOUS));
    }

    static Alert accessLog(Instant at) {
        return alert("access-log", Grade.NONE, at, new Facts(ZonePair.LAN_TO_WAN, Flow.OUTBOUND, ip("203.0.113.9"),
                "news.example.jp", "http://news.example.jp/", "", SecurityFunction.URL_FILTERING, "urlfilter",
                "category:news", "ニュース / News", Result.PASS, Level.LOW, 100, Evidence.NONE));
    }

    static Alert alert(String rule, Grade grade, Instant at, Facts facts) {
        AlertId id = new AlertId(UUID.nameUUIDFromBytes((rule + at).getBytes(StandardCharsets.UTF_8)));
        return new Alert(id, rule, grade, false, PC, facts, at, at, 1, List.of(), Optional.empty());
    }

    static PendingAlert pending(String customer, Alert a, Instant queuedAt) {
        return new PendingAlert(customer, HONSHA, a, queuedAt);
    }
}
