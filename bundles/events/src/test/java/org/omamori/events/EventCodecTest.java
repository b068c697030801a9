package org.omamori.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;

class EventCodecTest {

    static final ApplianceId APPLIANCE = new ApplianceId("00a0de123456");
    static final EngineDescriptor IPS = new EngineDescriptor("ips-hyperscan", "1.0.0", Set.of(SecurityFunction.IPS));
    static final EngineDescriptor URL = new EngineDescriptor("urlfilter", "1.0.0", Set.of(SecurityFunction.URL_FILTERING));

    final EventFactory factory = new EventFactory(APPLIANCE, new EventIds(),
            Clock.fixed(Instant.parse("2026-11-23T10:15:30.123Z"), ZoneOffset.UTC));

    static InspectionRequest request() throws Exception {
        return InspectionRequest.http("GET", "http://example.jp/login?id=1")
                .connection(new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.10"), 51515,
                        InetAddress.getByName("2001:db8::5"), 80, Optional.of(MacAddress.parse("00:1a:2b:3c:4d:5e"))))
                .build();
    }

    static PipelineResult result(EngineResult... results) {
        return new PipelineResult(Verdict.clean(), List.of(results));
    }

    static EngineResult decided(EngineDescriptor engine, Verdict verdict) {
        return new EngineResult(engine, EngineResult.Outcome.DECIDED, verdict, "", Duration.ZERO);
    }

    @Test
    void aBlockRoundTripsThroughJson() throws Exception {
        Finding sqli = new Finding("sid:1000001", "SQL injection in URI", Level.HIGH, 90, Evidence.EXPLOIT_ATTEMPT);
        List<Event> events = factory.of(request(), result(decided(IPS, Verdict.block(sqli))), false);

        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.kind()).isEqualTo(Kind.THREAT);
        assertThat(e.result()).isEqualTo(Result.BLOCK);
        byte[] json = EventCodec.toJson(e);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"result\":\"block\"", "\"mac\":\"00:1a:2b:3c:4d:5e\"", "\"destination\":\"2001:db8:0:0:0:0:0:5\"");
        assertThat(EventCodec.fromJson(json)).isEqualTo(e);
    }

    @Test
    void cleanPassesSayNothingUnlessTheIntakeLogsAccess() throws Exception {
        PipelineResult clean = result(decided(IPS, Verdict.clean()), decided(URL, Verdict.clean()));
        assertThat(factory.of(request(), clean, false)).isEmpty();
        List<Event> logged = factory.of(request(), clean, true);
        assertThat(logged).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.ACCESS);
            assertThat(e.function()).isEqualTo(SecurityFunction.URL_FILTERING);
        });
    }

    @Test
    void aFailedEngineIsNotScanned() throws Exception {
        EngineResult failed = new EngineResult(IPS, EngineResult.Outcome.TIMEOUT, Verdict.clean(), "timed out after 50 ms", Duration.ofMillis(50));
        Event e = factory.of(request(), result(failed), false).get(0);
        assertThat(e.result()).isEqualTo(Result.NOT_SCANNED);
        assertThat(e.kind()).isEqualTo(Kind.THREAT);
        assertThat(e.note()).isEqualTo("timed out after 50 ms");
    }

    @Test
    void aFailClosedBlockIsABlockNotANotScanned() throws Exception {
        EngineResult failed = new EngineResult(IPS, EngineResult.Outcome.ENGINE_ERROR,
                Verdict.block(new Finding("pipeline:engine-failed", "engine failed", Level.MEDIUM, 100, Evidence.UNSCANNED)),
                "boom", Duration.ZERO);
        Event e = factory.of(request(), result(failed), false).get(0);
        assertThat(e.result()).isEqualTo(Result.BLOCK);
        assertThat(e.kind()).isEqualTo(Kind.THREAT);
    }

    @Test
    void idsAreUniqueAndIncreasingWithinAMillisecond() {
        EventIds ids = new EventIds(Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC));
        Set<EventId> seen = new HashSet<>();
        EventId last = null;
        for (int i = 0; i < 10_000; i++) {
            EventId id = ids.next();
            assertThat(seen.add(id)).isTrue();
            if (last != null) {
                assertThat(id).isGreaterThan(last);
            }
            last = id;
        }
        assertThat(last.epochMillis()).isGreaterThanOrEqualTo(Instant.parse("2026-11-23T00:00:00Z").toEpochMilli());
    }

    @Test
    void hostileDocumentsAreRefusedWithTheReason() throws Exception {
        Event e = factory.of(request(), result(decided(IPS, Verdict.block(new Finding("sid:1", "x", Level.LOW, 50)))), false).get(0);
        String good = new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
        Map<String, String> bad = Map.of(
                good.replace("\"note\":\"\"", "\"note\":\"\",\"body\":\"x\""), "unknown field 'body'",
                good.replace("\"sourcePort\":51515", "\"sourcePort\":\"51515\""), "sourcePort",
                good.replace("\"sourcePort\":51515", "\"sourcePort\":70000"), "sourcePort",
                good.replace("\"source\":\"192.168.1.10\"", "\"source\":\"attacker.example\""), "not an IP address literal",
                good.replace(",\"note\":\"\"", ""), "'note' is missing",
                good.replace("\"level\":\"low\"", "\"level\":\"apocalyptic\""), "unknown level",
                good.replace("\"appliance\":\"00a0de123456\"", "\"appliance\":\"../../etc\""), "appliance id",
                "[1,2]", "JSON object",
                "{\"id\":", "not JSON");
        bad.forEach((doc, why) -> assertThatThrownBy(() -> EventCodec.fromJson(doc.getBytes(StandardCharsets.UTF_8)))
                .as(doc).isInstanceOf(EventFormatException.class).hasMessageContaining(why));
        String longUrl = good.replace("\"url\":\"http://example.jp/login?id=1\"", "\"url\":\"" + "a".repeat(3000) + "\"");
        assertThatThrownBy(() -> EventCodec.fromJson(longUrl.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("url longer than 2048");
    }

    @Test
    void systemEventsAreTheirOwnKind() {
        Event drop = factory.system("spool:dropped", "access-log events dropped", Level.MEDIUM, "1200 events");
        assertThat(drop.kind()).isEqualTo(Kind.SYSTEM);
        assertThat(EventCodec.fromJson(EventCodec.toJson(drop))).isEqualTo(drop);
    }
}
