package org.omamori.appliance.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;
import org.omamori.appliance.memory.JvmMemoryProbe;
import org.omamori.appliance.memory.MemoryGuard;
import org.omamori.appliance.memory.MemorySettings;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link MemoryGuard} on the running JVM with configuration {@value #PID}, installs it as
 * the process's {@link Shedding#current()} (the proxy and the DNS filter ask it on every connection
 * and packet) and offers it as a {@link LoadShedding} service; its metrics are in docs/metrics.md.
 */
@Component(configurationPid = MemoryGuardComponent.PID, immediate = true, service = LoadShedding.class)
@Designate(ocd = MemoryConfig.class)
public final class MemoryGuardComponent implements LoadShedding {

    public static final String PID = "org.omamori.memory";
    /** System (and so framework) property the budget's JVM options carry: the budget the JVM was sized for. */
    static final String SIZED_PROPERTY = "omamori.memory.budgetMegabytes";

    private static final Logger LOG = LoggerFactory.getLogger(MemoryGuardComponent.class);

    private final MemoryGuard guard;
    private final JvmMemoryProbe probe = new JvmMemoryProbe();
    private final ScheduledExecutorService timer;
    private final List<Registration> meters = new ArrayList<>();

    @Activate
    public MemoryGuardComponent(BundleContext context, MemoryConfig config) {
        // The resident set is held to the budget the JVM was sized for at start (the -D its options carry):
        // a JVM started without them has the JVM's default heap, which would overrun any budget by itself.
        String sized = context.getProperty(SIZED_PROPERTY);
        double residentHigh = config.residentHighPercent() / 100.0;
        double residentLow = config.residentLowPercent() / 100.0;
        long budget = (long) config.budgetMegabytes() << 20;
        if (sized == null) {
            residentHigh = Double.POSITIVE_INFINITY;
            residentLow = Double.MAX_VALUE;
            LOG.warn("memory budget: the JVM was not started with the budget's options (java $(java -jar JAR --jvm-options) -jar JAR):"
                    + " only the heap is watched, not the resident set");
        } else if (!sized.equals(String.valueOf(config.budgetMegabytes()))) {
            budget = Long.parseLong(sized) << 20;
            LOG.warn("memory budget: {} MB configured, the JVM was sized for {} MB at start and is held to that;"
                    + " restart the appliance to resize it", config.budgetMegabytes(), sized);
        }
        MemorySettings settings = new MemorySettings(budget, config.heapHighPercent() / 100.0, config.heapLowPercent() / 100.0,
                residentHigh, residentLow, Duration.ofMillis(config.checkMillis()));
        guard = new MemoryGuard(settings, probe, System::nanoTime);
        registerMeters(Meters.shared());
        probe.notifyOver(settings.heapHigh(), guard::check);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "memory-guard");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 0, config.checkMillis(), TimeUnit.MILLISECONDS);
        Shedding.install(this);
        LOG.info("memory budget {} MB: load is shed when the heap after collection passes {} % of {} MB or the resident set {} % of the budget",
                budget >> 20, config.heapHighPercent(), Runtime.getRuntime().maxMemory() >> 20,
                sized == null ? "(not watched)" : config.residentHighPercent());
    }

    private void check() {
        try {
            guard.check();
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("memory guard: check failed: {}", e.toString());
        }
    }

    private void registerMeters(Meters m) {
        meters.add(m.gauge("omamori.memory.shedding", "1 while the appliance sheds load past its memory budget, else 0",
                () -> guard.shedding() ? 1 : 0));
        meters.add(m.counter("omamori.memory.shed.episodes", "Times the appliance started shedding load", guard::episodes));
        for (String intake : MemoryGuard.INTAKES) {
            meters.add(m.counter("omamori.memory.refused", "Work refused while shedding load, by intake",
                    () -> guard.refusedCount(intake), "intake", intake));
        }
        meters.add(m.gauge("omamori.memory.budget.bytes", "The memory budget (resident memory of the whole process)",
                () -> guard.settings().budgetBytes()));
        meters.add(m.gauge("omamori.memory.resident.bytes", "Resident memory of the process (VmRSS) at the last check",
                () -> guard.residentBytes()));
        meters.add(m.gauge("omamori.memory.heap.after.collection.bytes", "Old-generation heap still used after the last collection",
                () -> guard.heap().usedBytes()));
    }

    @Override
    public boolean shedding() {
        return guard.shedding();
    }

    @Override
    public String reason() {
        return guard.reason();
    }

    @Override
    public void refused(String intake) {
        guard.refused(intake);
    }

    @Override
    public boolean awaitAccepting(Duration timeout) throws InterruptedException {
        return guard.awaitAccepting(timeout);
    }

    @Deactivate
    void deactivate() {
        Shedding.uninstall(this);
        timer.shutdownNow();
        probe.close();
        guard.release();
        meters.forEach(Registration::close);
    }
}
