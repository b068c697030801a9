package org.omamori.uplink;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.omamori.spool.Batch;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the spool to the cloud: one thread sends one batch at a time and acknowledges it in the
 * spool only when the cloud answered 200 with the whole batch received (at-least-once; the cloud
 * drops replays by event id); another sends the heartbeat. Failures are retried with exponential
 * backoff and full jitter; a batch the cloud refuses as invalid (400, 422) is set aside
 * ({@link Spool#quarantine}) so it never blocks the queue; 413 halves the batch size.
 */
public final class Uplink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

    private final UplinkSettings settings;
    private final Spool spool;
    private final CloudClient client;
    private final Supplier<Map<String, String>> definitions;
    private volatile java.util.function.Consumer<java.util.Set<String>> newerDefinitions = kinds -> { };
    private volatile java.util.function.IntConsumer newerSettings = version -> { };
    private final Clock clock;
    private final Instant startedAt;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<DeviceToken> token = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final Thread shipper;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean heartbeatFailing;
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder heartbeatFailures = new java.util.concurrent.atomic.LongAdder();
    private volatile String lastFailure = "";
    /** The time of the oldest event in the batch being sent; null while the spool is empty. */
    private volatile Instant oldestUnsent;

    public Uplink(UplinkSettings settings, Spool spool, CloudClient client, Supplier<Map<String, String>> definitions, Clock clock) {
        this.settings = settings;
        this.spool = spool;
        this.client = client;
        this.definitions = definitions;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.shipper = new Thread(this::ship, "omamori-uplink");
        this.shipper.setDaemon(true);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "omamori-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds the TLS client from the settings and starts shipping and the heartbeat. */
    public static Uplink start(UplinkSettings settings, Spool spool, Supplier<Map<String, String>> definitions)
            throws IOException, java.security.GeneralSecurityException {
        return start(settings, spool, definitions, kinds -> { });
    }

    /**
     * {@link #start(UplinkSettings, Spool, Supplier)}, telling {@code newerDefinitions} the kinds a heartbeat's
     * answer says the cloud serves newer than the appliance has (so they are pulled without waiting).
     */
    public static Uplink start(UplinkSettings settings, Spool spool, Supplier<Map<String, String>> definitions,
                               java.util.function.Consumer<java.util.Set<String>> newerDefinitions)
            throws IOException, java.security.GeneralSecurityException {
        return start(settings, spool, definitions, newerDefinitions, version -> { });
    }

    /**
     * {@link #start(UplinkSettings, Spool, Supplier, java.util.function.Consumer)}, also telling {@code newerSettings}
     * the version of its settings a heartbeat's answer offers (docs/fleet.md): the appliance fetches it.
     */
    public static Uplink start(UplinkSettings settings, Spool spool, Supplier<Map<String, String>> definitions,
                               java.util.function.Consumer<java.util.Set<String>> newerDefinitions,
                               java.util.function.IntConsumer newerSettings)
            throws IOException, java.security.GeneralSecurityException {
        CloudClient client = new CloudClient(CloudTls.client(settings.trustedCertificates(), settings.requestTimeout()),
                settings.cloud(), settings.requestTimeout());
        Uplink uplink = new Uplink(settings, spool, client, definitions, Clock.systemUTC());
        uplink.newerDefinitions = java.util.Objects.requireNonNull(newerDefinitions, "newerDefinitions");
        uplink.newerSettings = java.util.Objects.requireNonNull(newerSettings, "newerSettings");
        uplink.start();
        return uplink;
    }

    public void start() {
        LOG.info("uplink to {} for appliance {}: batches of up to {} events, heartbeat every {} s", settings.cloud(),
                settings.appliance(), settings.batchEvents(), settings.heartbeatInterval().toSeconds());
        shipper.start();
        long every = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Events the cloud acknowledged since start. */
    public long sent() {
        return sent.get();
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess.get());
    }

    /** When this uplink started: the lag is counted from here until the cloud first answers. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Attempts to activate or send events that failed, since start. */
    public long failures() {
        return failures.sum();
    }

    /** Heartbeats not delivered, since start. */
    public long heartbeatFailures() {
        return heartbeatFailures.sum();
    }

    /** Why the last attempt failed (empty if none did); never holds a secret. */
    public String lastFailure() {
        return lastFailure;
    }

    /** The time of the oldest event not yet acknowledged by the cloud, if any is waiting. */
    public Optional<Instant> oldestUnsent() {
        return Optional.ofNullable(oldestUnsent);
    }

    // ---- shipping ----

    private void ship() {
        Backoff backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
        int limit = settings.batchEvents();
        while (stop.getCount() > 0) {
            try {
                DeviceToken t = credentials(backoff);
                if (t == null) {
                    continue;
                }
                Batch batch = spool.take(limit, settings.batchBytes());
                oldestUnsent = batch.oldestTime().orElse(null);
                if (batch.isEmpty()) {
                    spool.awaitEvents(IDLE_WAIT);
                    continue;
                }
                CloudAnswer answer = client.sendEvents(t, settings.appliance(), batch);
                switch (answer) {
                    case CloudAnswer.Accepted a when a.received() == batch.size() -> {
                        spool.ack(batch);
                        sent.addAndGet(batch.size());
                        succeeded(backoff);
                    }
                    case CloudAnswer.Accepted a -> failed(backoff, "the cloud acknowledged " + a.received() + " of "
                            + batch.size() + " events; sending the batch again", Duration.ZERO);
                    case CloudAnswer.TooLarge tl when batch.size() > 1 -> {
                        limit = Math.max(1, batch.size() / 2);
                        LOG.warn("uplink: the cloud found a batch of {} events too large ({}); sending at most {} from now on",
                                batch.size(), tl.message(), limit);
                    }
                    case CloudAnswer.TooLarge tl -> spool.quarantine(batch, "HTTP 413: " + tl.message());
                    case CloudAnswer.Refused r -> spool.quarantine(batch, "HTTP " + r.status() + ": " + r.message());
                    case CloudAnswer.Unauthorized u -> failed(backoff, "the cloud refused the device token (HTTP " + u.status()
                            + ": " + u.message() + "); events stay in the spool. If the appliance was re-registered, delete "
                            + settings.credentials() + " and set a new activationCode", Duration.ZERO);
                    case CloudAnswer.Failed f -> failed(backoff, f.reason(), f.retryAfter());
                    case CloudAnswer.Activated a -> failed(backoff, "unexpected answer", Duration.ZERO);
                    case CloudAnswer.Beat b -> failed(backoff, "unexpected answer", Duration.ZERO);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (stop.getCount() == 0) {
                    return;
                }
                LOG.error("uplink: {}", e.toString());
                try {
                    pause(backoff.next());
                } catch (InterruptedException x) {
                    return;
                }
            }
        }
    }

    /** The device token: stored, or bought with the activation code; null (after waiting) when neither worked. */
    private DeviceToken credentials(Backoff backoff) throws InterruptedException, IOException {
        DeviceToken t = token.get();
        if (t != null) {
            return t;
        }
        Optional<DeviceToken> stored = DeviceToken.load(settings.credentials());
        if (stored.isPresent()) {
            token.set(stored.get());
            return stored.get();
        }
        if (settings.activationCode().isBlank()) {
            failed(backoff, "no device token in " + settings.credentials() + " and no activationCode configured:"
                    + " events stay in the spool until the appliance is activated", Duration.ZERO);
            return null;
        }
        CloudAnswer answer = client.activate(settings.appliance(), settings.activationCode(), settings.firmwareVersion());
        if (answer instanceof CloudAnswer.Activated a) {
            a.token().save(settings.credentials());
            token.set(a.token());
            LOG.info("uplink: appliance {} activated; device token stored in {}", settings.appliance(), settings.credentials());
            succeeded(backoff);
            return a.token();
        }
        String why = switch (answer) {
            case CloudAnswer.Unauthorized u -> "activation code refused (HTTP " + u.status() + ": " + u.message()
                    + "); check activationCode in configuration org.omamori.uplink";
            case CloudAnswer.Refused r -> "activation refused (HTTP " + r.status() + ": " + r.message() + ")";
            case CloudAnswer.Failed f -> "activation failed: " + f.reason();
            default -> "activation failed: " + answer.getClass().getSimpleName();
        };
        failed(backoff, why, Duration.ZERO);
        return null;
    }

    private void succeeded(Backoff backoff) {
        if (backoff.attempts() > 0) {
            LOG.info("uplink: the cloud answers again after {} failed attempts", backoff.attempts());
        }
        backoff.reset();
        lastSuccess.set(clock.instant());
    }

    private void failed(Backoff backoff, String why, Duration atLeast) throws InterruptedException {
        if (stop.getCount() == 0) { // a request cut short by close(): the cloud did nothing wrong, nothing to warn of
            throw new InterruptedException("uplink stopped");
        }
        failures.increment();
        lastFailure = why;
        Duration wait = backoff.next();
        if (wait.compareTo(atLeast) < 0) {
            wait = atLeast;
        }
        if (backoff.attempts() == 1) {
            LOG.warn("uplink: {}; retrying with backoff", why);
        } else {
            LOG.debug("uplink: attempt {} failed: {}; next in {} ms", backoff.attempts(), why, wait.toMillis());
        }
        pause(wait);
    }

    private void pause(Duration wait) throws InterruptedException {
        if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new InterruptedException("uplink stopped");
        }
    }

    // ---- heartbeat ----

    /** The heartbeat as it would be sent now. */
    public Heartbeat heartbeat() {
        SpoolCounters c = spool.counters();
        Map<String, String> defs;
        try {
            defs = definitions.get();
        } catch (RuntimeException e) {
            LOG.warn("uplink: definitions versions unavailable for the heartbeat: {}", e.toString());
            defs = Map.of();
        }
        return new Heartbeat(settings.appliance(), clock.instant(), startedAt, settings.firmwareVersion(), Heartbeat.currentRuntime(),
                defs, new Heartbeat.Counters(c.spooled(), sent.get(), c.dropped(), c.quarantined(), c.pending(), c.bytes()),
                lastSuccess());
    }

    private void beat() {
        DeviceToken t = token.get();
        try {
            if (t == null) {
                t = DeviceToken.load(settings.credentials()).orElse(null);
                if (t == null) {
                    return; // not activated yet: the shipper activates
                }
            }
            CloudAnswer answer = client.heartbeat(t, heartbeat());
            if (answer instanceof CloudAnswer.Beat beat && !beat.newDefinitions().isEmpty()) {
                LOG.info("uplink: the cloud serves newer {} definitions", beat.newDefinitions());
                newerDefinitions.accept(beat.newDefinitions());
            }
            if (answer instanceof CloudAnswer.Beat beat && beat.settingsVersion().isPresent()) {
                newerSettings.accept(beat.settingsVersion().getAsInt());
            }
            if (answer instanceof CloudAnswer.Accepted || answer instanceof CloudAnswer.Beat) {
                lastSuccess.set(clock.instant());
                if (heartbeatFailing) {
                    LOG.info("uplink: heartbeat delivered again");
                }
                heartbeatFailing = false;
            } else if (stop.getCount() > 0) { // not one close() cut short
                heartbeatFailures.increment();
                lastFailure = "heartbeat not delivered: " + answer;
                if (!heartbeatFailing) {
                    heartbeatFailing = true;
                    LOG.warn("uplink: heartbeat not delivered: {}", answer);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (stop.getCount() == 0) {
                return;
            }
            heartbeatFailures.increment();
            lastFailure = "heartbeat failed: " + e.getClass().getSimpleName();
            LOG.warn("uplink: heartbeat failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        stop.countDown();
        heartbeats.shutdownNow();
        shipper.interrupt();
        client.close();
        try {
            shipper.join(5000);
            heartbeats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
