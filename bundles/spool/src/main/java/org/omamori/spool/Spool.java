package org.omamori.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;


import org.omamori.api.engine.Level;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.events.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable local spool: one queue of append-only segment files per event kind
 * ({@code threat-00000000000000000001.seg}, ...), each record framed with its length and CRC
 * ({@link Frames}), and one acknowledgement cursor per kind kept in the file {@code cursor},
 * replaced atomically.
 *
 * <p>Durability: {@link #publish} returns after the records are written to the file (the OS page
 * cache), so they survive a kill of the process; with a sync interval of zero it also forces them
 * to the disk first, so they survive a power loss; otherwise a power loss may lose up to one sync
 * interval of events, and a record torn by it is cut at the next start.
 *
 * <p>Bound: past {@link SpoolSettings#maxBytes} the oldest access-log segment is deleted (its
 * unsent events counted) until the spool fits again, and each such drop is published as a
 * {@link Kind#SYSTEM} event {@value #DROPPED}. Threat and system events are never dropped: a
 * spool holding only those grows past its bound (and says so in the log).
 *
 * <p>Reading: {@link #take} hands out threats first, then system events, then access logs, each
 * kind oldest first; {@link #ack} forgets a batch. Thread-safe.
 *
 * <p>The parts: {@link KindQueue} (one kind's segment files and cursor), {@link SegmentReader}
 * (reading records for a batch), {@link Recovery} (what a start finds on disk), {@link CursorFile}
 * and {@link Frames} (the two file formats).
 */
public final class Spool implements EventSink, AutoCloseable {

    /** Rule id of the system event that records dropped access-log events. */
    public static final String DROPPED = "spool:dropped";
    /** Rule id of the system event that records a batch set aside because the cloud refused it. */
    public static final String QUARANTINED = "uplink:quarantined";
    /** Rule id of the system event that records damage found in a segment: at start (a sealed one), or while taking. */
    public static final String DAMAGED = "spool:damaged";

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final Kind[] KINDS = Kind.values();
    private static final List<Kind> TAKE_ORDER = List.of(Kind.THREAT, Kind.SYSTEM, Kind.ACCESS);

    private final SpoolSettings settings;
    private final EventFactory factory;
    private final Path quarantine;
    private final Map<Kind, KindQueue> queues = new EnumMap<>(Kind.class);
    private final SegmentReader reader;
    private final ScheduledExecutorService syncer;
    private volatile long maxBytes;
    /** The batch the last publish framed its events in, to reuse (a publisher running meanwhile makes its own). */
    private final AtomicReference<FrameBatch> spare = new AtomicReference<>();
    /** Largest batch kept for reuse: a few thousand events. */
    private static final int SPARE_BYTES = 4 << 20;

    // Guarded by this.
    private long totalBytes;
    private long spooled;
    private long acked;
    private long dropped;
    private long quarantined;
    private long damaged;
    /** Damaged places already counted (a batch may be taken again before its ack). */
    private final java.util.Set<String> reportedDamage = new java.util.HashSet<>();
    private boolean closed;
    private boolean overBoundLogged;

    private Spool(SpoolSettings settings, EventFactory factory) {
        this.settings = settings;
        this.factory = factory;
        this.maxBytes = settings.maxBytes();
        this.quarantine = settings.directory().resolve("quarantine");
        this.reader = new SegmentReader(quarantine);
        this.syncer = settings.syncInterval().isZero() ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "omamori-spool-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the spool in its directory, recovering what an earlier run left: torn last records
     * are cut, acknowledged segments deleted, unacknowledged events handed out again.
     *
     * @param factory makes the spool's own system events (drops, quarantine)
     */
    public static Spool open(SpoolSettings settings, EventFactory factory) throws IOException {
        Spool spool = new Spool(settings, factory);
        spool.recover();
        if (spool.syncer != null) {
            long millis = Math.max(1, settings.syncInterval().toMillis());
            spool.syncer.scheduleWithFixedDelay(spool::syncQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
        return spool;
    }

    public SpoolSettings settings() {
        return settings;
    }

    /** Changes the bound; takes effect at the next publish. */
    public void maxBytes(long bytes) {
        if (bytes < 2 * settings.segmentBytes()) {
            throw new IllegalArgumentException("maxBytes must be at least two segments: " + bytes);
        }
        maxBytes = bytes;
    }

    /**
     * Writes the events to their kinds' segments; when it returns they survive a kill of the
     * process (and a power loss when the sync interval is zero).
     *
     * @throws UncheckedIOException when they could not be written (disk full, I/O error): then
     *                              none of them is guaranteed kept
     */
    @Override
    public void publish(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        FrameBatch frames = spare.getAndSet(null);
        if (frames == null) {
            frames = new FrameBatch(events.size());
        }
        Kind[] kinds = KINDS;
        int[] ends = new int[kinds.length];
        for (Kind kind : kinds) {
            for (Event e : events) {
                if (e.kind() == kind) {
                    frames.add(e);
                }
            }
            ends[kind.ordinal()] = frames.count();
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the spool in " + settings.directory() + " is closed");
            }
            try {
                int from = 0;
                for (Kind kind : kinds) {
                    int to = ends[kind.ordinal()];
                    if (to > from) {
                        totalBytes += queues.get(kind).append(frames, from, to);
                    }
                    from = to;
                }
                spooled += events.size();
                keepWithinBound();
                if (syncer == null) {
                    for (KindQueue q : queues.values()) {
                        q.force();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("events not spooled in " + settings.directory() + ": " + e.getMessage(), e);
            } finally {
                keep(frames);
            }
            notifyAll();
        }
    }

    /** Keeps a batch's arrays for the next publish, unless it grew unusually large. */
    private void keep(FrameBatch frames) {
        if (frames.capacity() <= SPARE_BYTES) {
            frames.clear();
            spare.set(frames);
        }
    }

    private void keepWithinBound() throws IOException {
        long count = 0;
        long bound = maxBytes;
        while (totalBytes > bound) {
            KindQueue access = queues.get(Kind.ACCESS);
            long unsent = access.dropOldest();
            if (unsent < 0) {
                break;
            }
            totalBytes -= access.bytesDropped;
            count += unsent;
        }
        if (count > 0) {
            dropped += count;
            LOG.warn("spool full ({} bytes): dropped the {} oldest unsent access-log events", bound, count);
            appendOwn(factory.system(DROPPED, "access-log events dropped: spool full", Level.MEDIUM,
                    count + " access-log events dropped (oldest first) to keep the spool within " + bound + " bytes"));
        }
        if (totalBytes > bound) {
            if (!overBoundLogged) {
                LOG.error("spool over its bound of {} bytes ({} bytes) with threat and system events only: they are never"
                        + " dropped; is the uplink working?", bound, totalBytes);
                overBoundLogged = true;
            }
        } else {
            overBoundLogged = false;
        }
    }

    /** Appends one of the spool's own events; caller holds the lock. */
    private void appendOwn(Event event) throws IOException {
        FrameBatch one = new FrameBatch(1);
        one.add(event);
        totalBytes += queues.get(event.kind()).append(one);
        spooled++;
    }

    /**
     * The next events to send, up to {@code maxEvents} and about {@code maxBytes} of JSON (at
     * least one event if any is held): threats first, then system events, then access logs,
     * each kind oldest first. Taking again before {@link #ack} returns the same events again
     * (plus any newer threats that now come first).
     *
     * <p>The batch holds the events as stored, not decoded ({@link Batch}). A record that fails its
     * frame check (damage after the start) is never handed out: the rest of its segment is
     * skipped, counted in {@link SpoolCounters#damaged()} and recorded once as a {@value #DAMAGED} event.
     */
    public Batch take(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("take at least one event and one byte");
        }
        while (true) {
            Batch batch = takeOnce(maxEvents, maxBytes);
            if (!batch.isEmpty() || batch.ends().isEmpty() || !advance(batch)) {
                return batch;
            }
            // Only skipped records (damaged or set aside) were read: past them, and take again.
        }
    }

    private Batch takeOnce(int maxEvents, long maxBytes) {
        Map<Kind, KindQueue.Snapshot> snapshots = new EnumMap<>(Kind.class);
        long pendingRecords = 0;
        long pendingBytes = 0;
        synchronized (this) {
            for (Kind kind : TAKE_ORDER) {
                KindQueue.Snapshot snapshot = queues.get(kind).snapshot();
                snapshots.put(kind, snapshot);
                pendingRecords += snapshot.pendingRecords();
                pendingBytes += snapshot.pendingBytes();
            }
        }
        BatchBuilder out = new BatchBuilder(maxEvents, maxBytes, pendingRecords, pendingBytes);
        List<SegmentReader.Damage> damage = new ArrayList<>(0);
        for (Kind kind : TAKE_ORDER) {
            if (out.full()) {
                break;
            }
            Position end = reader.read(kind, snapshots.get(kind), out, damage);
            if (end != null) {
                out.end(kind, end);
            }
        }
        if (!damage.isEmpty()) {
            recordDamage(damage);
        }
        return out.build();
    }

    /** Counts records skipped for damage and records each damaged place once as a {@value #DAMAGED} event. */
    private synchronized void recordDamage(List<SegmentReader.Damage> damage) {
        for (SegmentReader.Damage d : damage) {
            if (reportedDamage.size() > 1000) {
                reportedDamage.clear();
            }
            if (!reportedDamage.add(d.segment().getFileName() + "@" + d.offset())) {
                continue; // taken again before ack: counted already
            }
            damaged += d.skipped();
            try {
                appendOwn(factory.system(DAMAGED, "spool segment damaged", Level.HIGH, d.segment().getFileName()
                        + " damaged at byte " + d.offset() + ": " + d.skipped() + " " + d.kind().wire() + " events skipped, not sent"));
            } catch (IOException e) {
                LOG.error("spool: the damage of {} not recorded as an event: {}", d.segment(), e.getMessage());
            }
        }
        notifyAll();
    }

    /** Forgets a batch's events: the uplink calls this once the cloud has accepted them. */
    public void ack(Batch batch) {
        advance(batch);
    }

    /** Moves the cursors to the batch's ends and saves them; false when none moved (acknowledged before). */
    private synchronized boolean advance(Batch batch) {
        if (closed) {
            throw new IllegalStateException("the spool in " + settings.directory() + " is closed");
        }
        boolean moved = false;
        for (Map.Entry<Kind, Position> end : batch.ends().entrySet()) {
            moved |= queues.get(end.getKey()).advance(end.getValue());
        }
        if (!moved) {
            return false;
        }
        acked += batch.size();
        try {
            CursorFile.write(settings.directory(), queues.values());
            for (KindQueue q : queues.values()) {
                totalBytes -= q.deleteBeforeCursor();
            }
        } catch (IOException e) {
            // Not fatal: the batch is handed out again after a restart, and the cloud drops the replay.
            LOG.error("spool cursor not saved in {}: {}", settings.directory(), e.getMessage());
        }
        return true;
    }

    /**
     * Sets a batch aside that the cloud refused as invalid, so it cannot block the queue: writes
     * it to {@code quarantine/<first event id>.json} (the events array as sent, to re-send by
     * hand; {@link QuarantineFile}), acknowledges it and records a {@value #QUARANTINED} system event.
     *
     * @return the file written
     */
    public Path quarantine(Batch batch, String reason) throws IOException {
        if (batch.isEmpty()) {
            ack(batch);
            return null;
        }
        Path file = QuarantineFile.write(quarantine, batch, reason);
        LOG.error("{} events set aside in {}: {}", batch.size(), file, reason);
        ack(batch);
        synchronized (this) {
            quarantined += batch.size();
            appendOwn(factory.system(QUARANTINED, "events refused by the cloud: set aside", Level.HIGH,
                    batch.size() + " events set aside in " + file.getFileName() + ": " + reason));
            notifyAll();
        }
        return file;
    }

    /** Waits until the spool holds an unacknowledged event, up to the timeout; true if it does. */
    public synchronized boolean awaitEvents(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed && pendingLocked() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return !closed;
    }

    public synchronized SpoolCounters counters() {
        return new SpoolCounters(spooled, acked, dropped, quarantined, damaged, pendingLocked(), totalBytes);
    }

    private long pendingLocked() {
        long n = 0;
        for (KindQueue q : queues.values()) {
            n += q.pending();
        }
        return n;
    }

    /** Forces written segments to the disk now. */
    public void sync() throws IOException {
        List<FileChannel> dirty = new ArrayList<>();
        synchronized (this) {
            for (KindQueue q : queues.values()) {
                if (q.dirty && q.channel != null) {
                    dirty.add(q.channel);
                    q.dirty = false;
                }
            }
        }
        for (FileChannel channel : dirty) {
            try {
                channel.force(false);
            } catch (ClosedChannelException e) {
                // Sealed meanwhile, and forced when it was.
            }
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            LOG.error("spool not synced to disk in {}: {}", settings.directory(), e.getMessage());
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        if (syncer != null) {
            syncer.shutdownNow();
        }
        synchronized (this) {
            for (KindQueue q : queues.values()) {
                q.closeChannel();
            }
        }
    }

    // ---- start ----

    private void recover() throws IOException {
        Path dir = settings.directory();
        Files.createDirectories(dir);
        Files.createDirectories(quarantine);
        Recovery.Recovered recovered = Recovery.recover(dir, settings.segmentBytes());
        queues.putAll(recovered.queues());
        totalBytes = recovered.totalBytes();
        CursorFile.write(dir, queues.values());
        for (String d : recovered.damage()) {
            appendOwn(factory.system(DAMAGED, "spool segment damaged", Level.HIGH, d));
        }
    }
}
