package org.omamori.spool;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.omamori.events.Event;

/**
 * Run in a child JVM by the kill -9 test: publishes batches of 1,000 events to a spool as fast
 * as it can and prints the id of each batch's last event once publish() has returned.
 */
public final class SpoolWriterMain {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        TestEvents events = new TestEvents();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "US-ASCII");
        try (Spool spool = Spool.open(SpoolSettings.in(dir), events.factory())) {
            while (true) {
                List<Event> batch = events.mixed(1000);
                spool.publish(batch);
                out.print(batch.get(batch.size() - 1).id() + "\n");
                out.flush();
            }
        }
    }
}
