package org.omamori.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** The start report against a real Felix framework. */
class StartReportTest {

    @TempDir
    Path storage;

    /**
     * Ctrl-C while the launcher waits for the components to settle stops the framework under the
     * report: it returns at once with nothing failed, instead of the main thread dying on
     * "Invalid BundleContext" (seen when an appliance was stopped seconds after its launch).
     */
    @Test
    void aFrameworkStoppedDuringTheReportEndsItQuietly() throws Exception {
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        BundleContext context = framework.getBundleContext();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
                framework.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        long started = System.nanoTime();
        // No SCR in this framework: the report would wait for its whole 15 s unless the stop ends it.
        List<String> failed = StartReport.failedComponents(context, 1500, 15_000);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        stopper.join();
        framework.waitForStop(5_000);
        assertThat(failed).isEmpty();
        assertThat(tookMillis).as("returned when the framework stopped, not at the report's end").isLessThan(5_000);
    }
}
