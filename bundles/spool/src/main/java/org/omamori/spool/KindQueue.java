package org.omamori.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.omamori.events.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind's queue: its segment files oldest first, the active one open for appending, and the
 * cursor (the first unacknowledged record). Not thread-safe: the {@link Spool} holds its lock
 * around every call.
 */
final class KindQueue {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    /** One segment file as the queue knows it. */
    static final class Segment {
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

    /** A segment as it stood when a reader took a {@link Snapshot}: its bytes up to there are whole records. */
    record SegmentView(long seq, Path path, long bytes, int records) {
    }

    /** What a reader needs, copied under the spool's lock: the cursor and the segments from it on. */
    record Snapshot(Position cursor, List<SegmentView> segments) {

        /** Records past the cursor. */
        long pendingRecords() {
            long n = 0;
            for (SegmentView s : segments) {
                n += s.seq() == cursor.segment() ? Math.max(0, s.records() - cursor.index()) : s.seq() > cursor.segment() ? s.records() : 0;
            }
            return n;
        }

        /** Bytes of the frames past the cursor. */
        long pendingBytes() {
            long n = 0;
            for (SegmentView s : segments) {
                n += s.seq() == cursor.segment() ? Math.max(0, s.bytes() - cursor.offset()) : s.seq() > cursor.segment() ? s.bytes() : 0;
            }
            return n;
        }
    }

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

    KindQueue(Kind kind, Path dir, long segmentBytes) {
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

    /** Writes the batch's frames, sealing segments as they fill; returns the bytes written. */
    long append(FrameBatch frames) throws IOException {
        return append(frames, 0, frames.count());
    }

    /** Writes the batch's frames {@code first} to {@code last} (exclusive), sealing segments as they fill; returns the bytes written. */
    long append(FrameBatch frames, int first, int last) throws IOException {
        long written = 0;
        int from = first; // the first frame not written yet
        for (int i = first; i < last; i++) {
            Segment s = active();
            long pending = frames.start(i) - frames.start(from);
            if (s.bytes + pending > 0 && s.bytes + pending + frames.end(i) - frames.start(i) > segmentBytes) {
                written += write(frames, from, i);
                from = i;
                roll();
            }
        }
        written += write(frames, from, last);
        return written;
    }

    /** Writes frames {@code from} to {@code to} (exclusive) straight from the batch's array. */
    private long write(FrameBatch frames, int from, int to) throws IOException {
        if (to == from) {
            return 0;
        }
        Segment s = active();
        int length = frames.end(to - 1) - frames.start(from);
        ByteBuffer b = ByteBuffer.wrap(frames.bytes(), frames.start(from), length);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            // Take back a partial write so the segment ends at a whole record. A writer whose thread
            // was interrupted (the uplink's, recording a quarantine or damage while it stops) closed
            // the channel (ClosedByInterruptException): open it again, or the kind could take no
            // more events until a restart.
            boolean interrupted = Thread.interrupted();
            try {
                if (!channel.isOpen()) {
                    channel = FileChannel.open(s.path, StandardOpenOption.WRITE);
                }
                channel.truncate(s.bytes);
                channel.position(s.bytes);
            } catch (IOException ignored) {
                // The torn record is cut at the next start.
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        s.bytes += length;
        s.records += to - from;
        dirty = true;
        return length;
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
