package org.omamori.spool;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;

import org.omamori.api.engine.Level;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFactory;
import org.omamori.events.EventFormatException;
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
 */
public final class Spool implements EventSink, AutoCloseable {

    /** Rule id of the system event that records dropped access-log events. */
    public static final String DROPPED = "spool:dropped";
    /** Rule id of the system event that records a batch set aside because the cloud refused it. */
    public static final String QUARANTINED = "uplink:quarantined";
    /** Rule id of the system event that records a damaged sealed segment found at start. */
    public static final String DAMAGED = "spool:damaged";

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final List<Kind> TAKE_ORDER = List.of(Kind.THREAT, Kind.SYSTEM, Kind.ACCESS);
    private static final Pattern SEGMENT = Pattern.compile("(threat|access|system)-(\\d{20})\\.seg");
    private static final String CURSOR = "cursor";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final SpoolSettings settings;
    private final EventFactory factory;
    private final Path quarantine;
    private final Map<Kind, Queue> queues = new EnumMap<>(Kind.class);
    private final ScheduledExecutorService syncer;
    private volatile long maxBytes;

    // Guarded by this.
    private long totalBytes;
    private long spooled;
    private long acked;
    private long dropped;
    private long quarantined;
    private boolean closed;
    private boolean overBoundLogged;

    private Spool(SpoolSettings settings, EventFactory factory) {
        this.settings = settings;
        this.factory = factory;
        this.maxBytes = settings.maxBytes();
        this.quarantine = settings.directory().resolve("quarantine");
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
        Map<Kind, List<byte[]>> frames = new EnumMap<>(Kind.class);
        for (Event e : events) {
            frames.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(Frames.frame(EventCodec.toJson(e)));
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the spool in " + settings.directory() + " is closed");
            }
            try {
                for (Map.Entry<Kind, List<byte[]>> kind : frames.entrySet()) {
                    totalBytes += queues.get(kind.getKey()).append(kind.getValue());
                }
                spooled += events.size();
                keepWithinBound();
                if (syncer == null) {
                    for (Kind kind : frames.keySet()) {
                        queues.get(kind).force();
                    }
                    queues.get(Kind.SYSTEM).force();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("events not spooled in " + settings.directory() + ": " + e.getMessage(), e);
            }
            notifyAll();
        }
    }

    private void keepWithinBound() throws IOException {
        long count = 0;
        long bound = maxBytes;
        while (totalBytes > bound) {
            Queue access = queues.get(Kind.ACCESS);
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
        totalBytes += queues.get(event.kind()).append(List.of(Frames.frame(EventCodec.toJson(event))));
        spooled++;
    }

    /**
     * The next events to send, up to {@code maxEvents} and about {@code maxBytes} of JSON (at
     * least one event if any is held): threats first, then system events, then access logs,
     * each kind oldest first. Taking again before {@link #ack} returns the same events again
     * (plus any newer threats that now come first).
     */
    public Batch take(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("take at least one event and one byte");
        }
        Map<Kind, Snapshot> snapshots = new EnumMap<>(Kind.class);
        synchronized (this) {
            for (Kind kind : TAKE_ORDER) {
                snapshots.put(kind, queues.get(kind).snapshot());
            }
        }
        List<Event> events = new ArrayList<>();
        Map<Kind, Position> ends = new EnumMap<>(Kind.class);
        long[] bytes = {0};
        for (Kind kind : TAKE_ORDER) {
            if (events.size() >= maxEvents || bytes[0] >= maxBytes) {
                break;
            }
            Position end = read(snapshots.get(kind), events, bytes, maxEvents, maxBytes);
            if (end != null) {
                ends.put(kind, end);
            }
        }
        return new Batch(events, bytes[0], ends);
    }

    /** Reads a kind's records into events; returns where it stopped, or null when it read nothing. */
    private Position read(Snapshot snapshot, List<Event> events, long[] bytes, int maxEvents, long maxBytes) {
        Position at = snapshot.cursor();
        Position end = null;
        byte[] header = new byte[Frames.HEADER];
        for (SegmentView segment : snapshot.segments()) {
            if (segment.seq() < at.segment()) {
                continue;
            }
            long offset = segment.seq() == at.segment() ? at.offset() : 0;
            int index = segment.seq() == at.segment() ? at.index() : 0;
            if (offset >= segment.bytes()) {
                continue;
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(segment.path()), 64 * 1024)) {
                Frames.skipFully(in, offset);
                while (offset < segment.bytes()) {
                    if (events.size() >= maxEvents) {
                        return end;
                    }
                    byte[] payload = Frames.read(in, header);
                    if (payload == null) {
                        LOG.error("spool segment {} is damaged at byte {}: its remaining events are skipped", segment.path(), offset);
                        return new Position(segment.seq(), segment.bytes(), segment.records());
                    }
                    if (!events.isEmpty() && bytes[0] + payload.length + 1 > maxBytes) {
                        return end;
                    }
                    offset += Frames.HEADER + payload.length;
                    index++;
                    end = new Position(segment.seq(), offset, index);
                    try {
                        events.add(EventCodec.fromJson(payload));
                        bytes[0] += payload.length + 1;
                    } catch (EventFormatException e) {
                        setAside(payload, segment, offset, e.getMessage());
                    }
                }
            } catch (NoSuchFileException e) {
                return end; // dropped while we read: what we read is still good
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spool segment " + segment.path() + ": " + e.getMessage(), e);
            }
        }
        return end;
    }

    /** A stored record this version cannot read (e.g. written by another version): kept aside, not lost silently. */
    private void setAside(byte[] payload, SegmentView segment, long offset, String why) {
        Path file = quarantine.resolve("unreadable-" + segment.path().getFileName() + "-" + offset + ".json");
        LOG.error("spool record in {} before byte {} is not a valid event ({}); moved to {}", segment.path(), offset, why, file);
        try {
            Files.write(file, payload);
        } catch (IOException e) {
            LOG.error("cannot write {}: {}", file, e.getMessage());
        }
    }

    /** Forgets a batch's events: the uplink calls this once the cloud has accepted them. */
    public void ack(Batch batch) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the spool in " + settings.directory() + " is closed");
            }
            boolean moved = false;
            for (Map.Entry<Kind, Position> end : batch.ends().entrySet()) {
                moved |= queues.get(end.getKey()).advance(end.getValue());
            }
            if (!moved) {
                return;
            }
            acked += batch.size();
            try {
                writeCursor();
                for (Queue q : queues.values()) {
                    totalBytes -= q.deleteBeforeCursor();
                }
            } catch (IOException e) {
                // Not fatal: the batch is handed out again after a restart, and the cloud drops the replay.
                LOG.error("spool cursor not saved in {}: {}", settings.directory(), e.getMessage());
            }
        }
    }

    /**
     * Sets a batch aside that the cloud refused as invalid, so it cannot block the queue: writes
     * it to {@code quarantine/<first event id>.json} (the events array as sent, to re-send by
     * hand), acknowledges it and records a {@value #QUARANTINED} system event.
     *
     * @return the file written
     */
    public Path quarantine(Batch batch, String reason) throws IOException {
        if (batch.isEmpty()) {
            ack(batch);
            return null;
        }
        Files.createDirectories(quarantine);
        Path file = quarantine.resolve(batch.events().get(0).id() + ".json");
        try (OutputStream out = Files.newOutputStream(file);
                JsonGenerator g = EventCodec.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", reason);
            g.writeArrayFieldStart("events");
            for (Event e : batch.events()) {
                EventCodec.write(e, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
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
        return new SpoolCounters(spooled, acked, dropped, quarantined, pendingLocked(), totalBytes);
    }

    private long pendingLocked() {
        long n = 0;
        for (Queue q : queues.values()) {
            n += q.pending();
        }
        return n;
    }

    /** Forces written segments to the disk now. */
    public void sync() throws IOException {
        List<FileChannel> dirty = new ArrayList<>();
        synchronized (this) {
            for (Queue q : queues.values()) {
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
            for (Queue q : queues.values()) {
                q.closeChannel();
            }
        }
    }

    // ---- recovery and the cursor file ----

    private void recover() throws IOException {
        Path dir = settings.directory();
        Files.createDirectories(dir);
        Files.createDirectories(quarantine);
        Files.deleteIfExists(dir.resolve(CURSOR + ".tmp"));
        Map<Kind, Position> cursors = readCursor();
        Map<Kind, TreeMap<Long, Path>> found = new EnumMap<>(Kind.class);
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path file : files) {
                Matcher m = SEGMENT.matcher(file.getFileName().toString());
                if (m.matches()) {
                    found.computeIfAbsent(Kind.fromWire(m.group(1)), k -> new TreeMap<>()).put(Long.parseLong(m.group(2)), file);
                    total += Files.size(file);
                }
            }
        }
        int segmentCount = found.values().stream().mapToInt(Map::size).sum();
        long started = System.nanoTime();
        long lastProgress = started;
        int scanned = 0;
        long scannedBytes = 0;
        List<String> damage = new ArrayList<>();
        if (segmentCount > 0) {
            LOG.info("spool: recovering {} segments ({} MiB) in {}", segmentCount, total >> 20, dir);
        }
        for (Kind kind : Kind.values()) {
            Queue q = new Queue(kind, dir, settings.segmentBytes());
            queues.put(kind, q);
            Position cursor = cursors.getOrDefault(kind, new Position(0, 0, 0));
            TreeMap<Long, Path> segments = found.getOrDefault(kind, new TreeMap<>());
            // Segments wholly before the cursor were acknowledged; a crash kept them.
            for (Map.Entry<Long, Path> e : new ArrayList<>(segments.headMap(cursor.segment()).entrySet())) {
                Files.deleteIfExists(e.getValue());
                segments.remove(e.getKey());
            }
            if (!segments.isEmpty() && !segments.containsKey(cursor.segment())) {
                cursor = new Position(segments.firstKey(), 0, 0); // its segment was dropped
            }
            for (Map.Entry<Long, Path> e : segments.entrySet()) {
                boolean last = e.getKey().equals(segments.lastKey());
                long cursorOffset = e.getKey() == cursor.segment() ? cursor.offset() : -1;
                Scan scan = scan(e.getValue(), cursorOffset);
                if (scan.valid() < scan.size()) {
                    try (FileChannel ch = FileChannel.open(e.getValue(), StandardOpenOption.WRITE)) {
                        ch.truncate(scan.valid());
                        ch.force(true);
                    }
                    if (last) {
                        LOG.warn("spool: cut a torn last record ({} bytes) from {}: it was being written when the appliance stopped",
                                scan.size() - scan.valid(), e.getValue().getFileName());
                    } else {
                        LOG.error("spool: sealed segment {} is damaged at byte {}; {} bytes after it are lost",
                                e.getValue().getFileName(), scan.valid(), scan.size() - scan.valid());
                        damage.add(e.getValue().getFileName() + " lost " + (scan.size() - scan.valid()) + " bytes at " + scan.valid());
                    }
                }
                if (cursorOffset >= 0) {
                    if (scan.cursorIndex() >= 0) {
                        cursor = new Position(e.getKey(), cursorOffset, scan.cursorIndex());
                    } else if (cursorOffset >= scan.valid()) {
                        cursor = new Position(e.getKey(), scan.valid(), scan.records());
                    } else {
                        LOG.warn("spool: cursor of {} is not at a record in {}; sending that segment again (the cloud drops replays)",
                                kind.wire(), e.getValue().getFileName());
                        cursor = new Position(e.getKey(), 0, 0);
                    }
                }
                q.segments.add(new Segment(e.getKey(), e.getValue(), scan.valid(), scan.records()));
                totalBytes += scan.valid();
                scanned++;
                scannedBytes += scan.valid();
                long now = System.nanoTime();
                if (now - lastProgress > PROGRESS_EVERY.toNanos()) {
                    LOG.info("spool: recovered {} of {} segments ({} of {} MiB)", scanned, segmentCount, scannedBytes >> 20, total >> 20);
                    lastProgress = now;
                }
            }
            if (segments.isEmpty()) {
                cursor = new Position(Math.max(cursor.segment(), 1), 0, 0);
            }
            q.cursor = cursor;
            q.nextSeq = segments.isEmpty() ? cursor.segment() : segments.lastKey() + 1;
            q.openActive();
        }
        if (segmentCount > 0) {
            SpoolCounters c = counters();
            LOG.info("spool: recovered {} unsent events ({} MiB) from {} segments in {} ms", c.pending(), totalBytes >> 20,
                    segmentCount, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        writeCursor();
        for (String d : damage) {
            appendOwn(factory.system(DAMAGED, "spool segment damaged", Level.HIGH, d));
        }
    }

    private record Scan(long valid, long size, int records, int cursorIndex) {
    }

    /** Checks every record's frame; notes how many records lie before {@code cursorOffset}. */
    private static Scan scan(Path file, long cursorOffset) throws IOException {
        long size = Files.size(file);
        long offset = 0;
        int records = 0;
        int cursorIndex = cursorOffset == 0 ? 0 : -1;
        byte[] header = new byte[Frames.HEADER];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 256 * 1024)) {
            byte[] payload;
            while (offset < size && (payload = Frames.read(in, header)) != null) {
                offset += Frames.HEADER + payload.length;
                records++;
                if (offset == cursorOffset) {
                    cursorIndex = records;
                }
            }
        }
        return new Scan(offset, size, records, cursorIndex);
    }

    private Map<Kind, Position> readCursor() {
        Path file = settings.directory().resolve(CURSOR);
        Map<Kind, Position> cursors = new EnumMap<>(Kind.class);
        if (!Files.exists(file)) {
            return cursors;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                cursors.put(Kind.fromWire(f[0]), new Position(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3])));
            }
            return cursors;
        } catch (IOException | RuntimeException e) {
            LOG.warn("spool: cursor file {} unreadable ({}); sending every kept event again (the cloud drops replays)", file, e.getMessage());
            return new EnumMap<>(Kind.class);
        }
    }

    /** Writes all cursors to a new file, forces it, and renames it over the old one: never half a cursor. */
    private void writeCursor() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Queue q : queues.values()) {
            Position p = q.cursor;
            text.append(q.kind.wire()).append(' ').append(p.segment()).append(' ').append(p.offset()).append(' ').append(p.index()).append('\n');
        }
        Path tmp = settings.directory().resolve(CURSOR + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, settings.directory().resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    // ---- one kind's queue ----

    private static final class Segment {
        final long seq;
        final Path path;
        long bytes;
        int records;

        Segment(long seq, Path path, long bytes, int records) {
            this.seq = seq;
            this.path = path;
            this.bytes = bytes;
            this.records = records;
        }
    }

    private record SegmentView(long seq, Path path, long bytes, int records) {
    }

    private record Snapshot(Position cursor, List<SegmentView> segments) {
    }

    private static final class Queue {
        final Kind kind;
        final Path dir;
        final long segmentBytes;
        final ArrayDeque<Segment> segments = new ArrayDeque<>();
        Position cursor;
        long nextSeq;
        FileChannel channel;
        boolean dirty;
        /** Size of the segment the last {@link #dropOldest} deleted. */
        long bytesDropped;

        Queue(Kind kind, Path dir, long segmentBytes) {
            this.kind = kind;
            this.dir = dir;
            this.segmentBytes = segmentBytes;
        }

        Segment active() {
            return segments.peekLast();
        }

        /** Continues the last segment if it has room, else begins a new one. */
        void openActive() throws IOException {
            Segment last = active();
            if (last != null && last.bytes < segmentBytes) {
                channel = FileChannel.open(last.path, StandardOpenOption.WRITE);
                channel.position(last.bytes);
            } else {
                roll();
            }
        }

        void roll() throws IOException {
            closeChannel();
            long seq = Math.max(nextSeq, 1);
            nextSeq = seq + 1;
            Path path = dir.resolve(kind.wire() + "-" + String.format("%020d", seq) + ".seg");
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            segments.add(new Segment(seq, path, 0, 0));
            syncDirectory(dir);
        }

        void closeChannel() {
            if (channel != null) {
                try {
                    channel.force(false);
                    channel.close();
                } catch (IOException e) {
                    LOG.error("spool segment of {} not closed cleanly: {}", kind.wire(), e.getMessage());
                }
                channel = null;
                dirty = false;
            }
        }

        /** Writes frames, sealing segments as they fill; returns the bytes written. */
        long append(List<byte[]> frames) throws IOException {
            long written = 0;
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            int records = 0;
            for (byte[] frame : frames) {
                Segment s = active();
                if (s.bytes + chunk.size() > 0 && s.bytes + chunk.size() + frame.length > segmentBytes) {
                    written += write(chunk, records);
                    chunk.reset();
                    records = 0;
                    roll();
                }
                chunk.write(frame);
                records++;
            }
            written += write(chunk, records);
            return written;
        }

        private long write(ByteArrayOutputStream chunk, int records) throws IOException {
            if (records == 0) {
                return 0;
            }
            Segment s = active();
            ByteBuffer b = ByteBuffer.wrap(chunk.toByteArray());
            try {
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            } catch (IOException e) {
                // Take back a partial write so the segment ends at a whole record.
                try {
                    channel.truncate(s.bytes);
                    channel.position(s.bytes);
                } catch (IOException ignored) {
                    // The torn record is cut at the next start.
                }
                throw e;
            }
            s.bytes += chunk.size();
            s.records += records;
            dirty = true;
            return chunk.size();
        }

        void force() throws IOException {
            if (dirty && channel != null) {
                channel.force(false);
                dirty = false;
            }
        }

        long pending() {
            long n = 0;
            for (Segment s : segments) {
                if (s.seq == cursor.segment()) {
                    n += s.records - cursor.index();
                } else if (s.seq > cursor.segment()) {
                    n += s.records;
                }
            }
            return n;
        }

        Snapshot snapshot() {
            List<SegmentView> views = new ArrayList<>(segments.size());
            for (Segment s : segments) {
                if (s.seq >= cursor.segment()) {
                    views.add(new SegmentView(s.seq, s.path, s.bytes, s.records));
                }
            }
            return new Snapshot(cursor, views);
        }

        /** Deletes the oldest segment (sealing it first if it is the active one); returns its unsent events, or -1 if none is left. */
        long dropOldest() throws IOException {
            Segment oldest = segments.peekFirst();
            if (oldest == null || oldest.bytes == 0) {
                return -1;
            }
            if (oldest == active()) {
                roll();
            }
            segments.removeFirst();
            long unsent = oldest.seq == cursor.segment() ? oldest.records - cursor.index() : oldest.seq > cursor.segment() ? oldest.records : 0;
            Files.deleteIfExists(oldest.path);
            if (cursor.segment() <= oldest.seq) {
                cursor = new Position(segments.peekFirst().seq, 0, 0);
            }
            bytesDropped = oldest.bytes;
            return unsent;
        }

        /** Moves the cursor forward to {@code end} (never back); true if it moved. */
        boolean advance(Position end) {
            if (end.compareTo(cursor) <= 0) {
                return false;
            }
            Segment at = find(end.segment());
            cursor = at == null ? new Position(end.segment(), 0, 0) : end;
            normalise();
            return true;
        }

        /** A cursor at the end of a sealed segment, or in a dropped one, moves to the start of the next. */
        private void normalise() {
            for (Segment s : segments) {
                if (s.seq < cursor.segment()) {
                    continue;
                }
                if (s.seq > cursor.segment()) {
                    cursor = new Position(s.seq, 0, 0);
                    return;
                }
                if (s != active() && cursor.offset() >= s.bytes) {
                    continue; // wholly sent: on to the next
                }
                return;
            }
        }

        private Segment find(long seq) {
            for (Segment s : segments) {
                if (s.seq == seq) {
                    return s;
                }
            }
            return null;
        }

        /** Deletes sealed segments wholly before the cursor; returns the bytes freed. */
        long deleteBeforeCursor() throws IOException {
            long freed = 0;
            while (!segments.isEmpty() && segments.peekFirst().seq < cursor.segment() && segments.peekFirst() != active()) {
                Segment s = segments.removeFirst();
                Files.deleteIfExists(s.path);
                freed += s.bytes;
            }
            return freed;
        }

        private static void syncDirectory(Path dir) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                // Not every platform can force a directory; the data itself is forced.
            }
        }
    }
}
