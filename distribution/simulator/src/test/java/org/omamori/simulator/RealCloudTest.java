package org.omamori.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.cloud.ingest.IngestLimits;
import org.omamori.cloud.rest.CloudServer;
import org.omamori.cloud.rest.ServerCertificate;
import org.omamori.cloud.rest.ServerSettings;
import org.omamori.engine.av.clamd.ClamdDaemon;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.grading.AlertChange;
import org.omamori.grading.Grade;
import org.omamori.grading.Grader;
import org.omamori.grading.StarTable;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.EventQuery;
import org.omamori.store.StoredEvent;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;

/**
 * The simulator against the real cloud API and store in-process (H2, TLS 1.3, one-time
 * activation codes from the real registration): two customers' appliances activate, their
 * events pass the cloud's strict validation and are stored under the right customer, their
 * heartbeats count as contact; the stored events, graded with the standard table, give customer
 * A (beacon) a ★★★ mail and customer B (no beacon) only ★☆☆ mail.
 */
class RealCloudTest {

    @TempDir
    Path dir;

    @Test
    void twoCustomersAppliancesShipToTheRealCloudAndGradeHighAndLow() throws Exception {
        ClamdDaemon.SHARED.start();
        ApplianceId a1 = ApplianceId.parse("00a0dec1a001");
        ApplianceId a2 = ApplianceId.parse("00a0dec1a002");
        ApplianceId b1 = ApplianceId.parse("00a0dec1b001");
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("cloud/omamori")))) {
            var reseller = store.tenants().createReseller("大阪商工会議所");
            CustomerId customerA = store.tenants().createCustomer(reseller, "株式会社エー");
            CustomerId customerB = store.tenants().createCustomer(reseller, "株式会社ビー");
            List<ApplianceSpec> specs = List.of(
                    ApplianceSpec.of(a1.value(), "株式会社エー", store.tenants().registerAppliance(customerA, a1), TrafficProfile.standard()),
                    ApplianceSpec.of(a2.value(), "株式会社エー", store.tenants().registerAppliance(customerA, a2), TrafficProfile.browsingOnly()),
                    ApplianceSpec.of(b1.value(), "株式会社ビー", store.tenants().registerAppliance(customerB, b1), TrafficProfile.withoutBeacon()));
            ServerCertificate certificate = ServerCertificate.at(dir.resolve("cloud/tls/cloud.p12")).ensure(List.of("localhost", "127.0.0.1"), 2);
            try (CloudServer server = CloudServer.start(new ServerSettings("127.0.0.1", 0, certificate.keyStore(), certificate.password(),
                    new IngestLimits(8 << 20, Duration.ofMinutes(10)), Duration.ofSeconds(30)), () -> Optional.of(store.ingest()),
                    Clock.systemUTC())) {
                SimulatorSettings settings = SimulatorSettings.of(server.localUri(), Optional.of(certificate.pem()), dir.resolve("sim"), specs)
                        .withPace(Duration.ofMillis(100), Duration.ofSeconds(2))
                        .withHeartbeatEvery(Duration.ofSeconds(1))
                        .withEngines(Engines.sampleLists(), Engines.projectRules(), ClamdDaemon.SHARED.address());
                try (Simulator sim = Simulator.start(settings)) {
                    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                        assertThat(rules(store, customerA)).contains("category:c2", "sid:9000012", "category:phishing", "category:news")
                                .anyMatch(r -> r.startsWith("clamav:"));
                        assertThat(rules(store, customerB)).contains("category:phishing").anyMatch(r -> r.startsWith("clamav:"))
                                .doesNotContain("category:c2", "sid:9000012");
                    });
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                            store.fleet().status(new TenantScope.Customer(customerA), Instant.now()))
                            .extracting(ApplianceStatus::liveness).containsOnly(ApplianceStatus.Liveness.ONLINE));
                }
                assertThat(mailedGrades(store, customerA)).contains(Grade.HIGH);
                assertThat(mailedGrades(store, customerB)).isNotEmpty().containsOnly(Grade.LOW);
            }
        }
    }

    private static List<StoredEvent> stored(Store store, CustomerId customer) {
        EventQuery all = EventQuery.period(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofHours(1)))
                .limit(EventQuery.MAX_LIMIT);
        return store.events().events(new TenantScope.Customer(customer), all).events();
    }

    private static List<String> rules(Store store, CustomerId customer) {
        return stored(store, customer).stream().map(e -> e.event().ruleId()).distinct().toList();
    }

    /** The grades the cloud would mail for the customer's stored events, graded in time order. */
    private static List<Grade> mailedGrades(Store store, CustomerId customer) {
        List<Event> events = new ArrayList<>(stored(store, customer).stream().map(StoredEvent::event).toList());
        events.sort(Comparator.comparing(Event::time).thenComparing(e -> e.id().toString()));
        Grader grader = new Grader(StarTable.standard());
        List<Grade> grades = new ArrayList<>();
        for (Event e : events) {
            grader.accept(e).stream().filter(AlertChange::mails).forEach(c -> grades.add(c.alert().grade()));
        }
        return grades;
    }
}
