package org.omamori.spool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.omamori.events.Event;

/**
 * Rough numbers, run by hand: publish rate of 1,000-event batches, take+ack rate, and recovery
 * time of the full spool. {@code java -cp <test classpath> org.omamori.spool.SpoolThroughputMain [batches] [syncMillis]}
 */
public final class SpoolThroughputMain {

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Duration sync = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1000);
        Path dir = Files.createTempDirectory("spool-throughput");
        TestEvents events = new TestEvents();
        List<List<Event>> prepared = new java.util.ArrayList<>();
        for (int i = 0; i < batches; i++) {
            prepared.add(events.mixed(1000));
        }
        SpoolSettings settings = SpoolSettings.in(dir).withSyncInterval(sync).withMaxBytes(1L << 30);
        try (Spool spool = Spool.open(settings, events.factory())) {
            long t0 = System.nanoTime();
            for (List<Event> batch : prepared) {
                spool.publish(batch);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("publish: %d events in %.2f s = %.0f events/s (%.1f MiB)%n", batches * 1000L, s, batches * 1000 / s,
                    spool.counters().bytes() / 1048576.0);
        }
        long t1 = System.nanoTime();
        try (Spool spool = Spool.open(settings, events.factory())) {
            double r = (System.nanoTime() - t1) / 1e9;
            System.out.printf("recovery: %d events in %.2f s%n", spool.counters().pending(), r);
            long t2 = System.nanoTime();
            long n = 0;
            for (Batch b = spool.take(1000, 4 << 20); !b.isEmpty(); b = spool.take(1000, 4 << 20)) {
                n += b.size();
                spool.ack(b);
            }
            double t = (System.nanoTime() - t2) / 1e9;
            System.out.printf("take+ack: %d events in %.2f s = %.0f events/s%n", n, t, n / t);
        }
    }
}
