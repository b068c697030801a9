package org.omamori.appliance.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.appliance.testing.EngineJars;
import org.omamori.appliance.testing.SigningKeys;
import org.omamori.appliance.trust.BundleVerifier;

class EngineInstallerTest {

    private static SigningKeys keys;

    @TempDir
    Path work;
    FakeFramework framework;
    EngineInstaller installer;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = SigningKeys.shared();
    }

    @BeforeEach
    void setUp() throws Exception {
        SigningKeys.trust(work.resolve("trust"), keys.ed25519);
        framework = new FakeFramework().withPlatformBundle("org.omamori.inspection");
        installer = new EngineInstaller(new BundleVerifier(work.resolve("trust"), 1 << 20), framework, work.resolve("state"));
    }

    @Test
    void aTrustedEngineIsInstalledAtItsOriginAndStarted() throws Exception {
        Path jar = EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519);

        InstallOutcome outcome = installer.install(jar, Origin.deployFile("av.jar"));

        assertThat(outcome).isInstanceOf(InstallOutcome.Installed.class);
        assertThat(framework.calls).containsExactly(
                "install org.example.engine.av 1.0.0 at omamori-appliance:deploy/av.jar", "start org.example.engine.av");
        assertThat(outcome.summary()).contains("org.example.engine.av 1.0.0", "CN=operator");
    }

    @Test
    void theSameSymbolicNameIsUpdatedInPlace() throws Exception {
        installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519), Origin.admin());
        framework.calls.clear();

        InstallOutcome outcome = installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "1.1.0", keys.ed25519), Origin.admin());

        assertThat(outcome).isEqualTo(new InstallOutcome.Updated("org.example.engine.av", "1.0.0", "1.1.0",
                ((InstallOutcome.Updated) outcome).signer()));
        assertThat(framework.calls).containsExactly("update org.example.engine.av 1.1.0", "start org.example.engine.av");
    }

    @Test
    void aRefusedJarLeavesTheInstalledEnginesUntouched() throws Exception {
        installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519), Origin.admin());
        framework.calls.clear();

        InstallOutcome outcome = installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "6.6.6", keys.stranger), Origin.admin());

        assertThat(outcome).isInstanceOf(InstallOutcome.Refused.class);
        assertThat(outcome.summary()).contains("not trusted");
        assertThat(framework.calls).isEmpty();
        assertThat(framework.find("org.example.engine.av").orElseThrow().version()).isEqualTo("1.0.0");
    }

    @Test
    void aPlatformBundleIsNeverReplacedEvenBySignedEngineJarOfTheSameName() throws Exception {
        Path impostor = EngineJars.signedEngine(work, "org.omamori.inspection", "9.0.0", keys.ed25519);

        InstallOutcome outcome = installer.install(impostor, Origin.admin());

        assertThat(outcome).isInstanceOf(InstallOutcome.Refused.class);
        assertThat(outcome.summary()).contains("platform bundle");
        assertThat(framework.calls).isEmpty();
    }

    @Test
    void platformBundlesAndTheFrameworkCannotBeUninstalled() {
        assertThat(installer.uninstall("org.omamori.inspection")).isInstanceOf(UninstallOutcome.Forbidden.class);
        assertThat(installer.uninstall("org.apache.felix.framework")).isInstanceOf(UninstallOutcome.Forbidden.class);
        assertThat(framework.calls).isEmpty();
    }

    @Test
    void anInstalledEngineIsUninstalledBySymbolicName() throws Exception {
        installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519), Origin.admin());

        UninstallOutcome outcome = installer.uninstall("org.example.engine.av");

        assertThat(outcome).isEqualTo(new UninstallOutcome.Uninstalled("org.example.engine.av", "1.0.0"));
        assertThat(installer.uninstall("org.example.engine.av")).isInstanceOf(UninstallOutcome.NotInstalled.class);
    }

    @Test
    void aNewEngineThatDoesNotStartIsRemovedAgain() throws Exception {
        framework.failStart = true;

        InstallOutcome outcome = installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519), Origin.admin());

        assertThat(outcome).isInstanceOf(InstallOutcome.Failed.class);
        assertThat(outcome.summary()).contains("missing requirement");
        assertThat(framework.find("org.example.engine.av")).isEmpty();
    }

    @Test
    void aDeployFileThatNowHoldsAnotherBundleReplacesTheOneItHeld() throws Exception {
        installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519), Origin.deployFile("engine.jar"));

        installer.install(EngineJars.signedEngine(work, "org.example.engine.ips", "1.0.0", keys.ed25519), Origin.deployFile("engine.jar"));

        assertThat(framework.find("org.example.engine.av")).isEmpty();
        assertThat(framework.find("org.example.engine.ips")).isPresent();
    }

    @Test
    void theVerifiedWorkingCopyIsRemovedAfterwards() throws Exception {
        installer.install(EngineJars.signedEngine(work, "org.example.engine.av", "1.0.0", keys.ed25519), Origin.admin());

        try (var left = Files.list(work.resolve("state"))) {
            assertThat(left).isEmpty();
        }
    }
}
