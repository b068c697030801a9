package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.Result;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * A TLS tunnel hands the engines the server's handshake as it crosses the proxy, without
 * decrypting anything: a rule on a TLS 1.2 server's certificate stops the connection before the
 * handshake completes, an alert-only rule reports it, and a TLS 1.3 server's certificate
 * (encrypted) is not seen. Real JDK TLS on both ends, the real IPS engine.
 */
class TlsCertificateTunnelTest {

    private static final String SID = "sid:9000001";

    @TempDir
    static Path tmp;
    static SSLContext serverContext;
    static SSLContext clientContext;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private InspectionPipeline pipeline;
    private IpsEngine ips;
    private WebProxy proxy;
    private SSLServerSocket origin;

    @BeforeAll
    static void keys() throws Exception {
        Path store = tmp.resolve("origin.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "o", "-keyalg", "EC", "-dname",
                "CN=evil-cert.test, O=Bad Corp, C=JP", "-validity", "30", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, new TrustManager[] {new TrustingEveryone()}, null);
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (ips != null) {
            ips.close();
        }
    }

    @Test
    void aDropRuleOnATls12ServersCertificateStopsTheHandshakeAndSaysSo() throws Exception {
        start("drop", "TLSv1.2");
        assertThatThrownBy(this::talk).isInstanceOf(IOException.class);
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.ruleId()).isEqualTo(SID);
            assertThat(e.result()).isEqualTo(Result.BLOCK);
            assertThat(e.host()).isEqualTo("evil-cert.test");
        }));
        assertThat(proxy.counters().blocked()).isEqualTo(1);
    }

    @Test
    void anAlertRuleOnTheCertificateLetsTheConnectionThroughAndReportsIt() throws Exception {
        start("alert", "TLSv1.2");
        assertThat(talk()).isEqualTo("pong");
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.ruleId()).isEqualTo(SID);
            assertThat(e.result()).isEqualTo(Result.PASS);
        }));
    }

    @Test
    void aTls13ServersCertificateIsEncryptedAndNotSeen() throws Exception {
        start("drop", "TLSv1.3");
        assertThat(talk()).isEqualTo("pong");
        Thread.sleep(200); // events of the tunnel are published when the server's handshake has been read
        assertThat(events).noneSatisfy(e -> assertThat(e.ruleId()).isEqualTo(SID));
    }

    private void start(String action, String protocol) throws Exception {
        Path rules = tmp.resolve(action + protocol + ".rules");
        Files.writeString(rules, action + " tls any any -> any any (msg:\"certificate of a known bad server\"; "
                + "tls.cert_subject; content:\"CN=evil-cert.test\"; sid:9000001; rev:1;)\n");
        ips = new IpsEngine("test", IpsSettings.DEFAULTS);
        assertThat(ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                IpsSettings.DEFAULTS)).isTrue();
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(ips);
        origin = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 8,
                InetAddress.getByName(RealEngines.ORIGIN_ADDRESS));
        origin.setEnabledProtocols(new String[] {protocol});
        Thread.ofVirtual().start(this::serve);
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                .withPorts(PortSet.of(String.valueOf(origin.getLocalPort())), ProxySettings.DEFAULTS.httpPorts())
                .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32"));
        proxy = WebProxy.start(settings, pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
    }

    /** The origin answers "ping" with "pong" on each connection. */
    private void serve() {
        while (!origin.isClosed()) {
            try (Socket s = origin.accept()) {
                s.setSoTimeout(5_000);
                byte[] ping = s.getInputStream().readNBytes(4);
                if (new String(ping, StandardCharsets.US_ASCII).equals("ping")) {
                    s.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
            } catch (IOException e) {
                // a refused handshake or the test's end
            }
        }
    }

    /** CONNECT through the proxy, then TLS to the origin by the name in its certificate. */
    private String talk() throws IOException {
        InetSocketAddress address = proxy.addresses().get(0);
        try (Socket plain = new Socket(address.getAddress(), address.getPort())) {
            plain.setSoTimeout(5_000);
            OutputStream out = plain.getOutputStream();
            out.write(("CONNECT " + RealEngines.ORIGIN_ADDRESS + ":" + origin.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = plain.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the proxy closed before answering CONNECT");
                }
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200");
            try (SSLSocket tls = (SSLSocket) clientContext.getSocketFactory().createSocket(plain, "evil-cert.test",
                    origin.getLocalPort(), true)) {
                tls.startHandshake();
                tls.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                return new String(tls.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
            }
        }
    }

    /** The test's client trusts any certificate: what is tested is what the proxy sees, not PKI. */
    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
