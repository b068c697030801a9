package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.CloudSource;
import org.omamori.definitions.InstalledVersions;
import org.omamori.definitions.Installer;
import org.omamori.definitions.KeyInForce;
import org.omamori.definitions.KeyRotation;
import org.omamori.definitions.Kind;
import org.omamori.definitions.Outcome;
import org.omamori.definitions.PackageLimits;
import org.omamori.definitions.PackageReader;
import org.omamori.definitions.PackageVersion;
import org.omamori.definitions.PackageWriter;
import org.omamori.definitions.Pem;
import org.omamori.definitions.Refused;
import org.omamori.definitions.SignedPackage;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * A rotation of the operator key from the cloud (docs/definitions.md "Rotating the operator key"): a
 * {@code keys} package published in the store is served by the cloud's REST layer like any kind, and the
 * appliance's own pull (Poller, CloudSource, Installer, KeyInForce) takes it before a package signed by
 * the new key; a rotation the key in force did not sign is refused and reported as an event.
 */
class KeyRotationApiTest {

    @TempDir
    Path dir;

    private SignedPackage rotation(String version, KeyPair from, KeyPair to, KeyPair signer) throws Exception {
        Path src = Files.createTempDirectory(dir, "keys");
        KeyRotation.write(src, from.getPublic(), to.getPrivate(), to.getPublic());
        return PackageWriter.make(Kind.KEYS, PackageVersion.parse(version), Instant.now(), src, signer.getPrivate());
    }

    private static void publish(Store store, String kind, String version, SignedPackage p) {
        store.definitionPackages().publish(kind, version, p.bytes(), SignedPackage.signatureText(p.signature()));
    }

    @Test
    void theFleetTakesTheRotationFromTheCloudBeforeThePackagesOfTheNewKey() throws Exception {
        ApplianceId appliance = new ApplianceId("00a0de5a1200");
        KeyPair k0 = Pem.generate();
        KeyPair k1 = Pem.generate();
        try (Store store = Store.open(StoreSettings.h2File(dir.resolve("cloud/omamori")))) {
            CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("大阪商工会議所"), "株式会社テスト");
            String token = store.ingest().activate(appliance, store.tenants().registerAppliance(customer, appliance)).orElseThrow();
            Path lists = Files.createDirectories(dir.resolve("lists/phishing"));
            Files.writeString(lists.resolve("domains"), "phish.example\n");
            publish(store, "keys", "2026.12.5.1", rotation("2026.12.5.1", k0, k1, k0));
            publish(store, "urlfilter", "2026.12.6", PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("2026.12.6"), Instant.now(),
                    dir.resolve("lists"), k1.getPrivate()));

            Path keyFile = dir.resolve("appliance/keys/operator-ed25519.pem");
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, Pem.publicPem(k0.getPublic()));
            KeyInForce key = KeyInForce.load(keyFile);
            List<Event> events = new CopyOnWriteArrayList<>();
            List<String> applied = new CopyOnWriteArrayList<>();
            Installer installer = new Installer(dir.resolve("appliance/definitions"), new PackageReader(key, PackageLimits.defaults()),
                    InstalledVersions.open(dir.resolve("appliance/state/versions.properties")),
                    Map.of(Kind.KEYS, key, Kind.URLFILTER, (v, files) -> applied.add("urlfilter " + v)),
                    new EventFactory(appliance), events::addAll);

            try (CloudFixture cloud = new CloudFixture(dir, store.ingest(), store.definitionPackages())) {
                CloudSource source = new CloudSource(cloud.uri("/"), () -> Optional.of(token), 1 << 20, Duration.ofSeconds(10),
                        CloudFixture.sslContext(cloud.certificate.pem(), "TLSv1.3"));
                try (org.omamori.definitions.Poller poller = new org.omamori.definitions.Poller(installer, Optional.of(source), Optional.empty(),
                        Set.of(Kind.URLFILTER, Kind.KEYS), Duration.ofDays(1), Duration.ofDays(1))) {
                    assertThat(poller.pullNow()).containsExactly(new Outcome.Applied(Kind.KEYS, PackageVersion.parse("2026.12.5.1")),
                            new Outcome.Applied(Kind.URLFILTER, PackageVersion.parse("2026.12.6")));
                    assertThat(Pem.readPublic(keyFile).getEncoded()).isEqualTo(k1.getPublic().getEncoded());
                    assertThat(applied).containsExactly("urlfilter 2026.12.6");

                    // A rotation someone else signed, served by a cloud that was fooled into storing it: refused, reported, key kept.
                    KeyPair stranger = Pem.generate();
                    publish(store, "keys", "2026.12.7", rotation("2026.12.7", k1, stranger, stranger));
                    List<Outcome> next = poller.pullNow();
                    assertThat(next).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class,
                            r -> assertThat(r.reason()).isEqualTo(Refused.Reason.BAD_SIGNATURE));
                    assertThat(Pem.readPublic(keyFile).getEncoded()).isEqualTo(k1.getPublic().getEncoded());
                    assertThat(events).extracting(Event::ruleId).containsExactly(Installer.APPLIED, Installer.APPLIED, Installer.REFUSED);
                }
            }
        }
    }
}
