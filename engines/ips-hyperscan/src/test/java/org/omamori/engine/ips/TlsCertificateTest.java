package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;

/**
 * The server certificate's buffers, read from a TLS 1.2 handshake as it crosses the wire (records
 * split anywhere), with a real certificate made by the JDK's keytool for this test.
 */
class TlsCertificateTest {

    @TempDir
    static Path tmp;
    static byte[] der;
    IpsEngine engine;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = tmp.resolve("k.p12");
        Path cert = tmp.resolve("c.der");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "a", "-keyalg", "EC", "-dname", "CN=evil.example, O=Bad Corp, C=JP",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit");
        run(keytool, "-exportcert", "-alias", "a", "-keystore", store.toString(), "-storepass", "changeit", "-file", cert.toString());
        der = Files.readAllBytes(cert);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void load(String... rules) throws Exception {
        engine = IpsEngineTest.loaded(IpsEngineTest.rulesFile(tmp, rules));
    }

    /** The server's side: ServerHello (TLS 1.2, or 1.3 by supported_versions), then Certificate, in records of {@code recordSize}. */
    static byte[] serverFlight(boolean tls13, int recordSize) {
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.write(3);
        hello.write(3);
        hello.writeBytes(new byte[32]);
        hello.write(0); // session id
        hello.write(0xC0);
        hello.write(0x2F);
        hello.write(0);
        byte[] ext = tls13 ? new byte[] {0, 43, 0, 2, 3, 4} : new byte[] {0, 23, 0, 0};
        hello.write(0);
        hello.write(ext.length);
        hello.writeBytes(ext);
        message(hs, 2, hello.toByteArray());
        ByteArrayOutputStream certs = new ByteArrayOutputStream();
        int24(certs, der.length + 3);
        int24(certs, der.length);
        certs.writeBytes(der);
        message(hs, 11, certs.toByteArray());
        byte[] all = hs.toByteArray();
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int at = 0; at < all.length; at += recordSize) {
            int n = Math.min(recordSize, all.length - at);
            records.writeBytes(new byte[] {22, 3, 3, (byte) (n >> 8), (byte) n});
            records.write(all, at, n);
        }
        return records.toByteArray();
    }

    private static void message(ByteArrayOutputStream out, int type, byte[] body) {
        out.write(type);
        int24(out, body.length);
        out.writeBytes(body);
    }

    private static void int24(ByteArrayOutputStream out, int v) {
        out.write(v >> 16);
        out.write(v >> 8);
        out.write(v);
    }

    private String sid(byte[] server, int chunk) throws Exception {
        InspectionRequest hello = InspectionRequest.tls("evil.example").connection(IpsEngineTest.connection("192.168.1.5", 40000, "203.0.113.9", 443)).build();
        try (Inspection i = engine.inspect(hello)) {
            for (int at = 0; at < server.length; at += chunk) {
                i.body(Direction.RESPONSE, ByteBuffer.wrap(server, at, Math.min(chunk, server.length - at)).slice());
            }
            return i.verdict().finding().map(f -> f.ruleId()).orElse("");
        }
    }

    @Test
    void subjectIssuerFingerprintAndChainOfATls12CertificateWhateverTheRecordsAndChunks() throws Exception {
        StringBuilder fp = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-1").digest(der)) {
            fp.append(fp.isEmpty() ? "" : ":").append(String.format("%02x", b));
        }
        load("alert tls any any -> any any (msg:\"subject\"; flow:to_client; tls.cert_subject; content:\"C=JP, O=Bad Corp, CN=evil.example\"; sid:1;)");
        for (int record : new int[] {16_384, 100, 7}) {
            for (int chunk : new int[] {100_000, 13, 1}) {
                assertThat(sid(serverFlight(false, record), chunk)).as("record %d, chunk %d", record, chunk).isEqualTo("sid:1");
            }
        }
        load("alert tls any any -> any any (msg:\"issuer\"; tls.cert_issuer; content:\"CN=evil.example\"; endswith; sid:2;)");
        assertThat(sid(serverFlight(false, 50), 9)).isEqualTo("sid:2");
        load("alert tls any any -> any any (msg:\"fingerprint\"; tls.cert_fingerprint; content:\"" + fp + "\"; bsize:59; sid:3;)");
        assertThat(sid(serverFlight(false, 50), 9)).isEqualTo("sid:3");
        load("alert tls any any -> any any (msg:\"sni and chain\"; tls.sni; content:\"evil.example\"; tls.certs; content:\"Bad Corp\"; sid:4;)");
        assertThat(sid(serverFlight(false, 50), 9)).isEqualTo("sid:4");
        load("alert tls any any -> any any (msg:\"other\"; tls.cert_subject; content:\"CN=good.example\"; sid:5;)");
        assertThat(sid(serverFlight(false, 50), 9)).isEmpty();
    }

    @Test
    void aTls13HandshakeHidesItsCertificate() throws Exception {
        load("alert tls any any -> any any (msg:\"subject\"; tls.cert_subject; content:\"CN=evil.example\"; sid:1;)");
        assertThat(sid(serverFlight(false, 1000), 1000)).isEqualTo("sid:1");
        assertThat(sid(serverFlight(true, 1000), 1000)).as("after a TLS 1.3 ServerHello it is encrypted: not read").isEmpty();
        assertThat(sid(new byte[] {23, 3, 3, 0, 5, 1, 2, 3, 4, 5}, 10)).as("application data").isEmpty();
    }

    /** A ClientHello with GREASE values in its ciphers, extensions and groups, in one record. */
    static byte[] clientHello() {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {3, 3});
        h.writeBytes(new byte[32]);
        h.write(0);
        h.writeBytes(new byte[] {0, 6, 0x0a, 0x0a, 0x13, 0x01, (byte) 0xc0, 0x2f}); // GREASE, 4865, 49199
        h.writeBytes(new byte[] {1, 0});
        byte[] sni = {0, 0, 0, 5, 0, 3, 0, 0, 0}; // server_name (content not looked at)
        byte[] grease = {0x0a, 0x0a, 0, 0};
        byte[] groups = {0, 10, 0, 8, 0, 6, 0x1a, 0x1a, 0, 29, 0, 23};
        byte[] formats = {0, 11, 0, 2, 1, 0};
        int extLength = grease.length + sni.length + groups.length + formats.length;
        h.write(extLength >> 8);
        h.write(extLength);
        h.writeBytes(grease);
        h.writeBytes(sni);
        h.writeBytes(groups);
        h.writeBytes(formats);
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        message(hs, 1, h.toByteArray());
        byte[] all = hs.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, 3, 1, (byte) (all.length >> 8), (byte) all.length});
        record.writeBytes(all);
        return record.toByteArray();
    }

    static String md5(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    private String sidWithClient(byte[] client, byte[] server) throws Exception {
        InspectionRequest hello = InspectionRequest.tls("x.example").connection(IpsEngineTest.connection("192.168.1.5", 40000, "203.0.113.9", 443)).build();
        try (Inspection i = engine.inspect(hello)) {
            for (byte b : client) {
                i.body(Direction.REQUEST, ByteBuffer.wrap(new byte[] {b}));
            }
            if (server != null) {
                i.body(Direction.RESPONSE, ByteBuffer.wrap(server));
            }
            return i.verdict().finding().map(f -> f.ruleId()).orElse("");
        }
    }

    @Test
    void ja3AndJa3sAreTheMd5OfTheHellosWithoutGrease() throws Exception {
        String ja3 = "771,4865-49199,0-10-11,29-23,0";
        load("alert tls any any -> any any (msg:\"ja3\"; ja3.hash; content:\"" + md5(ja3) + "\"; sid:1;)");
        assertThat(sidWithClient(clientHello(), null)).isEqualTo("sid:1");
        load("alert tls any any -> any any (msg:\"ja3 legacy\"; ja3_hash; content:\"" + md5("771,4865-49199,0-10-11,29-23") + "\"; sid:2;)");
        assertThat(sidWithClient(clientHello(), null)).as("another string, another hash").isEmpty();
        load("alert tls any any -> any any (msg:\"ja3 string\"; ja3.string; content:\"" + ja3 + "\"; bsize:30; sid:3;)");
        assertThat(sidWithClient(clientHello(), null)).isEqualTo("sid:3");
        load("alert tls any any -> any any (msg:\"ja3s\"; flow:to_client; ja3s.hash; content:\"" + md5("771,49199,23") + "\"; sid:4;)");
        assertThat(sidWithClient(clientHello(), serverFlight(false, 300))).isEqualTo("sid:4");
        assertThat(sidWithClient(clientHello(), serverFlight(true, 300))).as("771,49199,43 for the 1.3 hello").isEmpty();
    }
}
