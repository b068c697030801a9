package org.omamori.spool.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.metrics.Meters;
import org.omamori.spool.Batch;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.spool.TestEvents;

class SpoolMetersTest {

    @TempDir
    Path dir;

    final TestEvents events = new TestEvents();

    @Test
    void pendingEventsAndWhatBecameOfThemShowInTheScrape() throws IOException {
        Meters meters = Meters.isolated();
        try (Spool spool = Spool.open(SpoolSettings.in(dir), events.factory()); SpoolMeters spoolMeters = new SpoolMeters(meters, spool)) {
            spool.publish(events.threats(3));
            Batch batch = spool.take(2, 1 << 20);
            spool.ack(batch);

            assertThat(meters.scrape()).contains("omamori_spool_events_pending 1.0")
                    .contains("omamori_spool_events_total{state=\"spooled\"} 3.0")
                    .contains("omamori_spool_events_total{state=\"acked\"} 2.0");
            assertThat(spoolMeters.check().healthy()).isTrue();
        }
    }

    @Test
    void theUplinkSaysWhyItIsNotDelivering() {
        UplinkMeters uplink = new UplinkMeters(Meters.isolated(), Clock.systemUTC());
        uplink.running(null, Duration.ofSeconds(60), "off: no cloudUrl in configuration org.omamori.uplink (events stay in the spool)");

        assertThat(uplink.check()).hasToString("degraded: off: no cloudUrl in configuration org.omamori.uplink (events stay in the spool)");
        assertThat(uplink.essential()).isFalse();
        uplink.close();
    }
}
