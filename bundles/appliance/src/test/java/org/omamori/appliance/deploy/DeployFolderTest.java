package org.omamori.appliance.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.appliance.deploy.DeployStatus.State;
import org.omamori.appliance.install.EngineInstallation;
import org.omamori.appliance.install.HostedBundle;
import org.omamori.appliance.install.InstallOutcome;
import org.omamori.appliance.install.Origin;
import org.omamori.appliance.install.UninstallOutcome;
import org.omamori.appliance.trust.Signer;

class DeployFolderTest {

    @TempDir
    Path work;
    Path deploy;
    Path index;
    FakeInstallation installation;
    DeployFolder folder;

    @BeforeEach
    void setUp() throws IOException {
        deploy = Files.createDirectories(work.resolve("deploy"));
        index = work.resolve("state/deploy.index");
        installation = new FakeInstallation();
        folder = newFolder();
    }

    private DeployFolder newFolder() {
        // Settle time zero: two scans with the same size and time are enough, the tests decide when scans happen.
        return new DeployFolder(deploy, installation, index, Duration.ZERO, Clock.systemUTC());
    }

    @Test
    void aJarThatAppearsIsInstalledOnceWhenStable() throws IOException {
        jar("av.jar", "org.example.av 1.0.0");

        folder.poll();
        assertThat(installation.calls).as("first sight: maybe still being written").isEmpty();
        folder.poll();
        folder.poll();
        folder.poll();

        assertThat(installation.calls).containsExactly("install av.jar as deploy/av.jar");
        assertThat(folder.status().files()).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(State.INSTALLED);
            assertThat(f.bundle()).isEqualTo("org.example.av");
        });
    }

    @Test
    void aHalfWrittenJarIsIgnoredUntilItStopsGrowing() throws IOException {
        Path file = jar("av.jar", "org.example.av 1.0.0");
        folder.poll();
        Files.writeString(file, " and more", StandardOpenOption.APPEND);
        folder.poll();
        assertThat(installation.calls).isEmpty();
        assertThat(folder.status().files().getFirst().state()).isEqualTo(State.WAITING);

        folder.poll();

        assertThat(installation.calls).containsExactly("install av.jar as deploy/av.jar");
    }

    @Test
    void temporaryAndPartialFilesAreIgnored() throws IOException {
        jar("av.jar.part", "org.example.av 1.0.0");
        jar("av.jar.tmp", "org.example.av 1.0.0");
        jar(".av.jar", "org.example.av 1.0.0");

        folder.poll();
        folder.poll();

        assertThat(installation.calls).isEmpty();
        assertThat(folder.status().files()).isEmpty();
    }

    @Test
    void aChangedJarIsInstalledAgainAsAnUpdate() throws IOException {
        Path file = jar("av.jar", "org.example.av 1.0.0");
        folder.poll();
        folder.poll();

        Files.writeString(file, "org.example.av 1.1.0-with-more-rules");
        folder.poll();
        folder.poll();

        assertThat(installation.calls).containsExactly("install av.jar as deploy/av.jar", "install av.jar as deploy/av.jar");
        assertThat(installation.outcomes.getLast()).isInstanceOf(InstallOutcome.Updated.class);
    }

    @Test
    void aJarTouchedWithoutChangeIsNotInstalledAgain() throws IOException {
        Path file = jar("av.jar", "org.example.av 1.0.0");
        folder.poll();
        folder.poll();

        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        folder.poll();
        folder.poll();

        assertThat(installation.calls).hasSize(1);
    }

    @Test
    void aRemovedJarTakesItsBundleWithIt() throws IOException {
        Path file = jar("av.jar", "org.example.av 1.0.0");
        folder.poll();
        folder.poll();

        Files.delete(file);
        folder.poll();

        assertThat(installation.calls).containsExactly("install av.jar as deploy/av.jar", "uninstall org.example.av");
        assertThat(folder.status().files()).isEmpty();
    }

    @Test
    void aRefusedJarIsTriedOnceAndItsReasonKeptForTheStatus() throws IOException {
        jar("evil.jar", "REFUSE signed by a key that is not trusted: CN=mallory");

        for (int i = 0; i < 5; i++) {
            folder.poll();
        }

        assertThat(installation.calls).containsExactly("install evil.jar as deploy/evil.jar");
        assertThat(folder.status().files()).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(State.REFUSED);
            assertThat(f.detail()).contains("CN=mallory");
        });
    }

    @Test
    void removingARefusedJarUninstallsNothing() throws IOException {
        Path file = jar("evil.jar", "REFUSE unsigned");
        folder.poll();
        folder.poll();

        Files.delete(file);
        folder.poll();

        assertThat(installation.calls).containsExactly("install evil.jar as deploy/evil.jar");
    }

    @Test
    void afterARestartOnlyWhatChangedMeanwhileIsRedone() throws IOException {
        jar("av.jar", "org.example.av 1.0.0");
        Path ips = jar("ips.jar", "org.example.ips 1.0.0");
        folder.poll();
        folder.poll();
        installation.calls.clear();

        // Down: ips.jar removed, url.jar added, av.jar untouched.
        Files.delete(ips);
        jar("url.jar", "org.example.url 1.0.0");
        DeployFolder restarted = newFolder();
        restarted.reconcile();
        restarted.poll();
        restarted.poll();

        assertThat(installation.calls).containsExactly("uninstall org.example.ips", "install url.jar as deploy/url.jar");
    }

    @Test
    void watchingInTheBackgroundInstallsAndUninstalls() throws Exception {
        DeployFolder watching = new DeployFolder(deploy, installation, index, Duration.ofMillis(50), Clock.systemUTC());
        watching.start(Duration.ofMillis(50));
        try {
            Path file = jar("av.jar", "org.example.av 1.0.0");
            awaitCalls(1);
            Files.delete(file);
            awaitCalls(2);
        } finally {
            watching.close();
        }
        assertThat(installation.calls).containsExactly("install av.jar as deploy/av.jar", "uninstall org.example.av");
    }

    private void awaitCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (installation.calls().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private Path jar(String name, String content) throws IOException {
        return Files.writeString(deploy.resolve(name), content);
    }

    /** Reads "symbolic-name version" from the file, or refuses a file that starts with REFUSE. */
    static final class FakeInstallation implements EngineInstallation {
        final List<String> calls = new ArrayList<>();
        final List<InstallOutcome> outcomes = new ArrayList<>();
        final Map<String, HostedBundle> bundles = new LinkedHashMap<>();
        private long nextId = 1;

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        @Override
        public synchronized InstallOutcome install(Path jar, Origin origin) {
            calls.add("install " + jar.getFileName() + " as " + origin);
            String content;
            try {
                content = Files.readString(jar);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            InstallOutcome outcome;
            if (content.startsWith("REFUSE")) {
                outcome = new InstallOutcome.Refused(content.substring("REFUSE ".length()));
            } else {
                String[] nameAndVersion = content.split(" ", 2);
                Signer signer = new Signer("CN=operator", "AA:BB");
                HostedBundle old = bundles.get(nameAndVersion[0]);
                HostedBundle now = new HostedBundle(old == null ? nextId++ : old.id(), nameAndVersion[0], nameAndVersion[1],
                        old == null ? origin.location(nameAndVersion[0]) : old.location(), true);
                bundles.put(now.symbolicName(), now);
                outcome = old == null ? new InstallOutcome.Installed(now.symbolicName(), now.version(), signer)
                        : new InstallOutcome.Updated(now.symbolicName(), old.version(), now.version(), signer);
            }
            outcomes.add(outcome);
            return outcome;
        }

        @Override
        public synchronized UninstallOutcome uninstall(String symbolicName) {
            calls.add("uninstall " + symbolicName);
            HostedBundle removed = bundles.remove(symbolicName);
            return removed == null ? new UninstallOutcome.NotInstalled(symbolicName)
                    : new UninstallOutcome.Uninstalled(symbolicName, removed.version());
        }

        @Override
        public synchronized List<HostedBundle> installedByAppliance() {
            return List.copyOf(bundles.values());
        }
    }
}
