package org.omamori.engine.antispam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.Zone;
import org.omamori.api.engine.ZonePair;
import org.omamori.engine.antispam.rspamd.FakeRspamd;
import org.omamori.engine.antispam.rspamd.RspamdDaemon;
import org.omamori.engine.antispam.rspamd.RspamdException;

/**
 * The engine as the SMTP intake uses it, against the real rspamd (and a fake one where rspamd
 * must misbehave): which requests it answers, the failure cases that must reach the pipeline's
 * failure policy as errors, the size limit, the per-zone thresholds, and the latency of a mail.
 */
class AntispamEngineTest {

    private static InetSocketAddress rspamd;

    @BeforeAll
    static void startRspamd() {
        rspamd = RspamdDaemon.SHARED.start();
    }

    private static AntispamEngine engine(AntispamSettings settings) {
        return new AntispamEngine("test", settings);
    }

    private static InetSocketAddress nobody() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
    }

    @Test
    void onlySmtpRequestsThatWantAntispamAreScored() throws Exception {
        // rspamd is "down" here: a request the engine should not score would fail.
        AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(nobody()));
        byte[] mail = Mails.corpus("refuse-en-lottery.eml");
        InspectionRequest http = InspectionRequest.http("POST", "http://example.org/upload").build();
        InspectionRequest smtpForAv = InspectionRequest.other().method("SMTP").functions(Set.of(SecurityFunction.ANTIVIRUS)).build();
        assertThat(Mails.scan(engine, http, mail, 4096)).isEqualTo(Verdict.clean());
        assertThat(Mails.scan(engine, smtpForAv, mail, 4096)).isEqualTo(Verdict.clean());
        assertThat(engine.descriptor().functions()).containsExactly(SecurityFunction.ANTISPAM);
        assertThat(engine.descriptor().id()).isEqualTo("antispam-rspamd");
    }

    @Test
    void rspamdDownIsAnEngineErrorForTheFailurePolicy() throws Exception {
        AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(nobody()));
        byte[] mail = Mails.corpus("ham-en-meeting.eml");
        try (Inspection inspection = engine.inspect(Mails.request(mail, Mails.INBOUND))) {
            assertThatThrownBy(() -> inspection.body(Direction.REQUEST, ByteBuffer.wrap(mail)))
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(RspamdException.class)
                    .hasMessageContaining("connection refused");
            // Asked again, it still says it could not decide: never a quiet clean.
            assertThatThrownBy(inspection::verdict).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void aSlowRspamdTimesOutWithinTheConfiguredTime() throws Exception {
        try (FakeRspamd slow = new FakeRspamd(out -> Thread.sleep(30_000))) {
            AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(slow.address()).withTimeout(Duration.ofMillis(400)));
            byte[] mail = Mails.corpus("ham-en-meeting.eml");
            long start = System.nanoTime();
            assertThatThrownBy(() -> Mails.scan(engine, Mails.request(mail, Mails.INBOUND), mail, 4096))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("no reply from rspamd");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
        }
    }

    @Test
    void aHostileReplyIsABoundedError() throws Exception {
        byte[] junk = new byte[1 << 20];
        Arrays.fill(junk, (byte) '{');
        try (FakeRspamd hostile = new FakeRspamd(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 4096; i++) {
                out.write(junk); // 4 GiB offered
            }
        })) {
            AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(hostile.address()));
            byte[] mail = Mails.corpus("ham-en-meeting.eml");
            assertThatThrownBy(() -> Mails.scan(engine, Mails.request(mail, Mails.INBOUND), mail, 4096))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("longer than 262144 bytes");
        }
    }

    @Test
    void aMailOverTheLimitPassesUnscoredWithANote() {
        AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(rspamd).withMaxMailBytes(64 << 10));
        byte[] mail = Mails.plain(200 << 10);
        Verdict v = Mails.scan(engine, Mails.request(mail, Mails.INBOUND), mail, 16 << 10);
        assertThat(v.action()).isEqualTo(Action.PASS);
        assertThat(v.note()).isEqualTo("not scored: larger than 65536 bytes");
        assertThat(v.finding()).hasValueSatisfying(f -> assertThat(f.ruleId()).isEqualTo("rspamd:not-scored"));
        // Just under the limit it is scored.
        byte[] small = Mails.plain(60 << 10);
        assertThat(Mails.scan(engine, Mails.request(small, Mails.INBOUND), small, 16 << 10).note()).startsWith("score=");
    }

    @Test
    void anEmptyMailIsClean() {
        AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(rspamd));
        assertThat(Mails.scan(engine, Mails.request(Mails.INBOUND, "mx.example.net", "", List.of("a@example.jp")), new byte[0], 1))
                .isEqualTo(Verdict.clean());
    }

    @Test
    void theThresholdsOfTheMailsZonesDecide() {
        ZoneThresholds zones = ZoneThresholds.parse("test", List.of("wan->lan tag=off refuse=off", "wan tag=3 refuse=5",
                "* tag=6 refuse=7"));
        AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(rspamd).withThresholds(zones));
        byte[] mail = Mails.corpus("tag-ja-sidejob-utf8.eml"); // about 8 with the project's rules

        Verdict inbound = Mails.scan(engine, Mails.request(mail, Mails.INBOUND), mail, 4096);
        assertThat(inbound.action()).isEqualTo(Action.PASS);
        assertThat(inbound.note()).contains("required=off").contains("OMAMORI_JA_SPAM_PHRASE");

        Verdict fromWanElsewhere = Mails.scan(engine, Mails.request(mail, new ZonePair(Zone.WAN, Zone.SSID_PRIMARY)), mail, 4096);
        assertThat(fromWanElsewhere.action()).isEqualTo(Action.BLOCK);
        assertThat(fromWanElsewhere.note()).contains("required=5.00");

        Verdict outbound = Mails.scan(engine, Mails.request(mail, ZonePair.LAN_TO_WAN), mail, 4096);
        assertThat(outbound.action()).isEqualTo(Action.BLOCK);
        assertThat(outbound.note()).contains("required=7.00");
    }

    @Test
    void aTenKibMailTakesMillisecondsNotSeconds() {
        AntispamEngine engine = engine(AntispamSettings.DEFAULTS.withRspamd(rspamd));
        byte[] mail = Mails.plain(10 << 10);
        InspectionRequest request = Mails.request(mail, Mails.INBOUND);
        for (int i = 0; i < 20; i++) {
            Mails.scan(engine, request, mail, 4096);
        }
        int n = 100;
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            Verdict v = Mails.scan(engine, request, mail, 4096);
            nanos[i] = System.nanoTime() - start;
            assertThat(v.action()).isEqualTo(Action.PASS);
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElseThrow() / 1e6;
        System.out.printf("antispam: 10 KiB mail through rspamd, %d mails: mean %.2f ms, p50 %.2f ms, p99 %.2f ms%n", n, mean,
                nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6);
        assertThat(mean).isLessThan(1000);
    }
}
