package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * The settings API (docs/fleet.md) at the cloud's REST layer over TLS 1.3 with an H2 store: the newest
 * version for the token's appliance only, 304 by its ETag, 401 without a token; a report is taken for the
 * token's own appliance and a version it was sent, and refused otherwise; the heartbeat's answer offers a
 * version until it is reported applied or refused.
 */
class SettingsApiTest {

    @TempDir
    Path dir;

    @Test
    void anApplianceGetsOnlyItsOwnSettingsAndReportsWhatItMadeOfThem() throws Exception {
        ApplianceId mine = new ApplianceId("00a0de5e7801");
        ApplianceId other = new ApplianceId("00a0de5e7802");
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("cloud/omamori")))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("松本商工会議所"), "株式会社テスト");
            String token = store.ingest().activate(mine, store.tenants().registerAppliance(customer, mine)).orElseThrow();
            String otherToken = store.ingest().activate(other, store.tenants().registerAppliance(customer, other)).orElseThrow();
            try (CloudFixture cloud = new CloudFixture(dir, store.ingest(), store.applianceSettings())) {
                assertThat(get(cloud, token, null).statusCode()).as("none held yet").isEqualTo(404);
                store.applianceSettings().change(mine, Map.of("proxy.brandName", Optional.of("まつもとお助け隊")), "operator", Optional.empty(), false);

                HttpResponse<String> got = get(cloud, token, null);
                assertThat(got.statusCode()).isEqualTo(200);
                assertThat(got.body()).contains("\"appliance\":\"00a0de5e7801\"").contains("\"version\":1").contains("まつもとお助け隊");
                assertThat(got.headers().firstValue("ETag")).contains("\"settings-1\"");
                assertThat(get(cloud, token, "\"settings-1\"").statusCode()).isEqualTo(304);
                assertThat(get(cloud, otherToken, null).statusCode()).as("another appliance's are not served").isEqualTo(404);
                assertThat(get(cloud, null, null).statusCode()).isEqualTo(401);

                assertThat(heartbeat(cloud, mine, token).body()).contains("\"settingsVersion\":1");
                assertThat(report(cloud, token, "{\"appliance\":\"00a0de5e7802\",\"version\":1,\"refusal\":null}").statusCode())
                        .as("a report for another appliance").isEqualTo(403);
                assertThat(report(cloud, token, "{\"appliance\":\"00a0de5e7801\",\"version\":2,\"refusal\":null}").statusCode())
                        .as("a version never sent").isEqualTo(422);
                assertThat(report(cloud, token, "{\"appliance\":\"00a0de5e7801\",\"version\":\"1\",\"refusal\":null}").statusCode())
                        .isEqualTo(400);
                assertThat(report(cloud, token, "{\"appliance\":\"00a0de5e7801\",\"version\":1,\"refusal\":\"" + "x".repeat(1001) + "\"}")
                        .statusCode()).as("a reason too long").isEqualTo(422);
                assertThat(report(cloud, token, "{\"appliance\":\"00a0de5e7801\",\"version\":1,\"refusal\":\"proxy.brandName: too long\","
                        + "\"extra\":1}").statusCode()).isEqualTo(422);
                assertThat(report(cloud, token, "{\"appliance\":\"00a0de5e7801\",\"version\":1,\"refusal\":\"proxy.brandName: too long\"}")
                        .statusCode()).isEqualTo(204);
                assertThat(store.applianceSettings().reported(mine)).hasValueSatisfying(r -> assertThat(r.reason()).contains("proxy.brandName: too long"));
                assertThat(heartbeat(cloud, mine, token).statusCode()).as("a refused version is not offered again").isEqualTo(204);
            }
        }
    }

    private static HttpResponse<String> get(CloudFixture cloud, String token, String ifNoneMatch) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(cloud.uri("api/v1/settings")).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (ifNoneMatch != null) {
            r.header("If-None-Match", ifNoneMatch);
        }
        return cloud.http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> report(CloudFixture cloud, String token, String json) throws Exception {
        return cloud.http.send(HttpRequest.newBuilder(cloud.uri("api/v1/settings/report")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> heartbeat(CloudFixture cloud, ApplianceId appliance, String token) throws Exception {
        String now = java.time.Instant.now().toString();
        String body = "{\"appliance\":\"" + appliance.value() + "\",\"time\":\"" + now + "\",\"startedAt\":\"" + now
                + "\",\"firmwareVersion\":\"1.0\",\"runtime\":{},\"definitions\":{},\"counters\":{\"spooled\":0,\"sent\":0,\"dropped\":0,"
                + "\"quarantined\":0,\"pending\":0,\"spoolBytes\":0},\"lastSuccess\":null}";
        return cloud.http.send(HttpRequest.newBuilder(cloud.uri("api/v1/heartbeat")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
