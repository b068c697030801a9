package org.omamori.fleet.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Level;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.fleet.MaintenanceWindow;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the appliance into a staged runtime package within its maintenance window, and reports what
 * the launcher made of the last one (docs/fleet.md "Runtime updates"): {@code runtime:applied}, or a
 * {@code definitions:failed} event when it fell back to the runtime before (so a canary rollout stops).
 */
@Component(service = {}, immediate = true, configurationPid = RuntimeUpdates.PID)
@Designate(ocd = RuntimeConfig.class)
public final class RuntimeUpdates {

    public static final String PID = "org.omamori.runtime";
    /** The launcher's exit code for "start me again" (its RuntimeSelection.RESTART). */
    static final int RESTART = 75;
    static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeUpdates.class);

    private final Path runtime;
    private final Bundle framework;
    private final MaintenanceWindow window;
    private final ScheduledExecutorService worker;
    private final EventFactory events;
    private final EventSink sink;

    @Activate
    public RuntimeUpdates(BundleContext context, RuntimeConfig config, @Reference EventFactory events, @Reference EventSink sink) throws IOException {
        String homeProperty = context.getProperty("omamori.home");
        this.runtime = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath().normalize().resolve("runtime");
        this.framework = context.getBundle(0);
        this.window = MaintenanceWindow.parse(config.window()); // a bad window fails the activation, naming the text
        this.events = events;
        this.sink = sink;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "omamori-runtime-updates");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::check, config.checkSeconds(), config.checkSeconds(), TimeUnit.SECONDS);
        LOG.info("runtime {}: staged runtime packages start in the window '{}' (JST)", context.getProperty("omamori.runtime.version"),
                config.window());
    }

    /** The launcher's outcome of the last trial (written once the trial's health is known), as an event; then it is gone. */
    private void report() throws IOException {
        Path outcome = runtime.resolve("outcome");
        if (!Files.isRegularFile(outcome)) {
            return;
        }
        String text = Files.readString(outcome, StandardCharsets.UTF_8).strip();
        if (text.startsWith("applied ")) {
            LOG.info("runtime: {}", text);
            sink.publish(List.of(events.system("runtime:applied", "runtime applied", Level.LOW, "runtime " + text.substring(8) + " in force")));
        } else {
            LOG.warn("runtime: {}", text);
            sink.publish(List.of(events.system("definitions:failed", "definitions not applied", Level.HIGH, "runtime " + text)));
        }
        Files.delete(outcome);
    }

    private void check() {
        try {
            report();
            Path pending = runtime.resolve("pending");
            // Never while a trial runs: the launcher decides it (and writes current or failed) first.
            if (!Files.isRegularFile(pending) || Files.exists(runtime.resolve("trial")) || framework.getState() != Bundle.ACTIVE
                    || !window.contains(ZonedDateTime.now(JST))) {
                return;
            }
            String version = Files.readString(pending, StandardCharsets.UTF_8).strip();
            Path tmp = runtime.resolve("trial.tmp");
            Files.writeString(tmp, version + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, runtime.resolve("trial"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(pending);
            LOG.warn("runtime: restarting into runtime {} (maintenance window); the launcher goes back to this one if it is not healthy",
                    version);
            // Exit from a thread of its own: the shutdown hook stops the framework, which deactivates this component.
            Thread.ofPlatform().name("omamori-runtime-restart").start(() -> System.exit(RESTART));
        } catch (IOException | RuntimeException e) {
            LOG.warn("runtime: staged runtime not started: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }
}
