package org.omamori.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

import org.omamori.events.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file {@code cursor}: one line {@code "kind segment offset index"} per kind, the first
 * unacknowledged record of each queue. Replaced whole and atomically (docs/spool-and-uplink.md).
 */
final class CursorFile {

    static final String NAME = "cursor";
    static final String TEMPORARY = NAME + ".tmp";

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private CursorFile() {
    }

    /** The cursors kept in {@code dir}; none (everything is sent again) when the file is missing or unreadable. */
    static Map<Kind, Position> read(Path dir) {
        Path file = dir.resolve(NAME);
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
    static void write(Path dir, Collection<KindQueue> queues) throws IOException {
        StringBuilder text = new StringBuilder();
        for (KindQueue q : queues) {
            Position p = q.cursor;
            text.append(q.kind.wire()).append(' ').append(p.segment()).append(' ').append(p.offset()).append(' ').append(p.index()).append('\n');
        }
        Path tmp = dir.resolve(TEMPORARY);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
