package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.ids.capture.CaptureException.Problem;
import org.omamori.ids.capture.CaptureReader;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

class ReplayTest {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    record Outcome(ReplaySummary summary, List<Event> events) {
        List<Event> rule(String sid) {
            return events.stream().filter(e -> e.ruleId().contains(sid)).toList();
        }
    }

    static Outcome replay(byte[] file, Replay.Options options, Pipeline pipeline) throws Exception {
        List<Event> events = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file))) {
            ReplaySummary summary = new Replay(pipeline, options, events::addAll).run(reader, ReplayProgress.NONE);
            return new Outcome(summary, events);
        }
    }

    static Outcome replay(byte[] file) throws Exception {
        return replay(file, Replay.Options.DEFAULTS, RealPipeline.get());
    }

    /** An attacker outside fetches a URL with UNION SELECT from a web server in the office. */
    static void sqlInjectionOutOfOrder(CaptureWriter w, String client, String server, int vlan) {
        TcpSession s = new TcpSession(w, client, 51000, server, 80, vlan).handshake();
        byte[] first = s.clientSegment("GET /item.php?id=1%20UNI");
        byte[] second = s.clientSegment("ON%20SEL");
        byte[] third = s.clientSegment("ECT%20pw%20FROM%20users HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: curl/8\r\n\r\n");
        w.add(first).add(third).add(second).add(second).add(first); // out of order, then two retransmissions
        s.server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").close();
    }

    @Test
    void aRequestSplitAcrossSegmentsDeliveredOutOfOrderAndRetransmittedFiresTheSqlInjectionRuleOnce() throws Exception {
        CaptureWriter w = new CaptureWriter();
        sqlInjectionOutOfOrder(w, "203.0.113.7", "192.168.1.10", 0);
        Outcome o = replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.rule("9000001")).singleElement().satisfies(e -> {
            assertThat(e.url()).isEqualTo("http://shop.example/item.php?id=1%20UNION%20SELECT%20pw%20FROM%20users");
            assertThat(e.function()).isEqualTo(SecurityFunction.IPS);
            assertThat(e.source()).isEqualTo(Frames.ip("203.0.113.7"));
            assertThat(e.sourcePort()).isEqualTo(51000);
            assertThat(e.destination()).isEqualTo(Frames.ip("192.168.1.10"));
            assertThat(e.destinationPort()).isEqualTo(80);
            assertThat(e.zones()).isEqualTo(ZonePair.LAN_TO_WAN);
            assertThat(e.kind()).isEqualTo(Kind.THREAT);
        });
        ReplaySummary s = o.summary();
        assertThat(s.httpRequests()).isEqualTo(1);
        assertThat(s.httpResponses()).isEqualTo(1);
        assertThat(s.tcpFlows()).isEqualTo(1);
        assertThat(s.threatEvents()).isPositive();
        assertThat(s.reassembly()).containsEntry("out-of-order segments", 1L)
                .containsEntry("retransmitted bytes", (long) ("ON%20SEL".length() + "GET /item.php?id=1%20UNI".length()))
                .doesNotContainKeys("gaps", "HTTP parse errors", "HTTP messages cut short", "HTTP requests unanswered");
        assertThat(s.topRules()).extracting(ReplaySummary.RuleCount::ruleId).anyMatch(id -> id.contains("9000001"));
        assertThat(s.error()).isEmpty();
        assertThat(s.limits()).isEmpty();
    }

    @Test
    void eventsAreMadeAsOnTheLivePathWithTheCaptureTimeAndSurviveTheCodec() throws Exception {
        CaptureWriter w = new CaptureWriter();
        sqlInjectionOutOfOrder(w, "203.0.113.7", "192.168.1.10", 0);
        Outcome o = replay(w.write(CaptureWriter.Format.PCAPNG_LE), new Replay.Options(
                Optional.of(HomeNet.parse("192.168.1.0/24")), ReplayLimits.DEFAULTS, false, Replay.Options.OFFLINE), RealPipeline.get());

        Event e = o.rule("9000001").get(0);
        assertThat(e.zones()).isEqualTo(new ZonePair(Zone.WAN, Zone.LAN));
        Instant first = Instant.ofEpochSecond(0, w.frames().get(0).timeNanos());
        Instant last = Instant.ofEpochSecond(0, w.frames().get(w.frames().size() - 1).timeNanos());
        assertThat(e.time()).isBetween(first, last);
        assertThat(e.appliance()).isEqualTo(Replay.Options.OFFLINE);
        for (Event any : o.events()) {
            assertThat(EventCodec.fromJson(EventCodec.toJson(any))).isEqualTo(any);
        }
    }

    @Test
    void noByteOfARequestOrResponseBodyReachesAnEvent() throws Exception {
        String marker = "OMAMORI-BODY-MARKER-1d5";
        String upload = "q=1 union all select password from users&m=" + marker;
        String download = marker + EICAR + marker;
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "203.0.113.7", 51002, "192.168.1.10", 80).handshake()
                .client("POST /search HTTP/1.1\r\nHost: shop.example\r\nContent-Length: " + upload.length() + "\r\n\r\n" + upload)
                .server("HTTP/1.1 200 OK\r\nContent-Length: " + download.length() + "\r\n\r\n" + download).close();
        Outcome o = replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE));

        assertThat(o.events()).isNotEmpty();
        for (Event e : o.events()) {
            assertThat(new String(EventCodec.toJson(e), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(marker);
        }
    }

    @Test
    void aPatternSplitAcrossTwoSegmentsOfARequestBodyIsFound() throws Exception {
        CaptureWriter w = new CaptureWriter();
        String body = "q=1 union all select password from users";
        new TcpSession(w, "203.0.113.7", 51001, "192.168.1.10", 80).handshake()
                .client("POST /search HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\nq=1 uni", "on all sel", "ect password from users")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").close();
        Outcome o = replay(w.write(CaptureWriter.Format.PCAP_NANOS_BE));
        assertThat(o.rule("9000003")).singleElement().satisfies(e -> assertThat(e.url()).isEqualTo("http://shop.example/search"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndEicarInAChunkedResponseSplitAcrossSegmentsIsFound() throws Exception {
        CaptureWriter w = new CaptureWriter();
        String firstHalf = EICAR.substring(0, 30);
        String secondHalf = EICAR.substring(30);
        new TcpSession(w, "192.168.1.20", 40001, "198.51.100.9", 80).handshake()
                .client("GET /a.txt HTTP/1.1\r\nHost: files.example\r\n\r\nGET /eicar.com HTTP/1.1\r\nHost: files.example\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(firstHalf.length()) + "\r\n" + firstHalf + "\r\n"
                                + Integer.toHexString(secondHalf.length()) + "\r\n" + secondHalf.substring(0, 10),
                        secondHalf.substring(10) + "\r\n0\r\n\r\n")
                .close();
        Outcome o = replay(w.write(CaptureWriter.Format.PCAP_MICROS_BE));

        assertThat(o.summary().httpRequests()).isEqualTo(2);
        assertThat(o.summary().httpResponses()).isEqualTo(2);
        // Every rule that matched the exchange is an event, once: the HTTP-body and the TCP-stream EICAR rule.
        List<Event> eicar = o.events().stream().filter(e -> e.ruleName().contains("EICAR")).toList();
        assertThat(eicar).extracting(Event::ruleId).containsExactlyInAnyOrder("sid:9000018", "sid:9000019");
        assertThat(eicar).allSatisfy(e -> {
            assertThat(e.url()).isEqualTo("http://files.example/eicar.com");
            assertThat(e.source()).isEqualTo(Frames.ip("192.168.1.20"));
            assertThat(e.result()).isEqualTo(Result.BLOCK);
        });
        assertThat(o.events()).noneMatch(e -> e.url().endsWith("/a.txt"));
        assertThat(o.summary().reassembly()).doesNotContainKeys("HTTP parse errors", "HTTP messages cut short");
    }

    @Test
    void dnsQueriesForC2NamesAreFoundByTheIpsAndBlockedByTheUrlFilter() throws Exception {
        CaptureWriter w = new CaptureWriter();
        w.add(Frames.udp(Frames.ip("192.168.1.20"), 5353, Frames.ip("192.168.1.1"), 53, Frames.dnsQuery(1, "beacon.c2.test")));
        w.add(Frames.udp(Frames.ip("192.168.1.20"), 5354, Frames.ip("192.168.1.1"), 53, Frames.dnsQuery(2, "www.example.jp")));
        byte[] answer = Frames.dnsQuery(1, "beacon.c2.test");
        answer[2] |= (byte) 0x80;
        w.add(Frames.udp(Frames.ip("192.168.1.1"), 53, Frames.ip("192.168.1.20"), 5353, answer));
        Outcome o = replay(w.write(CaptureWriter.Format.PCAPNG_BE));

        assertThat(o.summary().dnsQueries()).isEqualTo(2);
        assertThat(o.rule("9000020")).singleElement().satisfies(e -> assertThat(e.dnsName()).isEqualTo("beacon.c2.test"));
        assertThat(o.events()).anySatisfy(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.URL_FILTERING);
            assertThat(e.result()).isEqualTo(Result.BLOCK);
            assertThat(e.dnsName()).isEqualTo("beacon.c2.test");
        });
        assertThat(o.events()).noneMatch(e -> e.dnsName().equals("www.example.jp"));
        assertThat(o.summary().reassembly()).containsEntry("DNS responses", 1L);
    }

    @Test
    void theUrlFilterBlocksARequestToAMalwareHost() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40002, "198.51.100.10", 80).handshake()
                .client("GET /setup.exe HTTP/1.1\r\nHost: dropper.malware.test\r\n\r\n")
                .server("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").close();
        Outcome o = replay(w.write(CaptureWriter.Format.PCAP_NANOS_LE));
        assertThat(o.events()).singleElement().satisfies(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.URL_FILTERING);
            assertThat(e.result()).isEqualTo(Result.BLOCK);
            assertThat(e.url()).isEqualTo("http://dropper.malware.test/setup.exe");
            assertThat(e.mac()).isPresent();
        });
        assertThat(o.summary().eventsByFunction()).containsEntry("url-filtering", 1L);
        assertThat(o.summary().eventsByResult()).containsEntry("block", 1L);
    }

    @Test
    void cleanTrafficGivesNoEventsAndNoThreats() throws Exception {
        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40003, "198.51.100.11", 80).handshake()
                .client("GET / HTTP/1.1\r\nHost: www.example.jp\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world").close();
        new TcpSession(w, "192.168.1.20", 40004, "198.51.100.11", 443).handshake()
                .client("\u0016\u0003\u0001\u0000\u0005hello").close();
        Outcome o = replay(w.write(CaptureWriter.Format.PCAPNG_LE));
        assertThat(o.events()).isEmpty();
        assertThat(o.summary().threatEvents()).isZero();
        assertThat(o.summary().tcpFlows()).isEqualTo(2);
        assertThat(o.summary().httpFlows()).isEqualTo(1);
        assertThat(o.summary().reassembly()).containsEntry("non-HTTP connections", 1L)
                .doesNotContainKeys("gaps", "HTTP parse errors", "HTTP messages cut short", "HTTP requests unanswered");
    }

    @ParameterizedTest
    @EnumSource(value = CaptureWriter.Format.class, names = {"PCAPNG_BE", "PCAP_MICROS_LE"})
    void ipv6InVlanTaggedFramesIsReassembledLikeIpv4(CaptureWriter.Format format) throws Exception {
        CaptureWriter w = new CaptureWriter();
        sqlInjectionOutOfOrder(w, "2001:db8::7", "fd00::10", 42);
        Outcome o = replay(w.write(format));
        assertThat(o.rule("9000001")).singleElement().satisfies(e -> assertThat(e.source()).isEqualTo(Frames.ip("2001:db8::7")));
    }

    @Test
    void aCaptureCutShortReportsWhatWasReadAndSaysWhereItBroke() throws Exception {
        CaptureWriter w = new CaptureWriter();
        sqlInjectionOutOfOrder(w, "203.0.113.7", "192.168.1.10", 0);
        w.add(Frames.udp(Frames.ip("192.168.1.20"), 5353, Frames.ip("192.168.1.1"), 53, Frames.dnsQuery(1, "cc.botnet.invalid")));
        byte[] whole = w.write(CaptureWriter.Format.PCAP_MICROS_LE);
        Outcome o = replay(Arrays.copyOf(whole, whole.length - 5));

        assertThat(o.summary().error()).hasValueSatisfying(e -> {
            assertThat(e.problem()).isEqualTo(Problem.TRUNCATED);
            assertThat(e.packets()).isEqualTo(w.frames().size() - 1);
            assertThat(e.getMessage()).contains("ends at byte " + (whole.length - 5));
        });
        assertThat(o.summary().packets()).isEqualTo(w.frames().size() - 1);
        assertThat(o.rule("9000001")).hasSize(1); // what was read is still inspected and reported
        assertThat(o.summary().dnsQueries()).isZero();
    }

    @Test
    void boundsAreCountedAndSaidNotHeld() throws Exception {
        CaptureWriter w = new CaptureWriter();
        TcpSession a = new TcpSession(w, "192.168.1.20", 40010, "198.51.100.9", 80).handshake();
        TcpSession b = new TcpSession(w, "192.168.1.20", 40011, "198.51.100.9", 80).handshake();
        a.client("GET /one HTTP/1.1\r\nHost: x.example\r\n\r\n");
        b.client("GET /two HTTP/1.1\r\nHost: x.example\r\n\r\n");
        // A lost segment: the rest of this stream waits until the bound gives up on the hole.
        TcpSession c = new TcpSession(w, "192.168.1.20", 40012, "198.51.100.9", 80).handshake();
        c.clientSegment("POST /up HTTP/1.1\r\nHost: x.example\r\nContent-Length: 3000\r\n\r\n");
        for (int i = 0; i < 3; i++) {
            w.add(c.clientSegment("x".repeat(1000)));
        }
        ReplayLimits tight = new ReplayLimits(2, java.time.Duration.ofMinutes(1), 1500, 1L << 20, 1024, 50, 4, 100);
        Outcome o = replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE),
                new Replay.Options(Optional.empty(), tight, false, Replay.Options.OFFLINE), RealPipeline.get());

        assertThat(o.summary().limits()).containsEntry("connections closed early (over 2 at once)", 1L);
        assertThat(o.summary().reassembly()).containsKey("gaps");
        assertThat(o.summary().httpRequests()).isEqualTo(2);
        assertThat(o.summary().reassembly()).containsEntry("HTTP requests unanswered", 2L);
    }

    @Test
    void everyPrefixAndRandomDamageOfACaptureReplaysWithoutAnExceptionOtherThanTheTypedError() throws Exception {
        CaptureWriter w = new CaptureWriter();
        sqlInjectionOutOfOrder(w, "203.0.113.7", "192.168.1.10", 0);
        new TcpSession(w, "192.168.1.20", 40001, "198.51.100.9", 80).handshake()
                .client("GET /a HTTP/1.1\r\nHost: f.example\r\n\r\nPOST /b HTTP/1.1\r\nHost: f.example\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                .server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                .close();
        w.add(Frames.udp(Frames.ip("192.168.1.20"), 5353, Frames.ip("192.168.1.1"), 53, Frames.dnsQuery(1, "beacon.c2.test")));
        Pipeline empty = new InspectionPipeline(PipelineSettings.DEFAULTS);
        for (CaptureWriter.Format format : List.of(CaptureWriter.Format.PCAP_MICROS_LE, CaptureWriter.Format.PCAPNG_BE)) {
            byte[] whole = w.write(format);
            for (int cut = 0; cut <= whole.length; cut += 3) {
                survive(Arrays.copyOf(whole, cut), cut % 60 == 0 ? RealPipeline.get() : empty, "cut at " + cut);
            }
            Random random = new Random(7);
            for (int i = 0; i < 1500; i++) {
                byte[] damaged = whole.clone();
                for (int flips = 1 + random.nextInt(6); flips > 0; flips--) {
                    damaged[24 + random.nextInt(damaged.length - 24)] = (byte) random.nextInt(256);
                }
                survive(damaged, i % 50 == 0 ? RealPipeline.get() : empty, "damage " + i);
            }
        }
    }

    private static void survive(byte[] file, Pipeline pipeline, String what) {
        try {
            replay(file, Replay.Options.DEFAULTS, pipeline);
        } catch (org.omamori.ids.capture.CaptureException expected) {
            // from open(): not a capture or a cut header
        } catch (Exception | Error e) {
            fail(what + " threw " + e, e);
        }
    }
}
