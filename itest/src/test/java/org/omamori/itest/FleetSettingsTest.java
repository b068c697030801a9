package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.store.ApplianceSettings;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * docs/fleet.md "Settings from the cloud", both runtimes as operators run them: the cloud process holds
 * an appliance's settings; the appliance process (its own JVM, the real bundles) is offered each new
 * version in a heartbeat's answer, checks it against its components' metatype, applies it through
 * Configuration Admin (the block page shows the new brand) or refuses it whole, naming the key, and
 * reports either to the cloud, where the next version is made.
 */
class FleetSettingsTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clamd() throws Exception {
        RunningAppliance.startClamd();
    }

    @Test
    void theApplianceAppliesItsSettingsFromTheCloudOrRefusesAVersionWholeNamingTheKey() throws Exception {
        Path cloudHome = dir.resolve("cloud");
        int port = RunningAppliance.freePort();
        RunningCloud.configure(cloudHome, port);
        ApplianceId id = new ApplianceId("00a0de5e7701");
        String code;
        try (Store store = Store.open(StoreSettings.ofHome(cloudHome))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("新潟商工会議所"), "株式会社設定");
            code = store.tenants().registerAppliance(customer, id);
        }
        RunningCloud cloud = RunningCloud.start(cloudHome, port);
        RunningAppliance appliance = null;
        try {
            cloud.awaitInService();
            try (Store store = Store.open(StoreSettings.ofHome(cloudHome))) { // beside the node: H2 AUTO_SERVER
                ApplianceSettings settings = store.applianceSettings();
                settings.change(id, Map.of("proxy.brandName", Optional.of("にいがたお助け隊"), "uplink.heartbeatSeconds", Optional.of("1")),
                        "operator", Optional.of("開通"), false);

                appliance = new RunningAppliance(dir.resolve("home"));
                appliance.configure("org.omamori.appliance", "adminPort=0\napplianceId=" + id.value() + "\n");
                appliance.configure("org.omamori.uplink", "cloudUrl=https://localhost:" + port + "/\n.activationCode=" + code
                        + "\ntrustedCertificates=" + cloudHome.resolve("tls/cloud.pem") + "\nheartbeatSeconds=1\nbackoffCapMillis=2000\n");
                appliance.start();
                RunningAppliance running = appliance;

                awaitReport(settings, id, r -> r.applied().isPresent() && r.applied().getAsInt() == 1, running);
                await("the block page in the new brand").atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                        assertThat(proxy(running, "GET http://login-bank.phish.test/signin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                                .startsWith("HTTP/1.1 403").contains("にいがたお助け隊"));

                // A value the metatype refuses: the whole version is refused, the key named; v1 stays in force.
                settings.change(id, Map.of("dns.blockTtlSeconds", Optional.of("999999"), "proxy.brandContact", Optional.of("0120-000-000")),
                        "operator", Optional.empty(), true);
                awaitReport(settings, id, r -> r.refused().isPresent() && r.refused().getAsInt() == 2, running);
                assertThat(settings.reported(id).orElseThrow().reason()).hasValueSatisfying(why -> assertThat(why).contains("dns.blockTtlSeconds"));
                assertThat(proxy(running, "GET http://login-bank.phish.test/signin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                        .as("nothing of the refused version applied").doesNotContain("0120-000-000");

                // A key kept local (where the cloud is): refused, named.
                settings.change(id, Map.of("dns.blockTtlSeconds", Optional.empty(), "uplink.cloudUrl", Optional.of("https://elsewhere.example/")),
                        "operator", Optional.empty(), true);
                awaitReport(settings, id, r -> r.refused().isPresent() && r.refused().getAsInt() == 3, running);
                assertThat(settings.reported(id).orElseThrow().reason()).hasValueSatisfying(why -> assertThat(why).contains("uplink.cloudUrl")
                        .contains("kept local"));

                // A value the metatype lets through but the component cannot start with: undone, the component's reason reported.
                settings.change(id, Map.of("uplink.cloudUrl", Optional.empty(), "proxy.listeners",
                        Optional.of("explicit@127.0.0.1:" + running.proxyPort + "/lan, nonsense")), "operator", Optional.empty(), true);
                awaitReport(settings, id, r -> r.refused().isPresent() && r.refused().getAsInt() == 4, running);
                assertThat(settings.reported(id).orElseThrow().reason()).hasValueSatisfying(why -> assertThat(why)
                        .contains("org.omamori.proxy").contains("does not start"));
                await("the proxy back on its former configuration").atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                        assertThat(proxy(running, "GET http://login-bank.phish.test/signin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                                .startsWith("HTTP/1.1 403").contains("にいがたお助け隊"));

                // Set right: applied, the contact on the block page; the brand removed goes back to the default.
                settings.change(id, Map.of("proxy.listeners", Optional.empty(), "proxy.brandName", Optional.empty()), "operator",
                        Optional.empty(), true);
                awaitReport(settings, id, r -> r.applied().isPresent() && r.applied().getAsInt() == 5, running);
                await("the contact on the block page, the default brand back").atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                        assertThat(proxy(running, "GET http://login-bank.phish.test/signin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                                .contains("0120-000-000").doesNotContain("にいがたお助け隊"));
                assertThat(Files.readString(appliance.home.resolve("state/settings/in-force.properties"))).contains("version=5");
            }
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + (appliance == null ? "" : "; appliance log ends:\n" + RunningCloud.tail(appliance.log(), 6000)), e);
        } finally {
            if (appliance != null) {
                appliance.stop();
            }
            cloud.stop();
        }
    }

    private static void awaitReport(ApplianceSettings settings, ApplianceId id, java.util.function.Predicate<ApplianceSettings.Reported> done,
                                    RunningAppliance appliance) throws IOException {
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> settings.reported(id).filter(done).isPresent());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("reported: " + settings.reported(id) + "; appliance log ends:\n" + RunningCloud.tail(appliance.log(), 5000), e);
        }
    }

    private static String proxy(RunningAppliance appliance, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", appliance.proxyPort)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
