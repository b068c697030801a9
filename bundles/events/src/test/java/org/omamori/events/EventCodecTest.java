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
    void everyRuleThatMatchedOneRequestIsAnEventOfItsOwnWithItsOwnActionAndNote() throws Exception {
        Finding sqli = new Finding("sid:1000001", "SQL injection in URI", Level.HIGH, 90, Evidence.EXPLOIT_ATTEMPT);
        Finding scan = new Finding("sid:1000002", "scanner user agent", Level.LOW, 60, Evidence.EXPLOIT_ATTEMPT);
        Finding policy = new Finding("sid:1000003", "old client", Level.LOW, 60);
        Verdict merged = Verdict.of(List.of(Verdict.pass(scan).withNote("IPS rule 1000002"),
                Verdict.block(sqli).withNote("IPS rule 1000001"), Verdict.pass(policy).withNote("IPS rule 1000003")));

        List<Event> events = factory.of(request(), result(decided(IPS, merged)), false);

        assertThat(events).extracting(Event::ruleId).containsExactly("sid:1000001", "sid:1000002", "sid:1000003");
        assertThat(events).extracting(Event::result).containsExactly(Result.BLOCK, Result.PASS, Result.PASS);
        assertThat(events).extracting(Event::kind).containsExactly(Kind.THREAT, Kind.THREAT, Kind.ACCESS);
        assertThat(events).extracting(Event::note).containsExactly("IPS rule 1000001", "IPS rule 1000002", "IPS rule 1000003");
        assertThat(events).extracting(Event::id).doesNotHaveDuplicates();
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

    static Event block() throws Exception {
        return new EventFactory(APPLIANCE).of(request(), result(decided(IPS, Verdict.block(new Finding("sid:1", "x", Level.LOW, 50)))), false)
                .get(0);
    }

    static EventFormatException refusal(String doc) {
        try {
            EventCodec.fromJson(doc.getBytes(StandardCharsets.UTF_8));
        } catch (EventFormatException e) {
            return e;
        }
        throw new AssertionError("accepted: " + doc);
    }

    @Test
    void textWithAControlCharacterIsRefusedNamingTheField() throws Exception {
        String good = new String(EventCodec.toJson(block()), StandardCharsets.UTF_8);
        for (String control : List.of("\\u0000", "\\r", "\\n", "\\u001b", "\\u0007", "\\u007f", "\\u0085", "\\u009f")) {
            for (String field : List.of("host", "url", "dnsName", "engineVersion", "ruleId", "ruleName", "note")) {
                String doc = good.replace("\"" + field + "\":\"", "\"" + field + "\":\"a" + control);
                EventFormatException e = refusal(doc);
                assertThat(e.problem()).as(doc).isEqualTo(EventFormatException.Problem.CONTROL_CHARACTER);
                assertThat(e.field()).as(doc).hasValue(field);
                assertThat(e.getMessage()).as("never the text itself").doesNotContain("example.jp").contains("position 1");
            }
        }
        // Printable text beyond ASCII is no control character.
        Event jp = EventCodec.fromJson(good.replace("\"note\":\"\"", "\"note\":\"ブロック\u00a0済み\"").getBytes(StandardCharsets.UTF_8));
        assertThat(jp.note()).isEqualTo("ブロック\u00a0済み");
    }

    @Test
    void aWrongJsonTypeIsToldApartFromARefusedValue() throws Exception {
        String good = new String(EventCodec.toJson(block()), StandardCharsets.UTF_8);
        Map<String, String> wrongType = Map.of(
                good.replace("\"sourcePort\":51515", "\"sourcePort\":\"51515\""), "sourcePort",
                good.replace("\"host\":\"example.jp\"", "\"host\":null"), "host",
                good.replace("\"confidence\":50", "\"confidence\":50.5"), "confidence",
                good.replace("\"url\":\"http://example.jp/login?id=1\"", "\"url\":[]"), "url");
        wrongType.forEach((doc, field) -> {
            EventFormatException e = refusal(doc);
            assertThat(e.problem()).as(doc).isEqualTo(EventFormatException.Problem.WRONG_TYPE);
            assertThat(e.field()).as(doc).hasValue(field);
        });
        Map<String, String> refused = Map.ofEntries(
                Map.entry(good.replace("\"sourcePort\":51515", "\"sourcePort\":70000"), "sourcePort"),
                Map.entry(good.replace("\"sourcePort\":51515", "\"sourcePort\":99999999999999999999"), "sourcePort"),
                Map.entry(good.replace("\"sourcePort\":51515", "\"sourcePort\":-1"), "sourcePort"),
                Map.entry(good.replace("\"sourcePort\":51515", "\"sourcePort\":1" + "0".repeat(30)), "sourcePort"),
                Map.entry(good.replace("\"confidence\":50", "\"confidence\":101"), "confidence"),
                Map.entry(good.replace("\"zoneFrom\":\"lan\"", "\"zoneFrom\":\"LAN\""), "zoneFrom"),
                Map.entry(good.replace("\"function\":\"ips\"", "\"function\":\"Ips!\""), "function"),
                Map.entry(good.replace("\"evidence\":\"\"", "\"evidence\":\"-x\""), "evidence"),
                Map.entry(good.replace("\"time\":\"", "\"time\":\"x"), "time"),
                Map.entry(good.replace("\"level\":\"low\"", "\"level\":\"apocalyptic\""), "level"),
                Map.entry(good.replace("\"url\":\"http://example.jp/login?id=1\"", "\"url\":\"" + "a".repeat(3000) + "\""), "url"),
                Map.entry(good.replace("\"url\":\"http://example.jp/login?id=1\"", "\"url\":\"" + "a".repeat(20_000) + "\""), "url"),
                Map.entry(good.replace(",\"note\":\"\"", ""), "note"));
        refused.forEach((doc, field) -> {
            EventFormatException e = refusal(doc);
            assertThat(e.problem()).as(doc).isEqualTo(EventFormatException.Problem.INVALID_VALUE);
            assertThat(e.field()).as(cut(doc)).hasValue(field);
        });
    }

    private static String cut(String doc) {
        return doc.length() < 400 ? doc : doc.substring(0, 400);
    }

    @Test
    void theFactoryEscapesControlCharactersSoAHostileClientCannotSpoilABatch() throws Exception {
        InspectionRequest hostile = InspectionRequest.http("GET", "http://example.jp/a\u0000b\r\nSet-Cookie: x\u001b[31m\u007f\u0085")
                .host("example.jp\r\nBcc: victim@example.jp")
                .connection(request().connection())
                .build();
        Event e = factory.of(hostile, result(decided(IPS, Verdict.block(new Finding("sid:1", "x", Level.LOW, 50)))), false).get(0);
        assertThat(e.url()).isEqualTo("http://example.jp/a\\x00b\\x0d\\x0aSet-Cookie: x\\x1b[31m\\x7f\\x85");
        assertThat(e.host()).isEqualTo("example.jp\\x0d\\x0aBcc: victim@example.jp");
        // What the appliance sends, the strict reader (the cloud's) accepts unchanged.
        assertThat(EventCodec.fromJson(EventCodec.toJson(e))).isEqualTo(e);

        InspectionRequest dns = InspectionRequest.dns("evil\u0000.example").connection(request().connection()).build();
        Event logged = factory.of(dns, result(decided(URL, Verdict.clean())), true).get(0);
        assertThat(logged.dnsName()).isEqualTo("evil\\x00.example");
        assertThat(EventCodec.fromJson(EventCodec.toJson(logged))).isEqualTo(logged);
    }

    @Test
    void escapingKeepsTheBoundAndNeverSplitsASurrogatePair() throws Exception {
        String url = "http://example.jp/" + "\u0001".repeat(Event.MAX_URL);
        InspectionRequest hostile = InspectionRequest.http("GET", url).connection(request().connection()).build();
        Event e = factory.of(hostile, result(decided(IPS, Verdict.block(new Finding("sid:1", "x", Level.LOW, 50)))), false).get(0);
        assertThat(e.url()).hasSize(Event.MAX_URL).startsWith("http://example.jp/\\x01\\x01");
        assertThat(EventText.cut("ab\uD83D\uDE00", 3)).isEqualTo("ab");
        assertThat(EventText.cut("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
    }

    @Test
    void anEventMadeDirectlyHoldsNoControlCharacterEither() throws Exception {
        Event made = block();
        Event hostile = new Event(made.id(), made.appliance(), made.time(), made.kind(), made.zones(), made.source(), made.sourcePort(),
                made.destination(), made.destinationPort(), made.mac(), "a\u0000", "b\n", "c\r", made.function(), "d\u001b",
                "e\u007f", "f\u0085", "g\t", made.result(), made.level(), made.confidence(), made.evidence(), "h\u0000");
        assertThat(List.of(hostile.host(), hostile.url(), hostile.dnsName(), hostile.engineId(), hostile.engineVersion(),
                hostile.ruleId(), hostile.ruleName(), hostile.note()))
                .containsExactly("a\\x00", "b\\x0a", "c\\x0d", "d\\x1b", "e\\x7f", "f\\x85", "g\\x09", "h\\x00");
        assertThat(EventCodec.fromJson(EventCodec.toJson(hostile))).isEqualTo(hostile);
    }

    @Test
    void aNameGivenAsBothHostAndDnsNameIsEscapedInBothAndEveryConstructorEscapes() throws Exception {
        Event made = block();
        String name = "evil\u0000\n.example\u009f";
        Event shared = new Event(made.id(), made.appliance(), made.time(), made.kind(), made.zones(), made.source(), made.sourcePort(),
                made.destination(), made.destinationPort(), made.mac(), name, "", name, made.function(), "e", "v",
                "r", "n", made.result(), made.level(), made.confidence(), made.evidence(), "");
        assertThat(shared.host()).isEqualTo("evil\\x00\\x0a.example\\x9f").isSameAs(shared.dnsName());
        // a name apart from a clean host is checked on its own; equal text in another string too
        Event apart = new Event(made.id(), made.appliance(), made.time(), made.kind(), made.zones(), made.source(), made.sourcePort(),
                made.destination(), made.destinationPort(), made.mac(), "clean.example", "", new String(name), made.function(), "e",
                "v", "r", "n", made.result(), made.level(), made.confidence(), made.evidence(), "");
        assertThat(apart.host()).isEqualTo("clean.example");
        assertThat(apart.dnsName()).isEqualTo("evil\\x00\\x0a.example\\x9f");
        // the canonical constructor (count and last) and withCount
        Event counted = new Event(made.id(), made.appliance(), made.time(), made.kind(), made.zones(), made.source(), made.sourcePort(),
                made.destination(), made.destinationPort(), made.mac(), name, "u\u0007", name, made.function(), "e\u0001", "v",
                "r", "n", made.result(), made.level(), made.confidence(), made.evidence(), "\r", 2, made.time().plusSeconds(1));
        assertThat(List.of(counted.host(), counted.url(), counted.dnsName(), counted.engineId(), counted.note()))
                .containsExactly("evil\\x00\\x0a.example\\x9f", "u\\x07", "evil\\x00\\x0a.example\\x9f", "e\\x01", "\\x0d");
        assertThat(counted.withCount(3, made.time().plusSeconds(2))).satisfies(e -> assertThat(e.dnsName()).isEqualTo(counted.dnsName()));
        assertThat(EventCodec.fromJson(EventCodec.toJson(counted))).isEqualTo(counted);
        // the characters escaped: exactly C0, DEL and C1
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            assertThat(EventText.isControl((char) c)).as("U+%04X", c).isEqualTo(c < 0x20 || c >= 0x7f && c <= 0x9f);
        }
    }

    @Test
    void aFoldedEventCarriesCountAndLastAndReadsBack() throws Exception {
        PipelineResult clean = result(decided(URL, Verdict.clean()));
        Event one = factory.of(request(), clean, true).get(0);
        String single = new String(EventCodec.toJson(one), StandardCharsets.UTF_8);
        // One occurrence is written as format 1.0 wrote it: an older cloud takes it.
        assertThat(single).doesNotContain("\"count\"", "\"last\"");
        assertThat(one.count()).isEqualTo(1);
        assertThat(one.last()).isEqualTo(one.time());

        Event folded = one.withCount(4321, one.time().plusSeconds(59));
        String json = new String(EventCodec.toJson(folded), StandardCharsets.UTF_8);
        assertThat(json).endsWith(",\"count\":4321,\"last\":\"2026-11-23T10:16:29.123Z\"}");
        Event read = EventCodec.fromJson(json.getBytes(StandardCharsets.UTF_8));
        assertThat(read).isEqualTo(folded);
        assertThat(read.id()).isEqualTo(one.id());
        assertThat(read.count()).isEqualTo(4321);
    }

    @Test
    void anOlderAppliancesEventWithoutCountStandsForOneOccurrence() throws Exception {
        Event one = factory.of(request(), result(decided(URL, Verdict.clean())), true).get(0);
        String old = new String(EventCodec.toJson(one), StandardCharsets.UTF_8);
        Event read = EventCodec.fromJson(old.getBytes(StandardCharsets.UTF_8));
        assertThat(read.count()).isEqualTo(1);
        assertThat(read.last()).isEqualTo(read.time());
        // count 1 written out in full is the same event
        String explicit = old.replace("}", ",\"count\":1,\"last\":\"" + one.time() + "\"}");
        assertThat(EventCodec.fromJson(explicit.getBytes(StandardCharsets.UTF_8))).isEqualTo(one);
    }

    @Test
    void impossibleCountsAndTimesAreRefusedNamingTheField() throws Exception {
        Event one = factory.of(request(), result(decided(URL, Verdict.clean())), true).get(0);
        String old = new String(EventCodec.toJson(one), StandardCharsets.UTF_8);
        String later = "\"" + one.time().plusSeconds(1) + "\"";
        String earlier = "\"" + one.time().minusSeconds(1) + "\"";
        Map<String, String> bad = Map.of(
                old.replace("}", ",\"count\":0,\"last\":" + later + "}"), "count",
                old.replace("}", ",\"count\":-5,\"last\":" + later + "}"), "count",
                old.replace("}", ",\"count\":2147483648,\"last\":" + later + "}"), "count",
                old.replace("}", ",\"count\":3,\"last\":" + earlier + "}"), "last",
                old.replace("}", ",\"count\":1,\"last\":" + later + "}"), "last",
                old.replace("}", ",\"last\":" + later + "}"), "last",
                old.replace("}", ",\"count\":2,\"count\":3,\"last\":" + later + "}"), "twice",
                old.replace("}", ",\"count\":2,\"last\":\"yesterday\"}"), "last");
        bad.forEach((doc, field) -> assertThatThrownBy(() -> EventCodec.fromJson(doc.getBytes(StandardCharsets.UTF_8)))
                .as(doc).isInstanceOfSatisfying(EventFormatException.class, x -> {
                    assertThat(x.problem()).isEqualTo(EventFormatException.Problem.INVALID_VALUE);
                    assertThat(x.getMessage()).contains(field);
                }));
        String text = old.replace("}", ",\"count\":\"2\",\"last\":" + later + "}");
        assertThatThrownBy(() -> EventCodec.fromJson(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(EventFormatException.class, x -> assertThat(x.problem()).isEqualTo(EventFormatException.Problem.WRONG_TYPE));
        assertThatThrownBy(() -> one.withCount(0, one.time())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> one.withCount(2, one.time().minusMillis(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
