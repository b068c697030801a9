package org.omamori.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.Kind;
import org.omamori.events.EventTally;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.uplink.Uplink;
import org.omamori.uplink.UplinkSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated appliance: its own home folder with a real {@link Spool} ({@code state/spool})
 * and a real {@link Uplink} to the cloud (TLS 1.3, activation with the code given to it, device
 * token in {@code state/uplink/device.token}, heartbeats, batches with retries), and an
 * {@link EventFactory} for its id. Traffic steps run through the shared real engines and their
 * events go to the spool, as on a real appliance.
 *
 * <p>With an operator key it also pulls definitions packages from the cloud with the appliance's own
 * code ({@link SimulatedDefinitions}): verified, installed under its home, their versions in its
 * heartbeats, their outcomes as events.
 *
 * <p>{@link #silence()} is the appliance unplugged: no heartbeats, no shipping, no pulls, no traffic
 * (an inline appliance that is off passes none). {@link #comeBack()} plugs it in again: the uplink
 * starts anew with the stored token and ships what the spool still holds. Thread-safe.
 */
public final class VirtualAppliance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualAppliance.class);
    static final String FIRMWARE = "simulator-0.1.0";
    /** As the appliance's default (docs/spool-and-uplink.md "Application identifications"). */
    static final java.time.Duration APPLICATION_WINDOW = java.time.Duration.ofSeconds(60);

    private final ApplianceSpec spec;
    private final Path home;
    private final Pipeline pipeline;
    private final EventFactory events;
    private final Spool spool;
    /** Application identifications folded per application, PC and minute before the spool, as the appliance's sink does. */
    private final EventTally applications;
    private final UplinkSettings uplinkSettings;
    private final Optional<SimulatedDefinitions> definitions;
    private final AtomicLong made = new AtomicLong();
    private final AtomicLong threats = new AtomicLong();
    private Uplink uplink; // null while silent or closed; guarded by this
    private boolean closed;
    private volatile boolean saidNoAntivirus;
    private final java.util.Set<String> saidSteps = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private VirtualAppliance(ApplianceSpec spec, Path home, Pipeline pipeline, UplinkSettings uplinkSettings,
                             Optional<Path> operatorKey) throws IOException {
        this.spec = spec;
        this.home = home;
        this.pipeline = pipeline;
        this.events = new EventFactory(spec.id());
        this.spool = Spool.open(SpoolSettings.in(home.resolve("state/spool"))
                .withSegmentBytes(1L << 20).withMaxBytes(64L << 20), events);
        // No timer thread per appliance (a load test runs hundreds): each replay sends the windows that ended.
        this.applications = new EventTally(APPLICATION_WINDOW, 10_000, System::nanoTime, EventTally.applications(), spool::publish);
        this.uplinkSettings = uplinkSettings;
        try {
            this.definitions = operatorKey.isEmpty() ? Optional.empty() : Optional.of(SimulatedDefinitions.open(home, operatorKey.get(),
                    java.util.EnumSet.allOf(org.omamori.definitions.Kind.class), uplinkSettings.cloud(),
                    uplinkSettings.trustedCertificates(), uplinkSettings.credentials(), events, spool));
        } catch (IOException | RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    /**
     * Opens the appliance's home (made if missing; a spool and token left there by an earlier run
     * are used) and starts its uplink.
     *
     * @param cloud     the cloud's base address, {@code https://host:port/}
     * @param trusted   PEM file with the cloud's (or its CA's) certificate; empty: the JDK's trust store
     * @param heartbeat time between heartbeats (a real appliance: 60 s)
     */
    public static VirtualAppliance start(ApplianceSpec spec, Path home, Pipeline pipeline, URI cloud, Optional<Path> trusted,
                                         Duration heartbeat) throws IOException, GeneralSecurityException {
        return start(spec, home, pipeline, cloud, trusted, heartbeat, Optional.empty());
    }

    /**
     * {@link #start(ApplianceSpec, Path, Pipeline, URI, Optional, Duration)} pulling definitions signed with the
     * operator key {@code operatorKey} (PEM) when given.
     */
    public static VirtualAppliance start(ApplianceSpec spec, Path home, Pipeline pipeline, URI cloud, Optional<Path> trusted,
                                         Duration heartbeat, Optional<Path> operatorKey) throws IOException, GeneralSecurityException {
        UplinkSettings settings = UplinkSettings.of(cloud, spec.id(), spec.activationCode(), trusted,
                        home.resolve("state/uplink/device.token"), FIRMWARE)
                .withHeartbeatInterval(heartbeat)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        VirtualAppliance appliance = new VirtualAppliance(spec, home, pipeline, settings, operatorKey);
        try {
            appliance.plugIn();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            appliance.definitions.ifPresent(SimulatedDefinitions::close);
            appliance.spool.close();
            throw e;
        }
        LOG.info("virtual appliance {} of {} ({} for host {}) in {}", spec.id(), spec.customer(), spec.profile().name(),
                spec.host(), home);
        return appliance;
    }

    public ApplianceId id() {
        return spec.id();
    }

    public ApplianceSpec spec() {
        return spec;
    }

    public Path home() {
        return home;
    }

    /** The factory that stamps this appliance's id on its events. */
    public EventFactory events() {
        return events;
    }

    public Spool spool() {
        return spool;
    }

    /** Its definitions, when it was started with an operator key. */
    public Optional<SimulatedDefinitions> definitions() {
        return definitions;
    }

    /**
     * Runs one step through the engines and spools its events; returns them. While silent the
     * appliance is off: nothing is inspected and nothing returned.
     */
    public List<Event> replay(TrafficStep step) {
        synchronized (this) {
            if (uplink == null) {
                return List.of();
            }
        }
        if (step.kind() == TrafficStep.Kind.EICAR_DOWNLOAD && !antivirus()) {
            if (!saidNoAntivirus) {
                saidNoAntivirus = true;
                LOG.warn("{}: {} skipped — no antivirus engine (clamd was not answering when the engines started)", spec.id(), step.name());
            }
            return List.of();
        }
        StepRunner.Outcome outcome = StepRunner.run(pipeline, events, spec.host(), step);
        List<Event> out = outcome.events();
        applications.flushDue();
        SimulatedAppId.events(events, outcome.request()).forEach(applications::add);
        if (!out.isEmpty()) {
            spool.publish(out);
            made.addAndGet(out.size());
            threats.addAndGet(out.stream().filter(e -> e.kind() == Kind.THREAT).count());
        }
        if (step.kind() != TrafficStep.Kind.BROWSING && LOG.isInfoEnabled()) {
            // The first time each threat step runs at info, its repeats at debug: a load test stays readable.
            boolean first = saidSteps.add(step.name());
            String line = "{} {}: {} -> {}";
            Object[] args = {spec.id(), step.name(), step.url(),
                    out.stream().map(e -> e.result() + " " + e.ruleId() + " (" + e.evidence() + ")").toList()};
            if (first) {
                LOG.info(line, args);
            } else {
                LOG.debug(line, args);
            }
        }
        return out;
    }

    /** Unplugs the appliance: heartbeats and shipping stop, no traffic is inspected. Idempotent. */
    public void silence() {
        if (unplug()) {
            LOG.info("virtual appliance {} of {} silenced (as if unplugged)", spec.id(), spec.customer());
        }
    }

    private boolean unplug() {
        Uplink u;
        synchronized (this) {
            u = uplink;
            uplink = null;
        }
        if (u != null) {
            definitions.ifPresent(SimulatedDefinitions::unplug);
            u.close();
        }
        return u != null;
    }

    /** Plugs it in again: the uplink restarts with the stored device token. Idempotent. */
    public void comeBack() {
        try {
            if (plugIn()) {
                LOG.info("virtual appliance {} of {} is back", spec.id(), spec.customer());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized boolean plugIn() throws IOException, GeneralSecurityException {
        if (closed || uplink != null) {
            return false;
        }
        uplink = Uplink.start(uplinkSettings, spool, this::heartbeatDefinitions,
                kinds -> definitions.ifPresent(d -> d.newerServed(kinds)));
        definitions.ifPresent(SimulatedDefinitions::plugIn);
        return true;
    }

    public synchronized boolean silent() {
        return uplink == null;
    }

    /** Events made since start. */
    public long eventsMade() {
        return made.get();
    }

    /** Threat events made since start. */
    public long threatsMade() {
        return threats.get();
    }

    /** Events the cloud acknowledged since start (including the spool's own system events). */
    public long eventsAcknowledged() {
        return spool.counters().acked();
    }

    /** Events spooled and not yet acknowledged. */
    public long eventsPending() {
        return spool.counters().pending();
    }

    private boolean antivirus() {
        return pipeline.engines().stream().anyMatch(d -> d.id().equals(org.omamori.engine.av.AvEngine.ENGINE_ID));
    }

    /** For the heartbeat: the engines' versions, and the definitions in force by kind over them. */
    private Map<String, String> heartbeatDefinitions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (EngineDescriptor d : pipeline.engines()) {
            out.put(d.id(), d.version());
        }
        definitions.ifPresent(d -> out.putAll(d.versions()));
        return out;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        applications.close(); // the held counts reach the spool (shipped at the next start if not now)
        unplug();
        spool.close();
    }

    @Override
    public String toString() {
        return "VirtualAppliance[" + spec.id() + ", " + spec.customer() + ", " + spec.profile().name() + (silent() ? ", silent" : "") + "]";
    }
}
