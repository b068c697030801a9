package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.MakeDefinitions;

/**
 * docs/fleet.md "Runtime updates" on the real appliance process: a signed runtime package (the
 * appliance's own bundles) is staged when it arrives, started in the maintenance window on trial, and
 * kept once healthy; a package whose bundles do not resolve is tried, found unhealthy, and the launcher
 * goes back to the runtime before by itself; the appliance reports both. The test plays the supervisor
 * (systemd's Restart=on-failure): it starts the appliance again whenever it exits with 75.
 */
class RuntimeUpdateTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void clamd() throws Exception {
        RunningAppliance.startClamd();
    }

    @Test
    void aRuntimePackageIsTriedInTheWindowKeptWhenHealthyAndLeftBehindWhenNot() throws Exception {
        Path keyDir = Files.createDirectories(dir.resolve("operator"));
        assertThat(MakeDefinitions.run("keygen", keyDir.resolve("private.pem").toString(), keyDir.resolve("public.pem").toString())).isZero();
        RunningAppliance appliance = new RunningAppliance(Files.createDirectories(dir.resolve("home")));
        Files.createDirectories(appliance.home.resolve("keys"));
        Files.copy(keyDir.resolve("public.pem"), appliance.home.resolve("keys/operator-ed25519.pem"));
        appliance.configure("org.omamori.runtime", "window=daily 00:00-24:00\ncheckSeconds=1\n");
        appliance.configure("org.omamori.definitions", "dropScanSeconds=1\n");
        Path shipped = RunningAppliance.LAUNCHER.getParent().resolve("bundles");
        try {
            appliance.start();

            // 1. The same bundles as a runtime package: staged, the appliance restarts into it in the window, it stays.
            Path good = bundles(shipped, dir.resolve("good"), null);
            drop(appliance, keyDir, "2.0.1", good);
            awaitRestartRequest(appliance);
            appliance.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> appliance.log().contains("runtime 2.0.1 is in force"));
            assertThat(Files.readString(appliance.home.resolve("runtime/current")).strip()).isEqualTo("2.0.1");
            await("the outcome reported").atMost(Duration.ofSeconds(20))
                    .until(() -> appliance.log().contains("runtime: applied 2.0.1") && !Files.exists(appliance.home.resolve("runtime/outcome")));
            assertThat(appliance.log()).contains("runtime 2.0.1: staged runtime packages start");

            // 2. A package missing a bundle others import: tried, not healthy, back to 2.0.1 without help.
            Path broken = bundles(shipped, dir.resolve("broken"), "org.omamori.spool-");
            drop(appliance, keyDir, "2.0.2", broken);
            awaitRestartRequest(appliance);
            appliance.launch(); // the trial
            assertThat(appliance.process.waitFor(90, TimeUnit.SECONDS)).as("the trial ends by itself").isTrue();
            assertThat(appliance.process.exitValue()).as("and asks to be started again").isEqualTo(75);
            assertThat(appliance.log()).contains("runtime 2.0.2 on trial is not healthy").contains("org.omamori.fleet");
            appliance.start();
            await("the fallback reported").atMost(Duration.ofSeconds(20)).until(() -> appliance.log().contains("runtime: fell back from 2.0.2"));
            assertThat(Files.readString(appliance.home.resolve("runtime/current")).strip()).isEqualTo("2.0.1");
            assertThat(appliance.home.resolve("runtime/2.0.1/bundles")).as("the runtime in force is kept").isDirectory();
            assertThat(appliance.log()).contains("runtime 2.0.1: staged runtime packages start");
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; appliance log ends:\n" + RunningCloud.tail(appliance.log(), 8000), e);
        } finally {
            appliance.stop();
        }
    }

    /** A copy of the shipped bundles, without the jar whose name starts with {@code leaveOut}. */
    private static Path bundles(Path shipped, Path to, String leaveOut) throws Exception {
        Path b = Files.createDirectories(to.resolve("bundles"));
        try (Stream<Path> jars = Files.list(shipped)) {
            for (Path jar : jars.toList()) {
                if (leaveOut == null || !jar.getFileName().toString().startsWith(leaveOut)) {
                    Files.copy(jar, b.resolve(jar.getFileName()));
                }
            }
        }
        return to;
    }

    /** Signs the folder as a runtime package and drops it (zip, then signature) into the appliance's incoming folder. */
    private static void drop(RunningAppliance appliance, Path keys, String version, Path source) throws Exception {
        Path out = source.resolveSibling("runtime-" + version + ".zip");
        assertThat(MakeDefinitions.run("runtime", version, source.toString(), keys.resolve("private.pem").toString(), out.toString())).isZero();
        Path incoming = Files.createDirectories(appliance.home.resolve("definitions/incoming"));
        Files.move(out, incoming.resolve(out.getFileName()));
        Files.move(out.resolveSibling(out.getFileName() + ".sig"), incoming.resolve(out.getFileName() + ".sig"));
    }

    /** Staged, then the window: the appliance exits 75 for the supervisor to start it again. */
    private static void awaitRestartRequest(RunningAppliance appliance) throws Exception {
        assertThat(appliance.process.waitFor(60, TimeUnit.SECONDS)).as("the appliance restarts in the window").isTrue();
        assertThat(appliance.process.exitValue()).isEqualTo(75);
        assertThat(appliance.log()).contains("restarting into runtime");
    }
}
