package org.omamori.spool;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.events.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a spool finds in its folder at start: every frame of every segment checked (length and
 * CRC, no JSON parsing), torn or damaged tails cut, acknowledged segments deleted, each kind's
 * cursor placed on a record (docs/spool-and-uplink.md "Durability").
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final Pattern SEGMENT = Pattern.compile("(threat|access|system)-(\\d{20})\\.seg");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    /**
     * The recovered queues, their active segments open for appending.
     *
     * @param queues     one per kind
     * @param totalBytes size of the segment files kept
     * @param damage     one line for each sealed segment found damaged (to record as a system event)
     */
    record Recovered(Map<Kind, KindQueue> queues, long totalBytes, List<String> damage) {
    }

    private Recovery() {
    }

    static Recovered recover(Path dir, long segmentBytes) throws IOException {
        Files.deleteIfExists(dir.resolve(CursorFile.TEMPORARY));
        Map<Kind, Position> cursors = CursorFile.read(dir);
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
        long totalBytes = 0;
        List<String> damage = new ArrayList<>();
        Map<Kind, KindQueue> queues = new EnumMap<>(Kind.class);
        if (segmentCount > 0) {
            LOG.info("spool: recovering {} segments ({} MiB) in {}", segmentCount, total >> 20, dir);
        }
        for (Kind kind : Kind.values()) {
            KindQueue q = new KindQueue(kind, dir, segmentBytes);
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
                q.segments.add(new KindQueue.Segment(e.getKey(), e.getValue(), scan.valid(), scan.records()));
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
            long pending = queues.values().stream().mapToLong(KindQueue::pending).sum();
            LOG.info("spool: recovered {} unsent events ({} MiB) from {} segments in {} ms", pending, totalBytes >> 20,
                    segmentCount, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        return new Recovered(queues, totalBytes, damage);
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
}
