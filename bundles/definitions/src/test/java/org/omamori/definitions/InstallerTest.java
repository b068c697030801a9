package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Level;
import org.omamori.definitions.Refused.Reason;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.engine.urlfilter.UrlMatch;
import org.omamori.events.Event;

class InstallerTest {

    @TempDir
    Path home;

    private final Fixtures.Recorded sink = new Fixtures.Recorded();
    /** The real URL filter engine, fed the way the engine component is: load the applied folder. */
    private final UrlFilter filter = new UrlFilter("test");
    private final List<String> applied = new ArrayList<>();
    private Installer installer;

    @BeforeEach
    void setUp() throws IOException {
        installer = installer(home);
    }

    @AfterEach
    void close() {
        filter.close();
    }

    private Installer installer(Path home) throws IOException {
        Applier urlfilter = (version, files) -> {
            if (!filter.loadNow(files, 1000)) {
                throw new IOException("lists did not load");
            }
            applied.add("urlfilter " + version);
        };
        return new Installer(home.resolve("definitions"), new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults()),
                InstalledVersions.open(home.resolve("state/definitions/versions.properties")),
                Map.of(Kind.URLFILTER, urlfilter), Fixtures.EVENTS, sink);
    }

    private String decides(String url) {
        return filter.lists().match(url).map(UrlMatch::category).map(c -> c.id() + (c.blocks() ? " blocks" : " logs")).orElse("no match");
    }

    @Test
    void aValidPackageIsAppliedAndTheEngineDecidesWithItsLists() throws Exception {
        assertThat(decides("http://bad.example/login")).isEqualTo("no match");

        Outcome outcome = installer.install(Fixtures.urlPackage(home, "2026.11.23.1", "bad.example"), "test");

        assertThat(outcome).isEqualTo(new Outcome.Applied(Kind.URLFILTER, PackageVersion.parse("2026.11.23.1")));
        assertThat(home.resolve("definitions/urlfilter/2026.11.23.1/files/phishing/domains")).exists();
        assertThat(decides("http://www.bad.example/login")).isEqualTo("phishing blocks");
        assertThat(installer.installed().versions()).containsExactly(Map.entry("urlfilter", "2026.11.23.1"));
        Event e = sink.events.getFirst();
        assertThat(e.ruleId()).isEqualTo(Installer.APPLIED);
        assertThat(e.note()).contains("urlfilter 2026.11.23.1");
        assertThat(e.level()).isEqualTo(Level.LOW);
    }

    @Test
    void theVersionInForceKnowsWhenItWasAppliedAcrossARestart() throws Exception {
        assertThat(installer.appliedAt(Kind.URLFILTER)).isEmpty();
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);

        installer.install(Fixtures.urlPackage(home, "7", "bad.example"), "test");

        java.time.Instant applied = installer.appliedAt(Kind.URLFILTER).orElseThrow();
        assertThat(applied).isBetween(before, java.time.Instant.now().plusSeconds(1));
        assertThat(installer(home).appliedAt(Kind.URLFILTER)).as("read again after a restart").hasValue(applied);
        assertThat(installer.appliedAt(Kind.IPS)).isEmpty();
    }

    @Test
    void aBadSignatureIsRefusedReportedAndNothingIsApplied() throws Exception {
        SignedPackage good = Fixtures.urlPackage(home, "1", "bad.example");
        byte[] sig = good.signature().clone();
        sig[0] ^= 1;

        Outcome outcome = installer.install(new SignedPackage(good.bytes(), sig), "cloud");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        assertThat(applied).isEmpty();
        assertThat(home.resolve("definitions/urlfilter")).doesNotExist();
        assertThat(installer.installed().versions()).isEmpty();
        assertThat(sink.events).singleElement().satisfies(e -> {
            assertThat(e.ruleId()).isEqualTo(Installer.REFUSED);
            assertThat(e.ruleName()).isEqualTo("definitions refused: bad-signature");
            assertThat(e.level()).isEqualTo(Level.HIGH);
            assertThat(e.note()).contains("from cloud");
        });
        try (var left = Files.list(home.resolve("definitions"))) {
            assertThat(left).as("no staging folder left behind").isEmpty();
        }
    }

    @Test
    void anOlderPackageIsRefusedAsARollbackEvenAfterARestart() throws Exception {
        SignedPackage v1 = Fixtures.urlPackage(home, "1", "old.example");
        SignedPackage v2 = Fixtures.urlPackage(home, "2", "new.example");
        assertThat(installer.install(v2, "test")).isInstanceOf(Outcome.Applied.class);

        Installer restarted = installer(home);
        Outcome outcome = restarted.install(v1, "replay");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.ROLLBACK);
            assertThat(r.why()).contains("1 is older than 2");
        });
        assertThat(decides("http://new.example/")).isEqualTo("phishing blocks");
        assertThat(decides("http://old.example/")).isEqualTo("no match");
        assertThat(sink.ruleIds()).containsExactly(Installer.APPLIED, Installer.REFUSED);
        assertThat(home.resolve("definitions/urlfilter/1")).doesNotExist();
    }

    @Test
    void theVersionInForceAgainIsNothingToDo() throws Exception {
        SignedPackage v1 = Fixtures.urlPackage(home, "1", "bad.example");
        installer.install(v1, "test");
        assertThat(installer.install(v1, "test")).isInstanceOf(Outcome.Current.class);
        assertThat(applied).hasSize(1);
        assertThat(sink.events).hasSize(1);
    }

    @Test
    void theVersionInForceAndThePreviousOneAreKept() throws Exception {
        for (String v : List.of("1", "2", "3", "4")) {
            assertThat(installer.install(Fixtures.urlPackage(home, v, v + ".example"), "test")).isInstanceOf(Outcome.Applied.class);
        }
        try (var versions = Files.list(home.resolve("definitions/urlfilter"))) {
            assertThat(versions.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("3", "4");
        }
    }

    @Test
    void aPackageTheEngineCannotTakeIsReportedAndThePreviousOneStays() throws Exception {
        installer.install(Fixtures.urlPackage(home, "1", "bad.example"), "test");
        Path src = Files.createDirectories(home.resolve("empty-src"));
        Files.writeString(src.resolve("README"), "no lists here");
        Installer failing = new Installer(home.resolve("definitions"), new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults()),
                installer.installed(), Map.of(Kind.URLFILTER, (version, files) -> {
                    throw new IOException("engine configuration not writable");
                }), Fixtures.EVENTS, sink);

        Outcome outcome = failing.install(PackageWriter.make(Kind.URLFILTER, PackageVersion.parse("2"), Fixtures.CREATED, src,
                Fixtures.OPERATOR.getPrivate()), "test");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.why()).contains("not writable"));
        assertThat(installer.installed().versions()).containsEntry("urlfilter", "1");
        assertThat(home.resolve("definitions/urlfilter/1")).exists();
        assertThat(home.resolve("definitions/urlfilter/2")).doesNotExist();
        assertThat(sink.ruleIds()).containsExactly(Installer.APPLIED, Installer.FAILED);
    }

    @Test
    void aKindThisApplianceDoesNotApplyIsRefused() throws Exception {
        Path src = Files.createDirectories(home.resolve("rules-src"));
        Files.writeString(src.resolve("local.rules"), "alert tcp any any -> any any (msg:\"x\"; sid:1;)\n");
        Outcome outcome = installer.install(PackageWriter.make(Kind.IPS, PackageVersion.parse("1"), Fixtures.CREATED, src,
                Fixtures.OPERATOR.getPrivate()), "test");
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.why()).contains("does not apply ips"));
    }
}
