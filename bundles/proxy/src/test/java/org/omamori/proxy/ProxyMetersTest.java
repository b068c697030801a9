package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.metrics.Meters;

class ProxyMetersTest {

    @Test
    void aRelayedPageShowsAsAConnectionARequestAndItsBodyBytes() throws Exception {
        Meters meters = Meters.isolated();
        try (RealEngines engines = new RealEngines(); TestOrigin origin = new TestOrigin()) {
            ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                    .withPorts(PortSet.of("443", String.valueOf(origin.port())), ProxySettings.DEFAULTS.httpPorts())
                    .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32"));
            try (ProxyRuntime proxy = ProxyRuntime.start(settings, engines.pipeline,
                    new EventFactory(new ApplianceId("00a0de000001")), events -> { }, meters)) {
                InetSocketAddress address = proxy.addresses().get(0);
                try (RawClient c = new RawClient(address)) {
                    c.write(WebProxyTest.get(origin.url("/page")));
                    assertThat(c.read().body()).isEqualTo(TestOrigin.PAGE);
                    assertThat(meters.scrape()).contains("omamori_proxy_connections_active 1.0");
                }
                String scrape = meters.scrape();
                assertThat(scrape).contains("omamori_proxy_connections_total 1.0")
                        .contains("omamori_proxy_requests_total{kind=\"http\"} 1.0")
                        .contains("omamori_proxy_bytes_total{direction=\"downstream\"} " + (double) TestOrigin.PAGE.length)
                        .contains("omamori_proxy_bytes_total{direction=\"upstream\"} 0.0")
                        .contains("omamori_proxy_outcomes_total{reason=\"blocked\"} 0.0");
                await().untilAsserted(() -> assertThat(meters.scrape()).contains("omamori_proxy_connections_active 0.0"));
            }
            assertThat(meters.scrape()).doesNotContain("omamori_proxy_");
        }
    }
}
