package org.omamori.appliance.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.appliance.testing.EngineJars;
import org.omamori.appliance.testing.SigningKeys;
import org.omamori.appliance.trust.TrustDecision.Cause;
import org.omamori.appliance.trust.TrustDecision.Refused;
import org.omamori.appliance.trust.TrustDecision.Trusted;

class BundleVerifierTest {

    private static final long LIMIT = 64L * 1024 * 1024;
    private static SigningKeys keys;

    @TempDir
    Path work;
    Path trust;
    BundleVerifier verifier;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = SigningKeys.shared();
    }

    @BeforeEach
    void trustTheOperatorKeys() throws Exception {
        trust = work.resolve("trust");
        SigningKeys.trust(trust, keys.ed25519, keys.rsa, keys.ec, keys.expired);
        verifier = new BundleVerifier(trust, LIMIT);
    }

    @Test
    void anEngineSignedWithATrustedEd25519KeyIsTrusted() throws Exception {
        Path jar = EngineJars.signedEngine(work, "org.example.engine.av", "1.2.3", keys.ed25519);

        TrustDecision decision = verifier.verify(jar);

        assertThat(decision).isInstanceOfSatisfying(Trusted.class, trusted -> {
            assertThat(trusted.symbolicName()).isEqualTo("org.example.engine.av");
            assertThat(trusted.version()).isEqualTo("1.2.3");
            assertThat(trusted.signer().subject()).contains("CN=operator,");
            assertThat(trusted.signer().fingerprint()).isEqualTo(Signer.fingerprint(keys.ed25519.certificate()));
        });
    }

    @Test
    void rsaAndEcSignersAreTrustedToo() throws Exception {
        assertThat(verifier.verify(EngineJars.signedEngine(work, "org.example.engine.rsa", "1.0.0", keys.rsa)))
                .isInstanceOf(Trusted.class);
        assertThat(verifier.verify(EngineJars.signedEngine(work, "org.example.engine.ec", "1.0.0", keys.ec)))
                .isInstanceOf(Trusted.class);
    }

    @Test
    void anUnsignedJarIsRefused() throws Exception {
        Path jar = EngineJars.engine(work.resolve("unsigned.jar"), "org.example.engine.av", "1.0.0");

        assertRefused(verifier.verify(jar), Cause.UNSIGNED, "not signed");
    }

    @Test
    void anEntryChangedAfterSigningIsRefusedNamingTheEntry() throws Exception {
        Path signed = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);
        Path tampered = EngineJars.rewrite(signed, work.resolve("tampered.jar"),
                (name, content) -> name.equals("org/example/engine/rules.txt") ? "allow everything\n".getBytes(StandardCharsets.UTF_8) : content,
                Map.of());

        assertRefused(verifier.verify(tampered), Cause.TAMPERED, "org/example/engine/rules.txt");
    }

    @Test
    void anUnsignedEntryAddedAfterSigningIsRefusedNamingTheEntry() throws Exception {
        Path signed = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);
        Path extended = EngineJars.rewrite(signed, work.resolve("extended.jar"), (name, content) -> content,
                Map.of("org/example/engine/Backdoor.class", "evil"));

        assertRefused(verifier.verify(extended), Cause.UNSIGNED_ENTRY, "org/example/engine/Backdoor.class");
    }

    @Test
    void anUnsignedServiceFileAddedUnderMetaInfIsRefusedToo() throws Exception {
        Path signed = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);
        Path extended = EngineJars.rewrite(signed, work.resolve("extended.jar"), (name, content) -> content,
                Map.of("META-INF/services/java.security.Provider", "org.example.Evil"));

        assertRefused(verifier.verify(extended), Cause.UNSIGNED_ENTRY, "META-INF/services/java.security.Provider");
    }

    @Test
    void anEntryRemovedAfterSigningIsRefusedNamingTheEntry() throws Exception {
        Path signed = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);
        Path trimmed = EngineJars.rewrite(signed, work.resolve("trimmed.jar"),
                (name, content) -> name.equals("org/example/engine/rules.txt") ? null : content, Map.of());

        assertRefused(verifier.verify(trimmed), Cause.TAMPERED, "org/example/engine/rules.txt");
    }

    @Test
    void aManifestEditedAfterSigningIsRefused() throws Exception {
        Path signed = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);
        Path renamed = EngineJars.rewrite(signed, work.resolve("renamed.jar"),
                (name, content) -> name.equals("META-INF/MANIFEST.MF")
                        ? new String(content, StandardCharsets.UTF_8).replace("org.example.engine.av", "org.omamori.inspection").getBytes(StandardCharsets.UTF_8)
                        : content,
                Map.of());

        TrustDecision decision = verifier.verify(renamed);

        assertThat(decision).isInstanceOf(Refused.class);
        assertThat(((Refused) decision).cause()).isIn(Cause.TAMPERED, Cause.UNSIGNED_ENTRY);
    }

    @Test
    void aJarSignedByAnUntrustedKeyIsRefusedShowingSubjectAndFingerprint() throws Exception {
        Path jar = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.stranger);

        Refused refused = assertRefused(verifier.verify(jar), Cause.UNTRUSTED_SIGNER, "CN=stranger");
        assertThat(refused.reason()).contains(Signer.fingerprint(keys.stranger.certificate()));
    }

    @Test
    void aSignerWhoseTrustedCertificateExpiredIsRefused() throws Exception {
        Path jar = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.expired);

        assertRefused(verifier.verify(jar), Cause.TRUST_NOT_VALID, "expired.pem");
    }

    @Test
    void aSignedBundleThatDoesNotProvideTheEngineServiceIsRefused() throws Exception {
        Path unsigned = EngineJars.bundle(work.resolve("library.unsigned"), "org.example.library", "1.0.0",
                "osgi.service;objectClass:List<String>=\"org.example.Other\"");
        Path jar = EngineJars.sign(unsigned, work.resolve("library.jar"), keys.ed25519);

        assertRefused(verifier.verify(jar), Cause.NOT_AN_ENGINE, EngineCapability.ENGINE_SERVICE);
    }

    @Test
    void aJarWithoutBundleSymbolicNameIsNotABundle() throws Exception {
        Path jar = EngineJars.bundle(work.resolve("plain.jar"), null, "1.0.0", EngineJars.ENGINE_CAPABILITY);

        assertRefused(verifier.verify(jar), Cause.NOT_A_BUNDLE, "Bundle-SymbolicName");
    }

    @Test
    void aFileThatIsNotAJarIsRefused() throws Exception {
        Path notAJar = Files.writeString(work.resolve("engine.jar"), "<html>404 not found</html>");

        assertRefused(verifier.verify(notAJar), Cause.NOT_A_JAR, "not a jar");
    }

    @Test
    void aJarOverTheSizeLimitIsRefusedBeforeItIsOpened() throws Exception {
        Path jar = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);
        BundleVerifier strict = new BundleVerifier(trust, 100);

        assertRefused(strict.verify(jar), Cause.TOO_LARGE, "maxBundleBytes");
    }

    @Test
    void anEmptyTrustDirectoryTrustsNobodyAndSaysWhereToPutCertificates() throws Exception {
        Path jar = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);
        BundleVerifier trustingNobody = new BundleVerifier(work.resolve("empty-trust"), LIMIT);

        assertRefused(trustingNobody.verify(jar), Cause.NO_TRUSTED_KEYS, "empty-trust");
    }

    @Test
    void aPemDroppedIntoTheTrustDirectoryCountsAtOnce() throws Exception {
        Path jar = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.stranger);
        assertThat(verifier.verify(jar)).isInstanceOf(Refused.class);

        SigningKeys.trust(trust, keys.stranger);

        assertThat(verifier.verify(jar)).isInstanceOf(Trusted.class);
    }

    private static Refused assertRefused(TrustDecision decision, Cause cause, String reasonMentions) {
        assertThat(decision).isInstanceOf(Refused.class);
        Refused refused = (Refused) decision;
        assertThat(refused.cause()).as(refused.reason()).isEqualTo(cause);
        assertThat(refused.reason()).contains(reasonMentions);
        return refused;
    }
}
