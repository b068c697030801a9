package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.CloudSource;
import org.omamori.definitions.Kind;
import org.omamori.definitions.OperatorKey;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.SignedPackage;
import org.omamori.events.ApplianceId;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * docs/api/definitions.yaml from both ends: a package published into the store (H2) is served by the
 * cloud's REST layer to the appliance's own pull client (CloudSource) over TLS 1.3, its signature
 * the operator's; 304 when the appliance has it, 401 without credentials, 404 for an unknown kind,
 * and a cut-off download continued with a range.
 */
class DefinitionsApiTest {

    @TempDir
    Path dir;

    @Test
    void anActivatedApplianceGetsTheNewestSignedPackageOnceAndCanResumeIt() throws Exception {
        ApplianceId appliance = new ApplianceId("00a0de5a1100");
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("cloud/omamori")))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("大阪商工会議所"), "株式会社テスト");
            String token = store.ingest().activate(appliance, store.tenants().registerAppliance(customer, appliance)).orElseThrow();
            KeyPair operator = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path source = Files.createDirectories(dir.resolve("lists/phishing"));
            Files.writeString(source.resolve("domains"), "phish.example\nbad.example\n");
            SignedPackage old = PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("2026.12.9"), Instant.now(), dir.resolve("lists"),
                    operator.getPrivate());
            Files.writeString(source.resolve("domains"), "phish.example\nbad.example\nworse.example\n");
            SignedPackage newest = PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("2026.12.10"), Instant.now(), dir.resolve("lists"),
                    operator.getPrivate());
            store.definitionPackages().publish("urlfilter", "2026.12.10", newest.bytes(), SignedPackage.signatureText(newest.signature()));
            store.definitionPackages().publish("urlfilter", "2026.12.9", old.bytes(), SignedPackage.signatureText(old.signature()));

            try (CloudFixture cloud = new CloudFixture(dir, store.ingest(), store.definitionPackages())) {
                CloudSource source1 = new CloudSource(cloud.uri("/"), () -> Optional.of(token), 1 << 20, Duration.ofSeconds(10),
                        CloudFixture.sslContext(cloud.certificate.pem(), "TLSv1.3"));
                SignedPackage got = source1.latest(Kind.URLFILTER, Optional.empty()).orElseThrow();
                assertThat(got.bytes()).as("the newest by number: 2026.12.10 after 2026.12.9").isEqualTo(newest.bytes());
                assertThat(new OperatorKey(operator.getPublic()).verifies(got.bytes(), got.signature())).isTrue();
                assertThat(source1.latest(Kind.URLFILTER, Optional.of(PackageVersion.parse("2026.12.10")))).as("304: it has it").isEmpty();
                assertThat(source1.latest(Kind.URLFILTER, Optional.of(PackageVersion.parse("2027.1")))).as("304: newer than any").isEmpty();
                assertThat(source1.latest(Kind.IPS, Optional.empty())).as("404: none published").isEmpty();

                HttpResponse<byte[]> anonymous = send(cloud, "api/v1/definitions/urlfilter/latest", null, null, null);
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(send(cloud, "api/v1/definitions/rootkit/latest", token, null, null).statusCode()).isEqualTo(404);
                assertThat(send(cloud, "api/v1/definitions/urlfilter/latest?since=x", token, null, null).statusCode()).isEqualTo(400);

                String etag = "\"urlfilter-2026.12.10\"";
                HttpResponse<byte[]> rest = send(cloud, "api/v1/definitions/urlfilter/latest", token, "bytes=100-", etag);
                assertThat(rest.statusCode()).isEqualTo(206);
                assertThat(rest.headers().firstValue("Content-Range")).contains("bytes 100-" + (newest.bytes().length - 1) + "/" + newest.bytes().length);
                assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(newest.bytes(), 100, newest.bytes().length));
                assertThat(send(cloud, "api/v1/definitions/urlfilter/latest", token, "bytes=100-", "\"urlfilter-2026.12.9\"").statusCode())
                        .as("If-Range of another version: the whole of the newest").isEqualTo(200);
                assertThat(send(cloud, "api/v1/definitions/urlfilter/latest", token, "bytes=99999999-", etag).statusCode()).isEqualTo(416);
            }
        }
    }

    @Test
    void theHeartbeatsAnswerNamesTheKindsServedNewerThanTheApplianceHas() throws Exception {
        ApplianceId appliance = new ApplianceId("00a0de5a1101");
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("cloud/omamori")))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("大阪商工会議所"), "株式会社テスト");
            String code = store.tenants().registerAppliance(customer, appliance);
            store.definitionPackages().publish("urlfilter", "2026.12.10", new byte[] {1}, "A".repeat(86) + "==");
            store.definitionPackages().publish("ips", "7.1", new byte[] {2}, "A".repeat(86) + "==");
            try (CloudFixture cloud = new CloudFixture(dir, store.ingest(), store.definitionPackages())) {
                org.omamori.spool.Spool spool = org.omamori.spool.Spool.open(new org.omamori.spool.SpoolSettings(dir.resolve("appliance/spool"),
                        org.omamori.spool.SpoolSettings.DEFAULT_MAX_BYTES, org.omamori.spool.SpoolSettings.DEFAULT_SEGMENT_BYTES,
                        Duration.ofMillis(100)), new org.omamori.events.EventFactory(appliance));
                org.omamori.uplink.UplinkSettings settings = new org.omamori.uplink.UplinkSettings(cloud.uri("/"), appliance, code,
                        Optional.of(cloud.certificate.pem()), dir.resolve("appliance/device.token"), Duration.ofMillis(300), 500,
                        1 << 20, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), "test-1.0");
                java.util.List<java.util.Set<String>> told = new java.util.concurrent.CopyOnWriteArrayList<>();
                java.util.concurrent.atomic.AtomicReference<java.util.Map<String, String>> inForce =
                        new java.util.concurrent.atomic.AtomicReference<>(java.util.Map.of("urlfilter", "2026.12.9", "ips", "7.1"));
                try (org.omamori.uplink.Uplink uplink = org.omamori.uplink.Uplink.start(settings, spool, inForce::get, told::add)) {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> told.contains(java.util.Set.of("urlfilter")));
                    assertThat(told).as("ips 7.1 is what it has").noneMatch(k -> k.contains("ips"));
                    inForce.set(java.util.Map.of("urlfilter", "2026.12.10", "ips", "7.1"));
                    Thread.sleep(1_000); // a heartbeat in flight may still carry the old versions
                    int before = told.size();
                    Thread.sleep(2_000); // several heartbeats, nothing newer to tell
                    assertThat(told).hasSize(before);
                } finally {
                    spool.close();
                }
            }
        }
    }

    private static HttpResponse<byte[]> send(CloudFixture cloud, String path, String token, String range, String ifRange) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(cloud.uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (range != null) {
            r.header("Range", range);
        }
        if (ifRange != null) {
            r.header("If-Range", ifRange);
        }
        return cloud.http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
