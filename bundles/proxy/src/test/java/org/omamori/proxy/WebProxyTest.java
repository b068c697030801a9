package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFactory;
import org.omamori.events.Result;
import org.omamori.simulator.WireProbes;

/** The proxy with the real engines in front of a real origin, driven by exact bytes. */
class WebProxyTest {

    static RealEngines engines;
    static TestOrigin origin;
    static WebProxy proxy;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    static InetSocketAddress explicit;
    static InetSocketAddress transparent;
    static InetSocketAddress tls;

    @BeforeAll
    static void start() throws Exception {
        engines = new RealEngines();
        origin = new TestOrigin();
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan"),
                Listener.parse("http@127.0.0.1:0/lan"), Listener.parse("tls@127.0.0.1:0/ssid-primary")))
                .withHold(256 << 10, 1 << 30).withConnections(64, 64, ProxySettings.DEFAULTS.headTimeout())
                .withPorts(PortSet.of("443", String.valueOf(origin.port())), ProxySettings.DEFAULTS.httpPorts())
                .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32"));
        proxy = WebProxy.start(settings, engines.pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
        explicit = proxy.addresses().get(0);
        transparent = proxy.addresses().get(1);
        tls = proxy.addresses().get(2);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
        engines.close();
    }

    @BeforeEach
    void clear() {
        events.clear();
        origin.received.clear();
        origin.uploads.clear();
    }

    static String get(String url) {
        return "GET " + url + " HTTP/1.1\r\nHost: ignored.example\r\nUser-Agent: test\r\n\r\n";
    }

    @Test
    void aCleanPageIsForwardedAndTheConnectionKeptAlive() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/page")));
            RawClient.Response first = c.read();
            c.write(get(origin.url("/page?second")));
            RawClient.Response second = c.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(TestOrigin.PAGE);
            assertThat(second.body()).isEqualTo(TestOrigin.PAGE);
            assertThat(first.header("Via")).isEqualTo("1.1 omamori");
        }
        assertThat(origin.received).containsExactly("GET /page 0", "GET /page?second 0");
        assertThat(events).isEmpty();
    }

    /** An alert below the IPS's block level passes the page and is published when the exchange ends; the clean page after it is not (pipeline quiet()). */
    @Test
    void aPassedExchangeWithAFindingIsPublishedAndACleanOneIsNot() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write("GET " + origin.url("/page") + " HTTP/1.1\r\nHost: ignored.example\r\nUser-Agent: Nikto/2.5\r\n\r\n");
            RawClient.Response first = c.read();
            c.write(get(origin.url("/page?clean")));
            RawClient.Response second = c.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(TestOrigin.PAGE);
            assertThat(second.body()).isEqualTo(TestOrigin.PAGE);
        }
        await().untilAsserted(() -> assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.IPS);
            assertThat(e.ruleId()).isEqualTo("sid:9000015");
            assertThat(e.result()).isEqualTo(Result.PASS);
            assertThat(e.url()).endsWith("/page");
        }));
    }

    @Test
    void aPhishingSiteGetsTheBlockPageJapaneseFirst() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write(get("http://login-bank.phish.test/signin"));
            RawClient.Response r = c.read();

            assertThat(r.status()).isEqualTo(403);
            assertThat(r.text()).contains("ブロックされました", "Access to this page was blocked", "login-bank.phish.test");
            assertThat(r.text().indexOf("ブロック")).isLessThan(r.text().indexOf("blocked"));
            assertThat(c.closedByPeer()).isTrue();
        }
        await().untilAsserted(() -> assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.result()).isEqualTo(Result.BLOCK);
            assertThat(e.function()).isEqualTo(SecurityFunction.URL_FILTERING);
            assertThat(e.url()).isEqualTo("http://login-bank.phish.test/signin");
        }));
    }

    @Test
    void anSqlInjectionIsBlockedByTheIpsAndNeverReachesTheServer() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/item?id=1%20union%20select%20password%20from%20users")));
            assertThat(c.read().status()).isEqualTo(403);
        }
        assertThat(origin.received).isEmpty();
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.IPS);
            assertThat(e.ruleId()).isEqualTo("sid:9000001");
            assertThat(e.result()).isEqualTo(Result.BLOCK);
        }));
    }

    @Test
    void anInfectedDownloadIsReplacedByTheNoticeAndTheConnectionEndsCleanly() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/eicar.com")));
            RawClient.Response r = c.read();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"eicar.com\"");
            assertThat(r.text()).contains("無害化されました", "has been neutralised", "eicar.com");
            assertThat(r.text()).doesNotContain("EICAR-STANDARD-ANTIVIRUS-TEST-FILE");
            assertThat(c.closedByPeer()).as("the connection ends after the notice").isTrue();
        }
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.ANTIVIRUS);
            assertThat(e.result()).isEqualTo(Result.NEUTRALISE);
        }));
    }

    /** A gzip download in chunked framing reaches the antivirus decoded (by the pipeline, once): the user gets the notice. */
    @Test
    void aGzippedChunkedInfectedDownloadIsNeutralised() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/eicar.com?chunked,gzip")));
            RawClient.Response r = c.read();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains("has been neutralised").doesNotContain("EICAR-STANDARD-ANTIVIRUS-TEST-FILE");
        }
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.ANTIVIRUS);
            assertThat(e.ruleName()).startsWith("Omamori.Test.EICAR");
            assertThat(e.result()).isEqualTo(Result.NEUTRALISE);
        }));
    }

    @Test
    void aDownloadTooLargeToHoldIsCutOffWhenFoundInfected() throws Exception {
        byte[] big = new byte[(512 << 10) + TestOrigin.EICAR.length];
        System.arraycopy(TestOrigin.EICAR, 0, big, 512 << 10, TestOrigin.EICAR.length);
        origin.download = big;
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/download")));
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = c.socket.getInputStream().read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // the proxy cuts the connection: that is the point
            }
            byte[] all = got.toByteArray();
            String head = new String(all, 0, Math.min(all.length, 400), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200");
            int bodyStart = head.indexOf("\r\n\r\n") + 4;
            assertThat(all.length - bodyStart).as("the client never gets the whole file").isLessThan(big.length);
        }
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> assertThat(e.result()).isEqualTo(Result.NEUTRALISE)));
    }

    @Test
    void aLargeCleanDownloadArrivesWhole() throws Exception {
        byte[] big = new byte[10 << 20];
        new java.util.Random(1).nextBytes(big);
        origin.download = big;
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/download")));
            RawClient.Response r = c.read();
            assertThat(r.status()).as(r.head() + r.text().substring(0, Math.min(300, r.body().length))).isEqualTo(200);
            assertThat(r.body()).isEqualTo(big);
        }
    }

    @Test
    void anInfectedUploadIsRefusedAndNeverReachesTheServer() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write("POST " + origin.url("/upload") + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + TestOrigin.EICAR.length + "\r\n\r\n");
            c.write(TestOrigin.EICAR);
            assertThat(c.read().status()).isEqualTo(403);
        }
        assertThat(origin.uploads).isEmpty();
        // The IPS's EICAR-in-a-stream rule may see it before the antivirus has its answer: either blocks.
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> assertThat(e.result()).isIn(Result.BLOCK, Result.NEUTRALISE)));
    }

    @Test
    void aCleanChunkedUploadAndChunkedDownloadPassAsSent() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write("POST " + origin.url("/form?chunked") + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.body()).isEqualTo(TestOrigin.PAGE);
        }
        assertThat(origin.uploads).singleElement().satisfies(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("hello world"));
    }

    @Test
    void transparentHttpUsesTheHostHeader() throws Exception {
        try (RawClient c = new RawClient(transparent)) {
            c.write("GET /page HTTP/1.1\r\nHost: " + RealEngines.ORIGIN_ADDRESS + ":" + origin.port() + "\r\n\r\n");
            assertThat(c.read().body()).isEqualTo(TestOrigin.PAGE);
            c.write("GET /x HTTP/1.1\r\nHost: secure-update.example\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(403);
        }
    }

    @Test
    void ambiguousOrMalformedRequestsAreRefusedWithTheRightStatusAndNeverForwarded() throws Exception {
        String target = origin.url("/smuggle");
        String[][] cases = {
            {"POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400"},
            {"POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "400"},
            {"POST " + target + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", "400"},
            {"POST " + target + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "400"},
            {"POST " + target + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n", "400"},
            {"GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", "400"},
            {"GET " + target + " HTTP/1.1\nHost: x\n\n", "400"},
            {"GET " + target + " HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
            {"GET  " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
            {"G\u0001T " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
            {"GET " + target + "?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
            {"GET " + target + " HTTP/1.1\r\nHost: x\r\n" + "X-Big: " + "b".repeat(8000) + "\r\n".repeat(1)
                    + ("X-More: " + "c".repeat(8000) + "\r\n").repeat(9) + "\r\n", "431"},
            {"POST " + target + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", "400"},
            {"GET /relative HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
            {"GET http://user:pw@" + RealEngines.ORIGIN_ADDRESS + "/ HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
            {"CONNECT " + RealEngines.ORIGIN_ADDRESS + ":25 HTTP/1.1\r\nHost: x\r\n\r\n", "403"},
        };
        for (String[] c : cases) {
            try (RawClient client = new RawClient(explicit)) {
                client.write(c[0]);
                RawClient.Response r = client.read();
                assertThat(r.status()).as(c[0].substring(0, Math.min(80, c[0].length()))).isEqualTo(Integer.parseInt(c[1]));
            }
        }
        assertThat(origin.received).as("nothing ambiguous is forwarded").isEmpty();
        assertThat(proxy.counters().malformed()).isGreaterThanOrEqualTo(14);
    }

    @Test
    void aTlsConnectionToABlockedNameGetsAnAlertWithoutDecryption() throws Exception {
        byte[] hello = clientHello("beacon.c2.test");
        try (RawClient c = new RawClient(explicit)) {
            c.write("CONNECT beacon.c2.test:443 HTTP/1.1\r\nHost: beacon.c2.test:443\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.write(hello);
            byte[] answer = c.readAll();
            assertThat(answer).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31);
        }
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.result()).isEqualTo(Result.BLOCK);
            assertThat(e.host()).isEqualTo("beacon.c2.test");
        }));
        try (RawClient c = new RawClient(tls)) {
            c.write(clientHello("login-bank.phish.test"));
            assertThat(c.readAll()).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31);
        }
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.URL_FILTERING);
            assertThat(e.zones().from().id()).isEqualTo("ssid-primary");
        }));
    }

    @Test
    void anAllowedTunnelCarriesTheClientHelloAndEverythingAfterItUnchanged() throws Exception {
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(RealEngines.ORIGIN_ADDRESS))) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException ignored) {
                    // test end
                }
            });
            ProxySettings d = proxy.settings;
            byte[] hello = clientHello("www.example.jp");
            {
                // The echo server's port is not in connectPorts: use a proxy that allows it.
                try (WebProxy open = WebProxy.start(d.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                        .withPorts(PortSet.of(String.valueOf(echo.getLocalPort())), d.httpPorts()),
                        engines.pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
                     RawClient t = new RawClient(open.addresses().get(0))) {
                    t.write("CONNECT " + RealEngines.ORIGIN_ADDRESS + ":" + echo.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(t.read().status()).isEqualTo(200);
                    t.write(hello);
                    t.write("after the hello".getBytes(StandardCharsets.US_ASCII));
                    byte[] back = t.socket.getInputStream().readNBytes(hello.length + 15);
                    assertThat(back).startsWith(hello);
                    assertThat(new String(back, hello.length, 15, StandardCharsets.US_ASCII)).isEqualTo("after the hello");
                }
            }
        }
    }

    @Test
    void noByteOfAnyBodyReachesAnEvent() throws Exception {
        String marker = "OMAMORI-BODY-MARKER-7f3a";
        try (RawClient c = new RawClient(explicit)) {
            byte[] upload = ("<?php eval($_POST['x']); " + marker + " union select " + marker).getBytes(StandardCharsets.US_ASCII);
            c.write("POST " + origin.url("/upload.php") + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + upload.length + "\r\n\r\n");
            c.write(upload);
            c.read();
        }
        origin.download = (marker + new String(TestOrigin.EICAR, StandardCharsets.US_ASCII) + marker).getBytes(StandardCharsets.US_ASCII);
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/download")));
            c.read();
        }
        await().untilAsserted(() -> assertThat(events).hasSizeGreaterThanOrEqualTo(2));
        for (Event e : events) {
            assertThat(new String(EventCodec.toJson(e), StandardCharsets.UTF_8)).doesNotContain(marker);
        }
    }

    /** A real ClientHello, made by the JDK's TLS engine, naming {@code host}. */
    static byte[] clientHello(String host) throws Exception {
        ByteBuffer hello = WireProbes.clientHello(host);
        byte[] bytes = new byte[hello.remaining()];
        hello.get(bytes);
        return bytes;
    }
}
