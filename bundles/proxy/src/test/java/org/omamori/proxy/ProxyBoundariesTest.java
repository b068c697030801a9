package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.Result;

/**
 * Where the proxy may go and how long a client may take: the appliance itself and loopback are
 * never reached, CONNECT is decided on every name it involves, slow clients are cut at the
 * deadline without starving others.
 */
class ProxyBoundariesTest {

    static RealEngines engines;
    static TestOrigin origin;
    static WebProxy proxy;
    static InetSocketAddress explicit;
    static InetSocketAddress tls;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    /** Stands for the appliance's admin endpoint on 127.0.0.1: counts every connection that reaches it. */
    static ServerSocket admin;
    static final AtomicInteger adminConnections = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        engines = new RealEngines();
        origin = new TestOrigin();
        admin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!admin.isClosed()) {
                try (Socket s = admin.accept()) {
                    adminConnections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan"),
                        Listener.parse("tls@127.0.0.1:0/lan")))
                .withPorts(PortSet.of("443", String.valueOf(admin.getLocalPort())), PortSet.of("80", "1024-65535"))
                .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32"));
        proxy = WebProxy.start(settings, engines.pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
        explicit = proxy.addresses().get(0);
        tls = proxy.addresses().get(1);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        origin.close();
        admin.close();
        engines.close();
    }

    @BeforeEach
    void clear() {
        events.clear();
    }

    @Test
    void theApplianceItselfAndLoopbackAreNeverReached() throws Exception {
        int port = admin.getLocalPort();
        String[] hosts = {"127.0.0.1", "localhost", "127.1", "2130706433", "[::1]", "[::ffff:127.0.0.1]", "0.0.0.0", "0",
            "169.254.169.254", "[fe80::1]", "224.0.0.1"};
        for (String host : hosts) {
            try (RawClient c = new RawClient(explicit)) {
                c.write("GET http://" + host + ":" + port + "/engines HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n");
                RawClient.Response r = c.read();
                assertThat(r.status()).as(host).isEqualTo(403);
                assertThat(r.text()).as("no file paths in error texts").doesNotContain("/work", "/home", ".java", "/tmp");
            }
            try (RawClient c = new RawClient(explicit)) {
                c.write("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.read().status()).as("CONNECT " + host).isEqualTo(403);
            }
        }
        try (RawClient c = new RawClient(tls)) {
            c.write(WebProxyTest.clientHello("localhost"));
            assertThat(c.readAll()).as("transparent TLS to the appliance itself").containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31);
        }
        Thread.sleep(200);
        assertThat(adminConnections).as("not one connection reached the appliance").hasValue(0);
        assertThat(proxy.counters().refusedDestinations()).isGreaterThanOrEqualTo(hosts.length * 2L);
        await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
            assertThat(e.ruleId()).isEqualTo("proxy:forbidden-destination");
            assertThat(e.result()).isEqualTo(Result.BLOCK);
            assertThat(e.evidence()).isEqualTo(org.omamori.api.engine.Evidence.RECONNAISSANCE);
        }));
    }

    @Test
    void plainHttpReachesOnlyTheAllowedPorts() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write("GET http://" + RealEngines.ORIGIN_ADDRESS + ":25/ HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(403);
        }
        try (RawClient c = new RawClient(explicit)) {
            c.write("GET " + origin.url("/page") + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().status()).as("a high port is allowed by default").isEqualTo(200);
        }
    }

    @Test
    void aConnectToAListedHostIsBlockedWhateverTheClientHelloNames() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write("CONNECT beacon.c2.test:443 HTTP/1.1\r\nHost: beacon.c2.test:443\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.write(WebProxyTest.clientHello("www.google.com"));
            assertThat(c.readAll()).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31);
        }
        await().untilAsserted(() -> {
            assertThat(events).anySatisfy(e -> {
                assertThat(e.ruleId()).isEqualTo("proxy:sni-mismatch");
                assertThat(e.note()).contains("beacon.c2.test", "www.google.com");
            });
            assertThat(events).anySatisfy(e -> {
                assertThat(e.result()).isEqualTo(Result.BLOCK);
                assertThat(e.host()).isEqualTo("beacon.c2.test");
            });
        });
    }

    @Test
    void aMismatchIsAnEventAndBlockedWhenConfigured() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getByName(RealEngines.ORIGIN_ADDRESS))) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException ignored) {
                    // test end
                }
            });
            ProxySettings base = proxy.settings.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                    .withPorts(PortSet.of(String.valueOf(echo.getLocalPort())), proxy.settings.httpPorts());
            byte[] hello = WebProxyTest.clientHello("www.example.jp");
            String connect = "CONNECT " + RealEngines.ORIGIN_ADDRESS + ":" + echo.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n";
            try (WebProxy open = WebProxy.start(base, engines.pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
                 RawClient t = new RawClient(open.addresses().get(0))) {
                t.write(connect);
                assertThat(t.read().status()).isEqualTo(200);
                t.write(hello);
                assertThat(t.socket.getInputStream().readNBytes(hello.length)).as("by default only an event").isEqualTo(hello);
            }
            await().untilAsserted(() -> assertThat(events).anySatisfy(e -> {
                assertThat(e.ruleId()).isEqualTo("proxy:sni-mismatch");
                assertThat(e.result()).isEqualTo(Result.PASS);
            }));
            events.clear();
            try (WebProxy strict = WebProxy.start(base.withBlockSniMismatch(true), engines.pipeline,
                    new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
                 RawClient t = new RawClient(strict.addresses().get(0))) {
                t.write(connect);
                assertThat(t.read().status()).isEqualTo(200);
                t.write(hello);
                assertThat(t.readAll()).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31);
            }
            assertThat(events).anySatisfy(e -> {
                assertThat(e.ruleId()).isEqualTo("proxy:sni-mismatch");
                assertThat(e.result()).isEqualTo(Result.BLOCK);
            });
        }
    }

    /**
     * 500 connections trickle a request head a byte every 2 s. With a 3 s head deadline and 256
     * connections per client address, a normal client is served meanwhile, every trickling
     * connection is closed by the deadline or refused outright, and each is counted.
     */
    @Test
    void slowClientsAreCutAtTheDeadlineAndCannotStarveOthers() throws Exception {
        ProxySettings slow = proxy.settings.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                .withConnections(300, 256, Duration.ofSeconds(3));
        try (WebProxy guarded = WebProxy.start(slow, engines.pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll)) {
            InetSocketAddress at = guarded.addresses().get(0);
            List<Socket> trickling = new ArrayList<>();
            try {
                for (int i = 0; i < 500; i++) {
                    Socket s = new Socket();
                    s.connect(at, 5000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write('G');
                    trickling.add(s);
                }
                // A normal client on another address of this machine is served at once.
                long started = System.nanoTime();
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                    s.connect(at, 5000);
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    out.write(("GET " + origin.url("/page") + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
                    assertThat(head).isEqualTo("HTTP/1.1 200");
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                Thread.sleep(2000);
                int closedEarly = 0;
                for (Socket s : trickling) {
                    try {
                        s.getOutputStream().write('E');
                    } catch (IOException refused) {
                        closedEarly++;
                    }
                }
                // Every trickling connection ends: refused at once or closed at the head deadline.
                for (Socket s : trickling) {
                    try {
                        assertThat(s.getInputStream().read()).isEqualTo(-1);
                    } catch (IOException reset) {
                        // closed: fine
                    }
                }
                assertThat(guarded.counters().refusedConnections()).as("over the per-client limit").isGreaterThanOrEqualTo(500 - 256);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(guarded.counters().headTimeouts()).as("cut at the deadline").isGreaterThanOrEqualTo(250));
                assertThat(closedEarly).isGreaterThanOrEqualTo(0);
            } finally {
                for (Socket s : trickling) {
                    s.close();
                }
            }
        }
    }
}
