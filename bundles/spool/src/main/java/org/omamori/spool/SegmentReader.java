package org.omamori.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.CRC32C;

import org.omamori.events.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a kind's unacknowledged records from its segment files into a {@link BatchBuilder} for
 * {@link Spool#take}, outside the spool's lock. Each record's frame is checked (length and CRC,
 * {@link Frames}) and its payload copied as it is: no event is decoded. A record that fails the
 * check is never handed out: the rest of its segment is skipped and reported as {@link Damage}.
 */
final class SegmentReader {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    /** Holds the largest frame whole. */
    static final int BUFFER = 2 * (Frames.HEADER + Frames.MAX_PAYLOAD);

    /** Records skipped because their segment is damaged at {@code offset}. */
    record Damage(Kind kind, Path segment, long offset, long skipped) {
    }

    /**
     * Read buffers shared by every spool in the JVM (a simulator runs many), lent to one take at a
     * time: as many are kept as takes ran at once, at most four; a take finding none makes one.
     */
    private static final ArrayBlockingQueue<ByteBuffer> SPARE = new ArrayBlockingQueue<>(4);

    private final Path quarantine;

    SegmentReader(Path quarantine) {
        this.quarantine = quarantine;
    }

    /**
     * Reads a kind's records into {@code out} until it is full; returns where the kind's queue
     * stands after them, or null when it read nothing.
     */
    Position read(Kind kind, KindQueue.Snapshot snapshot, BatchBuilder out, List<Damage> damage) {
        ByteBuffer buffer = SPARE.poll();
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(BUFFER);
        }
        try {
            return read(kind, snapshot, out, damage, buffer, new CRC32C());
        } finally {
            SPARE.offer(buffer);
        }
    }

    private Position read(Kind kind, KindQueue.Snapshot snapshot, BatchBuilder out, List<Damage> damage, ByteBuffer buffer, CRC32C crc) {
        Position at = snapshot.cursor();
        Position end = null;
        for (KindQueue.SegmentView segment : snapshot.segments()) {
            if (segment.seq() < at.segment()) {
                continue;
            }
            long offset = segment.seq() == at.segment() ? at.offset() : 0;
            int index = segment.seq() == at.segment() ? at.index() : 0;
            if (offset >= segment.bytes()) {
                continue;
            }
            long startOffset = offset;
            try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
                buffer.clear().limit(0);
                long filled = offset; // file offset of the buffer's limit
                while (offset < segment.bytes()) {
                    if (!out.fits(0)) {
                        break;
                    }
                    if (buffer.remaining() < Frames.HEADER || buffer.remaining() < Frames.HEADER + buffer.getInt(buffer.position())) {
                        filled = fill(channel, buffer, filled, segment.bytes());
                    }
                    int length = buffer.remaining() >= Frames.HEADER ? buffer.getInt(buffer.position()) : -1;
                    if (length <= 0 || length > Frames.MAX_PAYLOAD || buffer.remaining() < Frames.HEADER + length
                            || !Frames.intact(crc, buffer, buffer.position(), length)) {
                        long skipped = segment.records() - index;
                        LOG.error("spool segment {} is damaged at byte {}: its remaining {} events are skipped", segment.path(), offset, skipped);
                        damage.add(new Damage(kind, segment.path(), offset, skipped));
                        return new Position(segment.seq(), segment.bytes(), segment.records());
                    }
                    if (!out.fits(length)) {
                        break;
                    }
                    int payload = buffer.position() + Frames.HEADER;
                    if (isObject(buffer, payload, length)) {
                        out.add(kind, buffer, payload, length);
                    } else {
                        setAside(buffer, payload, length, segment, offset);
                        damage.add(new Damage(kind, segment.path(), offset, 1));
                    }
                    buffer.position(payload + length);
                    offset += Frames.HEADER + length;
                    index++;
                }
            } catch (NoSuchFileException e) {
                return end; // dropped while we read: what we read is still good
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spool segment " + segment.path() + ": " + e.getMessage(), e);
            }
            if (offset > startOffset) {
                end = new Position(segment.seq(), offset, index);
            }
            if (offset < segment.bytes()) {
                return end; // the batch is full
            }
        }
        return end;
    }

    /**
     * Moves what is left to the buffer's start and reads more of the segment after it, never past
     * {@code upTo} (the snapshot's end: beyond it a record may be half written); returns the file
     * offset the buffer now reaches.
     */
    private static long fill(FileChannel channel, ByteBuffer buffer, long filled, long upTo) throws IOException {
        buffer.compact();
        long want = Math.min(buffer.remaining(), upTo - filled);
        buffer.limit(buffer.position() + (int) want);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, filled);
            if (n < 0) {
                break; // shorter than the spool wrote: the frame check finds the damage
            }
            filled += n;
        }
        buffer.flip();
        return filled;
    }

    /** Every payload this spool writes is one JSON object; a record that is not cannot go into a body. */
    private static boolean isObject(ByteBuffer buffer, int payload, int length) {
        return buffer.get(payload) == '{' && buffer.get(payload + length - 1) == '}';
    }

    /** A stored record that cannot be sent as it is: kept aside, not lost silently. */
    private void setAside(ByteBuffer buffer, int payload, int length, KindQueue.SegmentView segment, long offset) {
        Path file = quarantine.resolve("unreadable-" + segment.path().getFileName() + "-" + offset + ".json");
        LOG.error("spool record in {} at byte {} is not a JSON object; moved to {}", segment.path(), offset, file);
        byte[] bytes = new byte[length];
        buffer.get(payload, bytes);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            LOG.error("cannot write {}: {}", file, e.getMessage());
        }
    }
}
