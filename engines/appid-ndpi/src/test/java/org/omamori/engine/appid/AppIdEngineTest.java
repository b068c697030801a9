package org.omamori.engine.appid;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.engine.appid.ndpi.Ndpi;

/** The engine on the real libndpi: what offices use is named and filed, nothing is ever blocked. */
class AppIdEngineTest {

    private static Ndpi ndpi;
    private static AppIdEngine engine;

    @BeforeAll
    static void open() {
        ndpi = NdpiInstalled.open(2);
        engine = new AppIdEngine("test", ndpi);
    }

    @AfterAll
    static void close() {
        ndpi.close();
    }

    @Test
    void youtubeBySni() {
        Verdict v = verdict(InspectionRequest.tls("www.youtube.com").build());
        assertApp(v, "app:video:youtube", "YouTube", "sni");
    }

    @Test
    void microsoft365ByHttpHost() {
        Verdict v = verdict(InspectionRequest.http("GET", "http://outlook.office365.com/owa/")
                .header("Host", "outlook.office365.com").header("User-Agent", "Mozilla/5.0").build());
        assertApp(v, "app:business:microsoft365", "Microsoft365", "host");
    }

    @Test
    void lineByDnsAndSni() {
        // nDPI 4.2 does not know LINE: the bundle's own host rules name it.
        assertApp(verdict(InspectionRequest.dns("obs.line-scdn.net").build()), "app:messaging:line", "LINE", "dns");
        assertApp(verdict(InspectionRequest.tls("access.line.me").build()), "app:messaging:line", "LINE", "sni");
    }

    @Test
    void bitTorrentHandshakeAsPayload() {
        byte[] handshake = new byte[68];
        handshake[0] = 19;
        System.arraycopy("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII), 0, handshake, 1, 19);
        Inspection i = engine.inspect(InspectionRequest.other().connection(connection(51413, 6881)).build());
        i.body(Direction.REQUEST, ByteBuffer.wrap(handshake).asReadOnlyBuffer());
        assertApp(i.verdict(), "app:file-sharing:bittorrent", "BitTorrent", "payload");
    }

    @Test
    void sshBannerFromTheServerFirst() {
        Inspection i = engine.inspect(InspectionRequest.other().connection(connection(40022, 22)).build());
        i.body(Direction.RESPONSE, ByteBuffer.wrap("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes(StandardCharsets.US_ASCII)));
        i.body(Direction.REQUEST, ByteBuffer.wrap("SSH-2.0-PuTTY_Release_0.80\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertApp(i.verdict(), "app:remote-access:ssh", "SSH", "payload");
    }

    @Test
    void realClientHelloBytesAreUsedForTls() {
        byte[] hello = Payloads.clientHello("www.netflix.com");
        // The request names another server: the bytes the client sent win.
        Inspection i = engine.inspect(InspectionRequest.tls("example.jp").connection(connection(40443, 443)).build());
        i.body(Direction.REQUEST, ByteBuffer.wrap(hello));
        assertApp(i.verdict(), "app:video:netflix", "NetFlix", "sni");
    }

    @Test
    void unknownNamesGiveTheCarrierAndUnknownPayloadIsClean() {
        assertApp(verdict(InspectionRequest.dns("omamori-test.example.jp").build()), "app:network:dns", "DNS", "dns");
        assertApp(verdict(InspectionRequest.tls("omamori-test.example.jp").build()), "app:web:tls", "TLS", "sni");
        Inspection i = engine.inspect(InspectionRequest.other().connection(connection(41000, 47001)).build());
        i.body(Direction.REQUEST, ByteBuffer.wrap(new byte[] {0x01, 0x7f, 0x33, 0x00, 0x10}));
        assertThat(i.verdict()).isEqualTo(Verdict.clean());
        assertThat(verdict(InspectionRequest.other().build())).as("no bytes at all").isEqualTo(Verdict.clean());
    }

    @Test
    void neverBlocks() {
        for (InspectionRequest r : new InspectionRequest[] {InspectionRequest.tls("www.youtube.com").build(),
                InspectionRequest.dns("tracker.example.jp").build(), InspectionRequest.http("GET", "http://www.facebook.com/").build()}) {
            assertThat(verdict(r).action()).isEqualTo(Action.PASS);
        }
    }

    @Test
    void hostileInputIsBounded() {
        // A truncated ClientHello, a huge one, a hello claiming more than it holds, junk, 1 MiB of zeros.
        byte[] hello = Payloads.clientHello("www.youtube.com");
        byte[][] bodies = {java.util.Arrays.copyOf(hello, 20), new byte[] {0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff, 0x01},
                new byte[1 << 20], random(200_000)};
        for (byte[] body : bodies) {
            for (boolean tls : new boolean[] {true, false}) {
                InspectionRequest r = tls ? InspectionRequest.tls("").connection(connection(40001, 443)).build()
                        : InspectionRequest.other().connection(connection(40001, 9999)).build();
                Inspection i = engine.inspect(r);
                for (int at = 0; at < body.length; at += 65536) {
                    i.body(Direction.REQUEST, ByteBuffer.wrap(body, at, Math.min(65536, body.length - at)));
                    i.body(Direction.RESPONSE, ByteBuffer.wrap(body, at, Math.min(65536, body.length - at)));
                    assertThat(i.verdict().action()).isEqualTo(Action.PASS);
                }
                i.close();
            }
        }
        // Names: control characters, overlong labels and names, non-ASCII, empty.
        String[] names = {"a".repeat(10_000), "x\r\nHost: evil\u0000.jp", "日本語.jp", "", ".", "..", "a." .repeat(200)};
        for (String n : names) {
            assertThat(verdict(InspectionRequest.dns(n).build()).action()).isEqualTo(Action.PASS);
            assertThat(verdict(InspectionRequest.tls(n).build()).action()).isEqualTo(Action.PASS);
            assertThat(verdict(InspectionRequest.http("GET", "http://" + n + "/" + n).header("X-A", n).build()).action())
                    .isEqualTo(Action.PASS);
        }
    }

    @Test
    void oneFindingAtMostAndTheContract() {
        Verdict v = verdict(InspectionRequest.tls("www.dropbox.com").build());
        assertThat(v.findings()).hasSize(1);
        Finding f = v.finding().orElseThrow();
        assertThat(f.ruleId()).matches("app:(business|video|music|messaging|voip|social|file-sharing|cloud-storage|email"
                + "|remote-access|vpn|game|shopping|software-update|network|web|other):[a-z0-9-]+");
        assertThat(f.level()).isEqualTo(Level.LOW);
        assertThat(f.evidence()).isEqualTo(Evidence.NONE);
        assertThat(v.further()).isEmpty();
    }

    @Test
    void countsWhatItSaw() {
        long before = engine.identified();
        verdict(InspectionRequest.tls("open.spotify.com").build());
        assertThat(engine.identified()).isEqualTo(before + 1);
    }

    static void assertApp(Verdict v, String ruleId, String name, String basis) {
        assertThat(v.action()).isEqualTo(Action.PASS);
        assertThat(v.finding()).map(Finding::ruleId).isEqualTo(Optional.of(ruleId));
        assertThat(v.finding()).map(Finding::ruleName).isEqualTo(Optional.of(name));
        assertThat(v.finding().orElseThrow().confidence()).isEqualTo(90);
        assertThat(v.note()).isEqualTo(basis);
    }

    private static Verdict verdict(InspectionRequest request) {
        try (Inspection i = engine.inspect(request)) {
            return i.verdict();
        }
    }

    private static Connection connection(int sourcePort, int destinationPort) {
        try {
            return new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.10.20"), sourcePort,
                    InetAddress.getByName("203.0.113.7"), destinationPort, Optional.empty());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.util.Random(19).nextBytes(b);
        return b;
    }
}
