package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;

/** Past the memory budget a definitions install waits until load is accepted again (docs/operations.md "Memory budget"). */
class InstallerMemoryTest {

    /** Sheds until released; awaitAccepting waits as the appliance's guard does. */
    static final class Gate implements LoadShedding {
        private boolean shedding = true;
        final List<String> refused = new CopyOnWriteArrayList<>();

        @Override
        public synchronized boolean shedding() {
            return shedding;
        }

        @Override
        public String reason() {
            return "heap after collection 240 MB of 269 MB (over 85 %)";
        }

        @Override
        public void refused(String intake) {
            refused.add(intake);
        }

        @Override
        public synchronized boolean awaitAccepting(Duration timeout) throws InterruptedException {
            if (shedding) {
                wait(Math.min(timeout.toMillis(), 50)); // a short "minute", so the loop's count shows
            }
            return !shedding;
        }

        synchronized void release() {
            shedding = false;
            notifyAll();
        }
    }

    @TempDir
    Path home;
    private final Gate gate = new Gate();

    @AfterEach
    void uninstall() {
        Shedding.uninstall(gate);
    }

    @Test
    void aPackageWaitsWhileTheApplianceShedsLoadAndIsAppliedOnceItStops() throws Exception {
        List<String> applied = new CopyOnWriteArrayList<>();
        Installer installer = new Installer(home.resolve("definitions"), new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults()),
                InstalledVersions.open(home.resolve("state/definitions/versions.properties")),
                Map.of(Kind.URLFILTER, (version, files) -> applied.add(version.text())), Fixtures.EVENTS, new Fixtures.Recorded());
        SignedPackage pkg = Fixtures.urlPackage(home, "2026.12.6.1", "bad.example");
        Shedding.install(gate);

        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> installer.install(pkg, "incoming/lists.zip"));
        Thread.sleep(300);
        assertThat(outcome).isNotDone();
        assertThat(applied).isEmpty();
        assertThat(gate.refused).isNotEmpty().containsOnly("definitions");

        gate.release();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new Outcome.Applied(Kind.URLFILTER, PackageVersion.parse("2026.12.6.1")));
        assertThat(applied).containsExactly("2026.12.6.1");
    }
}
