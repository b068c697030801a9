package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The application-identification bundle in a real Felix on the real libndpi: it offers its engine
 * and health check, and an update of the bundle (a new class loader) loads its own copy of the
 * JNI shim while libndpi stays mapped once (decision 0031).
 */
class AppIdBundleTest {

    @TempDir
    Path tmp;

    @Test
    void identifiesInsideFelixAndSurvivesAnUpdateOfItsBundle() throws Exception {
        installLibndpi();
        System.setProperty("omamori.native.cache", tmp.resolve("native").toString());
        try (TestFramework fw = TestFramework.start(tmp.resolve("felix"))) {
            Bundle appid = fw.installAndStart(TestFramework.BUNDLES.resolve("org.omamori.engine.appid.jar"));
            assertThat(appid.getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(youtube(fw)).isEqualTo("app:video:youtube");
            assertThat(fw.context.getAllServiceReferences("org.omamori.metrics.HealthCheck", "(objectClass=*)"))
                    .as("the health check appid").isNotNull();
            assertThat(mapped("libndpi.so.4.2")).hasSize(1);
            assertThat(mapped("omamori_ndpi-")).hasSize(1);

            try (InputStream in = Files.newInputStream(TestFramework.BUNDLES.resolve("org.omamori.engine.appid.jar"))) {
                appid.update(in);
            }
            refresh(fw, appid);
            await().atMost(Duration.ofSeconds(20)).until(() -> appid.getState() == Bundle.ACTIVE);
            assertThat(youtube(fw)).as("the updated bundle identifies with its own shim").isEqualTo("app:video:youtube");
            assertThat(mapped("libndpi.so.4.2")).as("libndpi is opened once per process").hasSize(1);
            assertThat(Files.list(tmp.resolve("native")).toList()).as("the unpacked shims are deleted once mapped").isEmpty();
        } finally {
            System.clearProperty("omamori.native.cache");
        }
    }

    /** What the engine service in force makes of a TLS connection to YouTube. */
    private static String youtube(TestFramework fw) {
        ServiceReference<Engine> ref = await().atMost(Duration.ofSeconds(20)).until(
                () -> fw.context.getServiceReference(Engine.class), r -> r != null);
        Engine engine = fw.context.getService(ref);
        try (Inspection i = engine.inspect(InspectionRequest.tls("www.youtube.com").build())) {
            return i.verdict().finding().map(Finding::ruleId).orElse("none");
        } finally {
            fw.context.ungetService(ref);
        }
    }

    private static void refresh(TestFramework fw, Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        fw.framework.adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertThat(refreshed.await(20, TimeUnit.SECONDS)).isTrue();
    }

    /** The distinct mapped files of this process whose path contains {@code name}. */
    private static Set<String> mapped(String name) throws IOException {
        Set<String> paths = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.contains(name)) {
                paths.add(line.substring(slash));
            }
        }
        return paths;
    }

    /** libndpi through the project's script, as a fresh CI machine gets it; fails with the script's reason. */
    private static void installLibndpi() throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("scripts/ndpi.sh");
        Process p = new ProcessBuilder("bash", script.toString(), "install").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("scripts/ndpi.sh install: %s", out).isZero();
    }
}
