package org.omamori.spool;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import org.omamori.events.EventCodec;
import org.omamori.events.EventFormatException;

/**
 * A batch the cloud refused, kept in {@code quarantine/<first event id>.json} as
 * {@code {"reason":"...","events":[...]}}: the events exactly as they were sent, so the array can
 * be POSTed again by hand.
 */
final class QuarantineFile {

    private QuarantineFile() {
    }

    static Path write(Path dir, Batch batch, String reason) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name(batch) + ".json");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            out.write("{\"reason\":\"".getBytes(StandardCharsets.US_ASCII));
            out.write(JsonStringEncoder.getInstance().quoteAsUTF8(reason));
            out.write("\",\"events\":[".getBytes(StandardCharsets.US_ASCII));
            batch.writeJson(out);
            out.write("]}".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    /** The first event's id; where the batch began when that event is not one this version reads. */
    private static String name(Batch batch) {
        try {
            return EventCodec.fromJson(batch.event(0)).id().toString();
        } catch (EventFormatException e) {
            Position p = batch.ends().values().iterator().next();
            return "batch-" + p.segment() + "-" + p.offset();
        }
    }
}
