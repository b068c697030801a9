package org.omamori.simulator;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.omamori.events.ApplianceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N virtual appliances of given customers replaying their traffic profiles against a cloud,
 * through one shared set of real engines. Each appliance runs one step every
 * {@code stepEvery} (start times spread over the first period) and, with a beacon in its
 * profile, the beacon every {@code beaconEvery}.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimulatorSettings.of(cloudUri, Optional.of(cloudPem), home, List.of(
 *         ApplianceSpec.of("00a0de000001", "株式会社A", codeA1, TrafficProfile.standard()),
 *         ApplianceSpec.of("00a0de000002", "株式会社B", codeB1, TrafficProfile.withoutBeacon()))))) {
 *     sim.appliance("00a0de000002").silence();   // its stopped notice comes after 10 min of silence
 *     ...
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    private final SimulatorSettings settings;
    private final Engines engines;
    private final boolean ownEngines;
    private final Map<ApplianceId, VirtualAppliance> appliances = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Simulator(SimulatorSettings settings, Engines engines, boolean ownEngines) {
        this.settings = settings;
        this.engines = engines;
        this.ownEngines = ownEngines;
        int threads = Math.max(2, Math.min(8, settings.appliances().size()));
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, "omamori-simulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds the engines (lists, rules, clamd of the settings), starts every appliance and their traffic. */
    public static Simulator start(SimulatorSettings settings) throws IOException, GeneralSecurityException {
        Engines engines = Engines.start(settings.lists(), settings.rules(), settings.clamd());
        try {
            return start(settings, engines, true);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            engines.close();
            throw e;
        }
    }

    /** With engines the caller built and closes (e.g. one set for several simulators in a test). */
    public static Simulator start(SimulatorSettings settings, Engines engines) throws IOException, GeneralSecurityException {
        return start(settings, engines, false);
    }

    private static Simulator start(SimulatorSettings settings, Engines engines, boolean own) throws IOException, GeneralSecurityException {
        Simulator sim = new Simulator(settings, engines, own);
        try {
            for (ApplianceSpec spec : settings.appliances()) {
                VirtualAppliance a = VirtualAppliance.start(spec, settings.home().resolve(spec.id().value()), engines.pipeline(),
                        settings.cloud(), settings.trustedCertificates(), settings.heartbeatEvery(), settings.operatorKey());
                sim.appliances.put(spec.id(), a);
            }
            for (VirtualAppliance a : sim.appliances.values()) {
                sim.schedule(a);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            sim.scheduler.shutdown();
            sim.closeAppliances();
            throw e;
        }
        LOG.info("simulator: {} virtual appliance(s) against {}, a step every {} ms, beacons every {} s, antivirus {}, definitions {}",
                sim.appliances.size(), settings.cloud(), settings.stepEvery().toMillis(), settings.beaconEvery().toSeconds(),
                engines.antivirus() ? "on" : "OFF (clamd not answering)",
                settings.operatorKey().map(k -> "pulled (operator key " + k + ")").orElse("not pulled"));
        return sim;
    }

    private void schedule(VirtualAppliance a) {
        TrafficProfile profile = a.spec().profile();
        long step = settings.stepEvery().toMillis();
        long first = ThreadLocalRandom.current().nextLong(step);
        if (!profile.steps().isEmpty()) {
            AtomicInteger next = new AtomicInteger();
            scheduler.scheduleWithFixedDelay(() -> replay(a, profile.steps().get(Math.floorMod(next.getAndIncrement(),
                    profile.steps().size()))), first, step, TimeUnit.MILLISECONDS);
        }
        profile.beacon().ifPresent(beacon -> scheduler.scheduleWithFixedDelay(() -> replay(a, beacon),
                first + 2 * step, settings.beaconEvery().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Never throws: a throwing task would stop its schedule. */
    private static void replay(VirtualAppliance a, TrafficStep step) {
        try {
            a.replay(step);
        } catch (RuntimeException e) {
            LOG.warn("{}: step {} failed: {}", a.id(), step.name(), e.toString());
        }
    }

    public VirtualAppliance appliance(ApplianceId id) {
        VirtualAppliance a = appliances.get(id);
        if (a == null) {
            throw new NoSuchElementException("no virtual appliance " + id);
        }
        return a;
    }

    public VirtualAppliance appliance(String id) {
        return appliance(ApplianceId.parse(id));
    }

    public List<VirtualAppliance> appliances() {
        return List.copyOf(appliances.values());
    }

    public Engines engines() {
        return engines;
    }

    /** Events made by all appliances since start. */
    public long eventsMade() {
        return appliances.values().stream().mapToLong(VirtualAppliance::eventsMade).sum();
    }

    /** Events the cloud acknowledged, all appliances. */
    public long eventsAcknowledged() {
        return appliances.values().stream().mapToLong(VirtualAppliance::eventsAcknowledged).sum();
    }

    /** Stops the traffic, then every appliance (uplink and spool), then the engines if they are the simulator's own. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // shutdown, not shutdownNow: a step interrupted while it writes to a spool would close the
        // spool's segment channel (FileChannel closes on interrupt). Running steps are short.
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("simulator: traffic steps still running after 30 s; closing the appliances under them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAppliances();
        if (ownEngines) {
            engines.close();
        }
        LOG.info("simulator stopped");
    }

    private void closeAppliances() {
        for (VirtualAppliance a : appliances.values()) {
            a.close();
        }
    }

    /**
     * Runs a simulation until Ctrl-C (or for {@code --seconds}).
     *
     * <pre>
     * java -cp ... org.omamori.simulator.Simulator --cloud https://localhost:8443/ --trust run/cloud/tls/cloud.pem \
     *      [--home run/simulator] [--step-ms 500] [--beacon-s 20] [--heartbeat-s 60] [--seconds N] [--operator-key PEM] \
     *      --appliance 00a0de000001:customer-a:ACTIVATION-CODE[:standard|without-beacon|browsing] ...
     * </pre>
     */
    public static void main(String[] args) throws Exception {
        URI cloud = null;
        Optional<Path> trust = Optional.empty();
        Path home = Path.of("run/simulator");
        long stepMs = 500;
        long beaconS = 20;
        long heartbeatS = 60;
        long seconds = 0;
        Optional<Path> operatorKey = Optional.empty();
        List<ApplianceSpec> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--cloud" -> cloud = URI.create(value);
                case "--trust" -> trust = Optional.of(Path.of(value));
                case "--home" -> home = Path.of(value);
                case "--step-ms" -> stepMs = Long.parseLong(value);
                case "--beacon-s" -> beaconS = Long.parseLong(value);
                case "--heartbeat-s" -> heartbeatS = Long.parseLong(value);
                case "--seconds" -> seconds = Long.parseLong(value);
                case "--operator-key" -> operatorKey = Optional.of(Path.of(value));
                case "--appliance" -> specs.add(parseAppliance(value));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the module's README.md)");
            }
            i++;
        }
        if (cloud == null || specs.isEmpty()) {
            System.err.println("usage: Simulator --cloud https://host:port/ [--trust cloud.pem] --appliance id:customer:code[:profile] ..."
                    + " [--home dir] [--step-ms 500] [--beacon-s 20] [--heartbeat-s 60] [--seconds N] [--operator-key PEM]");
            System.exit(2);
        }
        SimulatorSettings settings = SimulatorSettings.of(cloud, trust, home, specs)
                .withPace(Duration.ofMillis(stepMs), Duration.ofSeconds(beaconS)).withHeartbeatEvery(Duration.ofSeconds(heartbeatS));
        if (operatorKey.isPresent()) {
            settings = settings.withDefinitions(operatorKey.get());
        }
        Simulator sim = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "omamori-simulator-stop"));
        long end = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            LOG.info("simulator: {} events made, {} acknowledged by the cloud", sim.eventsMade(), sim.eventsAcknowledged());
        }
        sim.close();
    }

    static ApplianceSpec parseAppliance(String text) {
        String[] p = text.split(":", 4);
        if (p.length < 3) {
            throw new IllegalArgumentException("--appliance id:customer:activationCode[:profile], got " + p.length + " part(s)");
        }
        TrafficProfile profile = switch (p.length == 4 ? p[3] : "standard") {
            case "standard" -> TrafficProfile.standard();
            case "without-beacon" -> TrafficProfile.withoutBeacon();
            case "browsing" -> TrafficProfile.browsingOnly();
            default -> throw new IllegalArgumentException("profile must be standard, without-beacon or browsing: " + p[3]);
        };
        return ApplianceSpec.of(p[0], p[1], p[2], profile);
    }
}
