package org.omamori.spool;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a kind's unacknowledged records from its segment files for {@link Spool#take}, outside the spool's lock. */
final class SegmentReader {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final Path quarantine;

    SegmentReader(Path quarantine) {
        this.quarantine = quarantine;
    }

    /** Reads a kind's records into events; returns where it stopped, or null when it read nothing. */
    Position read(KindQueue.Snapshot snapshot, List<Event> events, long[] bytes, int maxEvents, long maxBytes) {
        Position at = snapshot.cursor();
        Position end = null;
        byte[] header = new byte[Frames.HEADER];
        for (KindQueue.SegmentView segment : snapshot.segments()) {
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
    private void setAside(byte[] payload, KindQueue.SegmentView segment, long offset, String why) {
        Path file = quarantine.resolve("unreadable-" + segment.path().getFileName() + "-" + offset + ".json");
        LOG.error("spool record in {} before byte {} is not a valid event ({}); moved to {}", segment.path(), offset, why, file);
        try {
            Files.write(file, payload);
        } catch (IOException e) {
            LOG.error("cannot write {}: {}", file, e.getMessage());
        }
    }
}
