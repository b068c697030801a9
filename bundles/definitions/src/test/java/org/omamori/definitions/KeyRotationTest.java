package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.Refused.Reason;

/** Rotating the operator key with real Ed25519 keys: the appliance side (KeyInForce as the keys applier) end to end. */
class KeyRotationTest {

    @TempDir
    Path home;

    private final KeyPair k0 = Pem.generate();
    private final KeyPair k1 = Pem.generate();
    private final Fixtures.Recorded sink = new Fixtures.Recorded();
    private final List<String> applied = new ArrayList<>();

    private Installer installer(KeyInForce key) throws IOException {
        Applier urlfilter = (version, files) -> applied.add("urlfilter " + version);
        return new Installer(home.resolve("definitions"), new PackageReader(key, PackageLimits.defaults()),
                InstalledVersions.open(home.resolve("state/definitions/versions.properties")),
                Map.of(Kind.URLFILTER, urlfilter, Kind.KEYS, key), Fixtures.EVENTS, sink);
    }

    private KeyInForce trusting(KeyPair pair) throws IOException {
        Path file = home.resolve("keys/operator-ed25519.pem");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Pem.publicPem(pair.getPublic()));
        return KeyInForce.load(file);
    }

    private SignedPackage urlPackage(String version, KeyPair signer) throws IOException {
        Path src = Fixtures.urlLists(Files.createTempDirectory(home, "src"), "bad.example");
        return PackageWriter.make(Kind.URLFILTER, PackageVersion.parse(version), Fixtures.CREATED, src, signer.getPrivate());
    }

    /** A rotation from {@code from} to {@code to}, its package signed by {@code signer}. */
    private SignedPackage rotation(String version, KeyPair from, KeyPair to, KeyPair signer) throws IOException {
        Path src = Files.createTempDirectory(home, "keys");
        KeyRotation.write(src, from.getPublic(), to.getPrivate(), to.getPublic());
        return PackageWriter.make(Kind.KEYS, PackageVersion.parse(version), Fixtures.CREATED, src, signer.getPrivate());
    }

    @Test
    void aRotationSignedByTheKeyInForceInstallsTheNextKeyAndOnlyItsPackagesApplyThen() throws Exception {
        KeyInForce key = trusting(k0);
        Installer installer = installer(key);
        assertThat(installer.install(urlPackage("1", k0), "test")).isInstanceOf(Outcome.Applied.class);

        Outcome rotated = installer.install(rotation("2026.12.5.1", k0, k1, k0), "cloud");

        assertThat(rotated).isEqualTo(new Outcome.Applied(Kind.KEYS, PackageVersion.parse("2026.12.5.1")));
        assertThat(Pem.readPublic(home.resolve("keys/operator-ed25519.pem")).getEncoded()).isEqualTo(k1.getPublic().getEncoded());
        assertThat(key.get().publicKey().getEncoded()).isEqualTo(k1.getPublic().getEncoded());
        assertThat(Files.list(home.resolve("keys")).map(p -> p.getFileName().toString()).toList())
                .as("the key replaced atomically, no temporary left, the old key not kept").containsExactly("operator-ed25519.pem");
        // A package signed by the new key applies; one signed by the old key no longer does.
        assertThat(installer.install(urlPackage("2", k1), "cloud")).isInstanceOf(Outcome.Applied.class);
        Outcome old = installer.install(urlPackage("3", k0), "cloud");
        assertThat(old).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        assertThat(sink.ruleIds()).containsExactly(Installer.APPLIED, Installer.APPLIED, Installer.APPLIED, Installer.REFUSED);
        assertThat(installer.installed().versions()).containsEntry("keys", "2026.12.5.1").containsEntry("urlfilter", "2");

        // After a restart the file holds the new key and applying the rotation again changes nothing.
        KeyInForce again = KeyInForce.load(home.resolve("keys/operator-ed25519.pem"));
        Installer restarted = installer(again);
        restarted.reapply();
        assertThat(again.get().publicKey().getEncoded()).isEqualTo(k1.getPublic().getEncoded());
        assertThat(restarted.install(urlPackage("4", k1), "cloud")).isInstanceOf(Outcome.Applied.class);
    }

    @Test
    void onePullFromTheCloudTakesTheRotationFirstAndThenThePackageSignedByTheNewKey() throws Exception {
        Map<String, SignedPackage> served = Map.of(
                "/api/v1/definitions/urlfilter/latest", urlPackage("7", k1),
                "/api/v1/definitions/keys/latest", rotation("2026.12.5.1", k0, k1, k0));
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/definitions/", x -> {
            try (x) {
                String path = x.getRequestURI().getPath();
                asked.add(path);
                SignedPackage p = served.get(path);
                if (p == null) {
                    x.sendResponseHeaders(404, -1);
                    return;
                }
                x.getResponseHeaders().add("Content-Type", "application/zip");
                x.getResponseHeaders().add(CloudSource.SIGNATURE_HEADER, SignedPackage.signatureText(p.signature()));
                x.sendResponseHeaders(200, p.bytes().length);
                x.getResponseBody().write(p.bytes());
            }
        });
        server.start();
        try {
            KeyInForce key = trusting(k0);
            Installer installer = installer(key);
            CloudSource cloud = new CloudSource(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                    () -> java.util.Optional.of("token"), 1 << 20, java.time.Duration.ofSeconds(10), null);
            try (Poller poller = new Poller(installer, java.util.Optional.of(cloud), java.util.Optional.empty(),
                    java.util.Set.of(Kind.URLFILTER, Kind.KEYS), java.time.Duration.ofDays(1), java.time.Duration.ofDays(1))) {
                assertThat(poller.pullNow()).containsExactly(new Outcome.Applied(Kind.KEYS, PackageVersion.parse("2026.12.5.1")),
                        new Outcome.Applied(Kind.URLFILTER, PackageVersion.parse("7")));
            }
            assertThat(asked).containsExactly("/api/v1/definitions/keys/latest", "/api/v1/definitions/urlfilter/latest");
            assertThat(applied).containsExactly("urlfilter 7");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRotationNotSignedByTheKeyInForceIsRefusedAsAnEventAndTheKeyStays() throws Exception {
        KeyInForce key = trusting(k0);
        Installer installer = installer(key);
        KeyPair stranger = Fixtures.STRANGER;

        Outcome outcome = installer.install(rotation("1", k0, k1, stranger), "cloud");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        assertThat(sink.events).singleElement().satisfies(e -> {
            assertThat(e.ruleId()).isEqualTo(Installer.REFUSED);
            assertThat(e.ruleName()).isEqualTo("definitions refused: bad-signature");
        });
        assertThat(key.get().publicKey().getEncoded()).isEqualTo(k0.getPublic().getEncoded());
        assertThat(Pem.readPublic(key.file()).getEncoded()).isEqualTo(k0.getPublic().getEncoded());
        assertThat(installer.installed().versions()).doesNotContainKey("keys");
    }

    @Test
    void aRotationSignedInForceButFromAnotherKeyOrWithAForeignNextKeyIsNotApplied() throws Exception {
        KeyInForce key = trusting(k0);
        Installer installer = installer(key);
        // Signed by the key in force but naming another previous key (a statement lifted from another chain).
        Outcome other = installer.install(rotation("1", Fixtures.STRANGER, k1, k0), "cloud");
        assertThat(other).isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.why()).contains("another key than the one in force"));

        // A public key file that is not the one whose private half signed the statement.
        Path src = Files.createTempDirectory(home, "keys");
        KeyRotation.write(src, k0.getPublic(), k1.getPrivate(), k1.getPublic());
        Files.writeString(src.resolve(KeyRotation.PUBLIC_KEY), Pem.publicPem(Fixtures.STRANGER.getPublic()));
        Outcome foreign = installer.install(PackageWriter.make(Kind.KEYS, PackageVersion.parse("2"), Fixtures.CREATED, src, k0.getPrivate()), "cloud");
        assertThat(foreign).isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.why()).contains("not the statement's next key"));

        assertThat(key.get().publicKey().getEncoded()).isEqualTo(k0.getPublic().getEncoded());
        assertThat(sink.ruleIds()).containsExactly(Installer.FAILED, Installer.FAILED);
    }

    @Test
    void writingARotationChecksTheNewPairAndRefusesTheSameKey() throws Exception {
        Path dir = home.resolve("r");
        assertThatThrownBy(() -> KeyRotation.write(dir, k0.getPublic(), k0.getPrivate(), k0.getPublic()))
                .hasMessageContaining("the key in force");
        assertThatThrownBy(() -> KeyRotation.write(dir, k0.getPublic(), Fixtures.STRANGER.getPrivate(), k1.getPublic()))
                .hasMessageContaining("does not match");
        KeyRotation.write(dir, k0.getPublic(), k1.getPrivate(), k1.getPublic());
        assertThat(KeyRotation.next(dir, k0.getPublic()).getEncoded()).isEqualTo(k1.getPublic().getEncoded());
        Files.writeString(dir.resolve(KeyRotation.STATEMENT), Files.readString(dir.resolve(KeyRotation.STATEMENT)) + "extra\n");
        assertThatThrownBy(() -> KeyRotation.next(dir, k0.getPublic())).hasMessageContaining("not an operator key rotation statement");
    }
}
