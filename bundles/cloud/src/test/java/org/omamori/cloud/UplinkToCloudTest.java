package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.EventQuery;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;
import org.omamori.uplink.Uplink;
import org.omamori.uplink.UplinkSettings;

/**
 * The contract of docs/api/uplink.yaml from both ends: the appliance's real spool and uplink
 * (bundles/spool) against the cloud's real REST layer and store (H2), over TLS 1.3.
 */
class UplinkToCloudTest {

    @TempDir
    Path dir;

    @Test
    void anApplianceActivatesShipsItsSpoolAndBeatsAndTheCloudStoresEachEventOnce() throws Exception {
        ApplianceId appliance = new ApplianceId("00a0de5a11ce");
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("cloud/omamori")))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("大阪商工会議所"), "株式会社テスト");
            String code = store.tenants().registerAppliance(customer, appliance);
            try (CloudFixture cloud = new CloudFixture(dir, store.ingest())) {
                EventFactory factory = new EventFactory(appliance);
                Spool spool = Spool.open(new SpoolSettings(dir.resolve("appliance/spool"), SpoolSettings.DEFAULT_MAX_BYTES,
                        SpoolSettings.DEFAULT_SEGMENT_BYTES, Duration.ofMillis(100)), factory);
                List<Event> sent = new ArrayList<>();
                for (int i = 0; i < 1_200; i++) {
                    sent.addAll(blockedPhishing(factory, i));
                }
                spool.publish(sent);
                UplinkSettings settings = new UplinkSettings(cloud.uri("/"), appliance, code,
                        Optional.of(cloud.certificate.pem()), dir.resolve("appliance/device.token"), Duration.ofSeconds(1), 500,
                        1 << 20, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), "test-1.0");
                try (Uplink uplink = Uplink.start(settings, spool, () -> Map.of("urlfilter", "2026.1"))) {
                    TenantScope scope = new TenantScope.Customer(customer);
                    EventQuery all = EventQuery.period(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)));
                    await().atMost(Duration.ofSeconds(60)).until(() -> store.events().count(scope, all) == sent.size());
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        ApplianceStatus status = store.fleet().status(scope, Instant.now()).get(0);
                        assertThat(status.firmwareVersion()).contains("test-1.0");
                        assertThat(status.definitions()).containsEntry("urlfilter", "2026.1");
                    });
                } finally {
                    spool.close();
                }
                TenantScope scope = new TenantScope.Customer(customer);
                EventQuery all = EventQuery.period(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)));
                assertThat(store.events().events(scope, all).events())
                        .allSatisfy(e -> assertThat(e.event().url()).startsWith("http://login-bank.phish.test/"));
                // The activation code was used up by the appliance: it cannot activate anything again.
                assertThat(store.ingest().activate(appliance, code)).isEmpty();
            }
        }
    }

    private static List<Event> blockedPhishing(EventFactory factory, int i) throws Exception {
        InspectionRequest request = InspectionRequest.http("GET", "http://login-bank.phish.test/" + i)
                .connection(new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.23"), 50_000 + i % 1000,
                        InetAddress.getByName("203.0.113.9"), 80, Optional.empty()))
                .build();
        EngineDescriptor url = new EngineDescriptor("urlfilter", "1.0", Set.of(SecurityFunction.URL_FILTERING));
        Verdict block = Verdict.block(new Finding("category:phishing", "フィッシング詐欺 / Phishing", Level.HIGH, 100, Evidence.PHISHING));
        return factory.of(request, new PipelineResult(block, List.of(
                new EngineResult(url, EngineResult.Outcome.DECIDED, block, "", Duration.ZERO))), false);
    }
}
