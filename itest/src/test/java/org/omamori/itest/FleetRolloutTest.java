package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.Kind;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.Pem;
import org.omamori.definitions.SignedPackage;
import org.omamori.events.ApplianceId;
import org.omamori.simulator.ApplianceSpec;
import org.omamori.simulator.SimulatedDefinitions;
import org.omamori.simulator.Simulator;
import org.omamori.simulator.SimulatorSettings;
import org.omamori.simulator.TrafficProfile;
import org.omamori.simulator.VirtualAppliance;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;
import org.omamori.store.DefinitionPackages;
import org.omamori.store.DefinitionPackages.Canaries;
import org.omamori.store.DefinitionPackages.Rollout;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;
import org.omamori.uplink.CloudTls;

/**
 * A staged definitions rollout and a rollback across a fleet (docs/definitions.md "Staged rollout and
 * rollback"): the exported cloud runtime on its embedded H2, its REST API over TLS 1.3 and its monitor's
 * job {@code definitions-canaries} (every 2 s here: {@code definitionsCanarySeconds}); 20 simulated
 * appliances, each with its own home, spool, uplink and the appliance's own definitions code
 * (CloudSource → PackageReader → Installer, verifying an Ed25519 operator key made here) pulling when a
 * heartbeat's answer names a newer package, reporting the versions in force in its heartbeats and its
 * failures as {@code definitions:failed} events through the uplink. Packages are published with the store
 * API {@code ./omamori definitions publish|rollback} uses, beside the running node.
 */
class FleetRolloutTest {

    static final int FLEET = 20;
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final String V1 = "2026.12.1";
    static final String V2 = "2026.12.2";
    static final String V3 = "2026.12.3";
    static final String V4 = "2026.12.4";
    static final String V5 = "2026.12.5";

    @TempDir
    Path home;

    private Store store;
    private KeyPair operator;
    private Path pem;
    private HttpClient http;
    private int port;

    @Test
    void aCanaryRolloutGoesGeneralStopsOnAFailureAndARollbackServesThePreviousVersion() throws Exception {
        port = CloudCrashTest.freePort();
        RunningCloud.configure(home, port);
        // 20 appliances activate from one address at once; the canary check runs every 2 s instead of 5 min.
        Files.writeString(home.resolve("etc/org.omamori.cloud.api.cfg"), "activateAddressBurst = 40\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(home.resolve("etc/org.omamori.monitor.cfg"), "definitionsCanarySeconds = 2\n");
        List<ApplianceSpec> specs = new ArrayList<>();
        try (Store registering = Store.open(StoreSettings.ofHome(home))) {
            ResellerId reseller = registering.tenants().createReseller("商工会議所");
            CustomerId customer = registering.tenants().createCustomer(reseller, "株式会社フリート");
            for (int i = 1; i <= FLEET; i++) {
                String id = String.format("0d00000f%04x", i);
                specs.add(ApplianceSpec.of(id, "株式会社フリート", registering.tenants().registerAppliance(customer, new ApplianceId(id)),
                        TrafficProfile.browsingOnly()));
            }
        }
        operator = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path key = Files.writeString(home.resolve("operator-ed25519.pem"), Pem.publicPem(operator.getPublic()));
        RunningCloud cloud = RunningCloud.start(home, port);
        try {
            cloud.awaitInService();
            pem = home.resolve("tls/cloud.pem");
            SimulatorSettings settings = SimulatorSettings.of(URI.create("https://localhost:" + port + "/"), Optional.of(pem),
                            home.resolve("simulator"), specs)
                    .withPace(Duration.ofSeconds(5), Duration.ofMinutes(10)).withHeartbeatEvery(HEARTBEAT).withDefinitions(key);
            try (Store beside = Store.open(StoreSettings.ofHome(home)); // the node's H2 through AUTO_SERVER
                 HttpClient client = CloudTls.client(Optional.of(pem), Duration.ofSeconds(10));
                 Simulator simulator = Simulator.start(settings)) {
                store = beside;
                http = client;
                rollout(simulator, cloud);
            }
        } finally {
            cloud.stop();
        }
    }

    private void rollout(Simulator simulator, RunningCloud cloud) throws Exception {
        List<VirtualAppliance> fleet = simulator.appliances();
        DefinitionPackages packages = store.definitionPackages();
        long started = System.nanoTime();

        Instant step = Instant.now();
        // 1. To everyone: each appliance's heartbeat answer names urlfilter, it pulls, verifies, installs, reports.
        publish(V1, Optional.empty());
        awaitInForce("v1 everywhere", fleet, V1, Duration.ofSeconds(60));
        awaitReported("the heartbeats report v1", fleet, V1, step);
        assertThat(fleet).allSatisfy(a -> assertThat(defs(a).applied()).singleElement()
                .satisfies(x -> assertThat(x.files()).isEqualTo(2)));

        // 2. To the canaries first: two named and 10 % of the fleet by the stable hash. One named canary is
        // switched off with v1 in its last heartbeat: the check counts it (heard from within 2 h), so the
        // rollout waits for it; meanwhile the others' latest stays v1.
        Canaries canaries2 = new Canaries(10, List.of(id(fleet, 0), id(fleet, 1)));
        List<VirtualAppliance> canary2 = fleet.stream().filter(a -> canaries2.includes(a.id().value(), "urlfilter", V2)).toList();
        List<VirtualAppliance> others2 = fleet.stream().filter(a -> !canary2.contains(a)).toList();
        assertThat(canary2).as("the named canaries and the share").hasSizeBetween(2, FLEET / 2);
        VirtualAppliance late = fleet.get(1);
        late.silence();
        step = Instant.now();
        publish(V2, Optional.of(canaries2));
        List<VirtualAppliance> liveCanaries = canary2.stream().filter(a -> a != late).toList();
        awaitInForce("v2 on the canaries that are on", liveCanaries, V2, Duration.ofSeconds(20));
        awaitReported("the canaries report v2", liveCanaries, V2, step);
        Instant reported = Instant.now();
        await("the canary check runs after the canaries reported").atMost(Duration.ofSeconds(15))
                .until(() -> lastRun("definitions-canaries").filter(t -> t.isAfter(reported)).isPresent());
        assertThat(packages.list(Optional.of("urlfilter"))).filteredOn(p -> p.version().equals(V2)).singleElement()
                .satisfies(p -> assertThat(p.rollout()).as("held by the canary not heard from with v2").isEqualTo(Rollout.CANARY));
        assertThat(others2).allSatisfy(a -> assertThat(inForce(a)).isEqualTo(V1));
        for (VirtualAppliance a : others2) {
            assertThat(served(a, Optional.of(V1))).as("a non-canary asking with v1").isEqualTo(new Served(304, "\"urlfilter-" + V1 + "\""));
        }
        assertThat(served(others2.get(0), Optional.empty())).as("a non-canary asking afresh").isEqualTo(new Served(200, V1));
        assertThat(served(late, Optional.of(V1))).as("the canary switched off").isEqualTo(new Served(200, V2));

        // 3. The late canary comes back: it pulls v2, reports it, the check promotes v2 and the fleet follows.
        late.comeBack();
        awaitInForce("v2 everywhere once promoted", fleet, V2, Duration.ofSeconds(30));
        DefinitionPackages.Package v2 = packages.list(Optional.of("urlfilter")).stream().filter(p -> p.version().equals(V2)).findFirst()
                .orElseThrow();
        assertThat(v2.rollout()).isEqualTo(Rollout.GENERAL);
        assertThat(v2.rolloutNote()).hasValue(canary2.size() + " canaries run it without a failure");
        Instant promoted = v2.rolloutAt().orElseThrow();
        assertThat(others2).as("no non-canary applied v2 before it went general").allSatisfy(a -> assertThat(applied(a, V2).at())
                .isAfter(promoted));
        assertThat(canary2).allSatisfy(a -> assertThat(applied(a, V2).at()).isBefore(promoted));
        awaitReported("the heartbeats report v2", fleet, V2, promoted);

        // 4. To the canaries; one cannot apply it (its engine refuses): definitions:failed through its uplink, the check
        // stops the rollout, the non-canaries never get it.
        VirtualAppliance failing = fleet.get(2);
        Canaries canaries3 = new Canaries(10, List.of(failing.id().value(), id(fleet, 3)));
        List<VirtualAppliance> canary3 = fleet.stream().filter(a -> canaries3.includes(a.id().value(), "urlfilter", V3)).toList();
        List<VirtualAppliance> others3 = fleet.stream().filter(a -> !canary3.contains(a)).toList();
        defs(failing).failApplying(Optional.of("simulated: the URL filter refused the lists"));
        publish(V3, Optional.of(canaries3));
        await("the check stops v3 (see cloud.log)").atMost(Duration.ofSeconds(20)).until(() -> rollout(V3) == Rollout.STOPPED);
        assertThat(packages.list(Optional.of("urlfilter"))).filteredOn(p -> p.version().equals(V3)).singleElement()
                .satisfies(p -> assertThat(p.rolloutNote()).hasValue("canary " + failing.id().value()
                        + " reported a definitions failure or refusal"));
        assertThat(cloud.log()).contains("definitions urlfilter " + V3 + ": rollout stopped");
        defs(failing).failApplying(Optional.empty());
        assertThat(inForce(failing)).as("the failed canary keeps what it had").isEqualTo(V2);
        Thread.sleep(3 * HEARTBEAT.toMillis()); // heartbeats go on: nobody is offered v3 any more
        assertThat(others3).allSatisfy(a -> {
            assertThat(inForce(a)).isEqualTo(V2);
            assertThat(defs(a).applied()).noneMatch(x -> x.version().text().equals(V3));
        });
        assertThat(served(others3.get(0), Optional.of(V2))).isEqualTo(new Served(304, "\"urlfilter-" + V2 + "\""));
        List<VirtualAppliance> tookV3 = canary3.stream().filter(a -> inForce(a).equals(V3)).toList();
        assertThat(tookV3).as("canaries that applied v3 before the stop keep it").doesNotContain(failing)
                .allSatisfy(a -> assertThat(served(a, Optional.of(V3))).isEqualTo(new Served(304, "\"urlfilter-" + V2 + "\"")));

        // 5. A rollback: v4 to everyone while three appliances are off; v4 withdrawn. Those that applied it keep it
        // (an appliance never takes an older version); those that had not are served v2, the newest still served.
        List<VirtualAppliance> away = others3.stream().limit(3).toList();
        away.forEach(VirtualAppliance::silence);
        List<VirtualAppliance> on = fleet.stream().filter(a -> !away.contains(a)).toList();
        publish(V4, Optional.empty());
        awaitInForce("v4 on the appliances that are on", on, V4, Duration.ofSeconds(20));
        packages.rollout("urlfilter", V4, Rollout.WITHDRAWN, "lists block a customer's site");
        step = Instant.now();
        away.forEach(VirtualAppliance::comeBack);
        for (VirtualAppliance a : away) {
            assertThat(served(a, Optional.empty())).as("afresh: the newest still served").isEqualTo(new Served(200, V2));
            assertThat(served(a, Optional.of(V2))).isEqualTo(new Served(304, "\"urlfilter-" + V2 + "\""));
        }
        assertThat(served(on.get(0), Optional.of(V4))).as("a v4 holder").isEqualTo(new Served(304, "\"urlfilter-" + V2 + "\""));
        awaitReported("the ones back report v2", away, V2, step);
        awaitReported("the others keep v4", on, V4, step);
        assertThat(away).allSatisfy(a -> assertThat(defs(a).applied()).noneMatch(x -> x.version().text().equals(V4)));
        assertThat(on).allSatisfy(a -> assertThat(inForce(a)).isEqualTo(V4));

        // The way forward the docs give: the previous contents again under a new version, to everyone.
        step = Instant.now();
        publish(V5, Optional.empty(), V2);
        awaitInForce("v5 everywhere", fleet, V5, Duration.ofSeconds(20));
        for (VirtualAppliance a : fleet) {
            assertThat(a.home().resolve("definitions/urlfilter/" + V5 + "/files/phishing/domains")).as("unpacked in its home")
                    .content().contains("v2026-12-2.phish.test");
        }
        awaitReported("the heartbeats report v5", fleet, V5, step);
        assertThat(definitionsEvents("definitions:refused")).as("no appliance was offered an older version than its own").isEmpty();
        assertThat(definitionsEvents("definitions:failed")).as("only the failing canary failed").isNotEmpty()
                .allMatch(failing.id().value()::equals);
        System.out.printf("fleet rollout: %d appliances, 5 versions, v2 canaries %d, v3 canaries %d, in %.1f s%n", FLEET,
                canary2.size(), canary3.size(), (System.nanoTime() - started) / 1e9);
    }

    private void publish(String version, Optional<Canaries> canaries) throws Exception {
        publish(version, canaries, version);
    }

    /**
     * Makes the package of {@code version} with the lists of {@code contents} (two files, one line each version's own),
     * signs it with the operator key and publishes it.
     */
    private void publish(String version, Optional<Canaries> canaries, String contents) throws Exception {
        Path lists = home.resolve("lists-" + contents);
        if (!Files.isDirectory(lists)) {
            Files.createDirectories(lists.resolve("phishing"));
            Files.writeString(lists.resolve("categories.conf"), "phishing block phishing\n");
            Files.writeString(lists.resolve("phishing/domains"), "login-bank.phish.test\nv" + contents.replace('.', '-') + ".phish.test\n");
        }
        SignedPackage pkg = PackageWriter.make(Kind.URLFILTER, PackageVersion.parse(version), Instant.now(), lists, operator.getPrivate());
        assertThat(store.definitionPackages().publish("urlfilter", version, pkg.bytes(), SignedPackage.signatureText(pkg.signature()),
                canaries)).isEqualTo(DefinitionPackages.Published.NEW);
    }

    private Rollout rollout(String version) {
        return store.definitionPackages().list(Optional.of("urlfilter")).stream().filter(p -> p.version().equals(version))
                .findFirst().orElseThrow().rollout();
    }

    private static void awaitInForce(String what, List<VirtualAppliance> appliances, String version, Duration within) {
        await(what).atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> appliances.stream().allMatch(a -> inForce(a).equals(version)));
    }

    /** Waits until the cloud's store has {@code version} from a heartbeat after {@code since} of each of {@code appliances}. */
    private void awaitReported(String what, List<VirtualAppliance> appliances, String version, Instant since) {
        Set<ApplianceId> ids = appliances.stream().map(VirtualAppliance::id).collect(Collectors.toSet());
        Predicate<ApplianceStatus> reports = s -> version.equals(s.definitions().get("urlfilter"))
                && s.lastContact().filter(t -> t.isAfter(since)).isPresent();
        await(what).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> store.fleet()
                .status(TenantScope.operator(), Instant.now()).stream().filter(s -> ids.contains(s.appliance())).filter(reports).count()
                == ids.size());
    }

    /** The appliances of the definitions events of {@code rule} the cloud stored. */
    private List<String> definitionsEvents(String rule) throws Exception {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT appliance_id FROM events WHERE rule_id = ?")) {
            s.setString(1, rule);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1).strip());
                }
            }
            return out;
        }
    }

    /** When the job last ended well (db-scheduler's row, read beside the node). */
    private Optional<Instant> lastRun(String job) throws Exception {
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT last_success FROM scheduled_tasks WHERE task_name = ?")) {
            s.setString(1, job);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getObject(1, java.time.OffsetDateTime.class)).map(java.time.OffsetDateTime::toInstant)
                        : Optional.empty();
            }
        }
    }

    /** What the cloud answers this appliance's {@code GET …/urlfilter/latest}: 200 with the version, or 304 with the ETag. */
    record Served(int status, String what) {
    }

    private Served served(VirtualAppliance a, Optional<String> since) throws Exception {
        String token = Files.readAllLines(a.home().resolve("state/uplink/device.token"), StandardCharsets.US_ASCII).get(0).strip();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/definitions/urlfilter/latest"
                        + since.map(v -> "?since=" + v).orElse(""))).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept", "application/zip");
        HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return switch (r.statusCode()) {
            case 200 -> new Served(200, r.headers().firstValue("Omamori-Definitions-Version").orElse("?"));
            case 304 -> new Served(304, r.headers().firstValue("ETag").orElse("?"));
            default -> new Served(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        };
    }

    private static SimulatedDefinitions defs(VirtualAppliance a) {
        return a.definitions().orElseThrow();
    }

    private static String inForce(VirtualAppliance a) {
        return defs(a).inForce(Kind.URLFILTER).map(PackageVersion::text).orElse("");
    }

    private static SimulatedDefinitions.Applied applied(VirtualAppliance a, String version) {
        return defs(a).applied().stream().filter(x -> x.version().text().equals(version)).findFirst()
                .orElseThrow(() -> new AssertionError(a.id() + " never applied " + version));
    }

    private static String id(List<VirtualAppliance> fleet, int i) {
        return fleet.get(i).id().value();
    }
}
