package org.omamori.definitions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pulls on one background thread: the cloud every interval (each wait drawn from
 * 90–110 % of it, the first within a minute, so a fleet started together spreads out), and the
 * drop folder every few seconds. Installs never overlap: the installer takes one at a time.
 */
public final class Poller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final Installer installer;
    private final Optional<CloudSource> cloud;
    private final Optional<DropFolder> drop;
    private final Set<Kind> kinds;
    private final Duration interval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "definitions-poller");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param kinds    the kinds pulled from the cloud (those with an applier)
     * @param dropScan how often the drop folder is looked at
     */
    public Poller(Installer installer, Optional<CloudSource> cloud, Optional<DropFolder> drop, Set<Kind> kinds,
                  Duration interval, Duration dropScan) {
        this.installer = installer;
        this.cloud = cloud;
        this.drop = drop;
        this.kinds = Set.copyOf(kinds);
        this.interval = interval;
        drop.ifPresent(d -> thread.scheduleWithFixedDelay(this::scanDrop, 0, dropScan.toMillis(), TimeUnit.MILLISECONDS));
        if (cloud.isPresent()) {
            long first = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(interval.toMillis(), 60_000)));
            thread.schedule(this::pullAndReschedule, first, TimeUnit.MILLISECONDS);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean soon = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Pulls on the poller's own thread as soon as it is free (the cloud said something newer is served);
     * several calls before it runs make one pull. The regular schedule stays as it is.
     */
    public void pullSoon() {
        if (cloud.isPresent() && soon.compareAndSet(false, true)) {
            thread.execute(() -> {
                soon.set(false);
                try {
                    pullNow();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Asks the cloud for each kind now, on the calling thread; returns what came of it. */
    public List<Outcome> pullNow() throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        if (cloud.isEmpty()) {
            return outcomes;
        }
        for (Kind kind : kinds.stream().sorted().toList()) {
            try {
                Optional<SignedPackage> pkg = cloud.get().latest(kind, installer.installed().get(kind));
                if (pkg.isPresent()) {
                    outcomes.add(installer.install(pkg.get(), "cloud"));
                }
            } catch (java.io.IOException e) {
                LOG.warn("definitions {}: pull from {} failed, next try in about {} min: {}", kind, cloud.get().base(),
                        interval.toMinutes(), Installer.describe(e));
            }
        }
        return outcomes;
    }

    private void pullAndReschedule() {
        try {
            pullNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.error("definitions pull failed: {}", Installer.describe(e), e);
        }
        long ms = interval.toMillis();
        long next = ms - ms / 10 + ThreadLocalRandom.current().nextLong(Math.max(1, ms / 5 + 1));
        if (!thread.isShutdown()) {
            thread.schedule(this::pullAndReschedule, next, TimeUnit.MILLISECONDS);
        }
    }

    private void scanDrop() {
        try {
            drop.ifPresent(DropFolder::scan);
        } catch (RuntimeException e) {
            LOG.error("definitions drop folder scan failed: {}", Installer.describe(e), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
