package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** Past the memory budget the proxy answers 503 (Japanese first) to every new request, and serves again after (docs/operations.md "Memory budget"). */
class MemorySheddingTest {

    /** A guard the test switches. */
    static final class Switch implements LoadShedding {
        final AtomicBoolean on = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public boolean shedding() {
            return on.get();
        }

        @Override
        public String reason() {
            return on.get() ? "heap after collection 240 MB of 269 MB (over 85 %)" : "";
        }

        @Override
        public void refused(String intake) {
            assertThat(intake).isEqualTo("proxy");
            refused.incrementAndGet();
        }

        @Override
        public boolean awaitAccepting(Duration timeout) {
            return !on.get();
        }
    }

    private final Switch guard = new Switch();
    private TestOrigin origin;
    private InspectionPipeline pipeline;
    private WebProxy proxy;
    private InetSocketAddress explicit;
    private InetSocketAddress tls;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan"),
                        Listener.parse("tls@127.0.0.1:0/lan")))
                .withPorts(PortSet.of("443", String.valueOf(origin.port())), ProxySettings.DEFAULTS.httpPorts())
                .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32"));
        proxy = WebProxy.start(settings, pipeline, new EventFactory(new ApplianceId("00a0de000018")), list -> { });
        explicit = proxy.addresses().get(0);
        tls = proxy.addresses().get(1);
        Shedding.install(guard);
    }

    @AfterEach
    void stop() {
        Shedding.uninstall(guard);
        proxy.close();
        pipeline.close();
        origin.close();
    }

    private static String get(String url) {
        return "GET " + url + " HTTP/1.1\r\nHost: ignored.example\r\n\r\n";
    }

    @Test
    void whileSheddingANewRequestGets503JapaneseFirstAndTheOriginIsNotAsked() throws Exception {
        guard.on.set(true);
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/page")));
            RawClient.Response r = c.read();

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.text()).contains("ただいま混み合っています", "503 Service Unavailable", "memory budget");
            assertThat(r.text().indexOf("混み合って")).isLessThan(r.text().indexOf("<p lang=\"en\">"));
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(origin.received).isEmpty();
        assertThat(guard.refused.get()).isEqualTo(1);
    }

    @Test
    void aKeptAliveConnectionIsRefusedItsNextRequestAndServedAgainOnceTheGuardLetsGo() throws Exception {
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/first")));
            assertThat(c.read().status()).isEqualTo(200);
            guard.on.set(true);
            c.write(get(origin.url("/second")));
            assertThat(c.read().status()).isEqualTo(503);
        }
        guard.on.set(false);
        try (RawClient c = new RawClient(explicit)) {
            c.write(get(origin.url("/third")));
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(origin.received).containsExactly("GET /first 0", "GET /third 0");
        assertThat(guard.refused.get()).isEqualTo(1);
    }

    @Test
    void aTransparentTlsConnectionIsClosedAtOnceWhileShedding() throws Exception {
        guard.on.set(true);
        try (RawClient c = new RawClient(tls)) {
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(guard.refused.get()).isEqualTo(1);
    }
}
