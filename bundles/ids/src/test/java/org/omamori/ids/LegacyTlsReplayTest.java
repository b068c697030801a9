package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * A client that opens TLS with an SSLv2-compatible ClientHello (old clients reaching TLS servers):
 * the replay reads it as TLS, as Suricata does, so the server's certificate is inspected.
 */
class LegacyTlsReplayTest {

    /** A self-signed certificate, serial 0x55, subject CN=legacy.example (openssl req -x509, P-256). */
    private static final byte[] CERT = Base64.getDecoder().decode(
            "MIIBdTCCARqgAwIBAgIBVTAKBggqhkjOPQQDAjAZMRcwFQYDVQQDDA5sZWdhY3kuZXhhbXBsZTAeFw0yNjEyMDYxMDM3NDlaFw0z"
            + "NjEyMDMxMDM3NDlaMBkxFzAVBgNVBAMMDmxlZ2FjeS5leGFtcGxlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8D9vzwWNJ30d"
            + "OzI5XqUg0ZOpbDkcPx1oGGeb5T1ISwx5l+twVq/Qs4AuS7BEaivaTLAj9EryzOjIVPNX8GDe2qNTMFEwHQYDVR0OBBYEFNcxzMOz"
            + "OX9yr2RDX9WjuH4i9autMB8GA1UdIwQYMBaAFNcxzMOzOX9yr2RDX9WjuH4i9autMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0E"
            + "AwIDSQAwRgIhAJ30PZZhlhG5/UzpGfVS2n/G/5HJ1LihhBlB+abOqThCAiEAlep+2MdZ5TkqM2Nk/pBXgeTY7gBdJebB1eGkKqDd"
            + "VMo=");

    /** CLIENT-HELLO in an SSLv2 record, version TLS 1.0, seven cipher specs, a 16-byte challenge. */
    static byte[] sslv2Hello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 46, 1, 3, 1, 0, 21, 0, 0, 0, 16});
        b.writeBytes(new byte[] {0, 0, 0x39, 0, 0, 0x38, 0, 0, 0x35, 0, 0, 0x33, 0, 0, 0x32, 0, 0, 0x04, 0, 0, 0x05});
        b.writeBytes(new byte[16]);
        return b.toByteArray();
    }

    /** The server's TLS 1.0 answer: ServerHello and Certificate, each in a handshake record. */
    static byte[] serverHandshake() {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(new byte[] {2, 0, 0, 38, 3, 1});
        hello.writeBytes(new byte[32]);
        hello.writeBytes(new byte[] {0, 0, 0x35, 0});
        ByteArrayOutputStream cert = new ByteArrayOutputStream();
        int n = CERT.length;
        cert.writeBytes(new byte[] {11, 0, (byte) ((n + 6) >> 8), (byte) (n + 6), 0, (byte) ((n + 3) >> 8), (byte) (n + 3),
                0, (byte) (n >> 8), (byte) n});
        cert.writeBytes(CERT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] message : List.of(hello.toByteArray(), cert.toByteArray())) {
            out.writeBytes(new byte[] {0x16, 3, 1, (byte) (message.length >> 8), (byte) message.length});
            out.writeBytes(message);
        }
        return out.toByteArray();
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void anSslv2HelloIsReadAsTlsSoTheServersCertificateIsInspected(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("tls.rules");
        Files.writeString(rules, """
                alert tls any any -> any any (msg:"serial 55"; tls.cert_serial; content:"55"; sid:7300001; rev:1;)
                alert tls any any -> any any (msg:"legacy subject"; tls.cert_subject; content:"legacy.example"; sid:7300002; rev:1;)
                """);
        IpsEngine ips = new IpsEngine("tls", IpsSettings.DEFAULTS);
        assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), m -> { }),
                IpsSettings.DEFAULTS)).isTrue();
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(ips);

        CaptureWriter w = new CaptureWriter();
        new TcpSession(w, "192.168.1.20", 40200, "198.51.100.40", 443).handshake()
                .client(latin1(sslv2Hello()))
                .server(latin1(serverHandshake()))
                .client(latin1(new byte[] {0x14, 3, 1, 0, 1, 1}))
                .close();
        ReplayTest.Outcome o = ReplayTest.replay(w.write(CaptureWriter.Format.PCAP_MICROS_LE), Replay.Options.DEFAULTS, pipeline);

        assertThat(o.rule("7300001")).hasSize(1);
        assertThat(o.rule("7300002")).hasSize(1);
        assertThat(o.summary().reassembly()).containsEntry("TLS ClientHellos", 1L);
    }

    @Test
    void bytesThatOnlyStartLikeAnSslv2RecordAreNoHello() {
        byte[] hello = sslv2Hello();
        assertThat(SniffingSession.sslv2Hello(hello, 0, hello.length)).isTrue();
        byte[] junk = {(byte) 0x85, 0, 0, 0, 0x25, 0x6c};
        assertThat(SniffingSession.sslv2Hello(junk, 0, junk.length)).isFalse(); // http-not09-file's client bytes
        byte[] oddVersion = hello.clone();
        oddVersion[3] = 7;
        assertThat(SniffingSession.sslv2Hello(oddVersion, 0, oddVersion.length)).isFalse();
    }
}
