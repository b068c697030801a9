package org.omamori.spool.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.Event;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.spool.Batch;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;
import org.omamori.spool.TestEvents;

/** The appliance sink's folding of application identifications, in front of a real spool. */
class ApplicationTallyTest {

    @TempDir
    Path dir;

    final TestEvents events = new TestEvents();
    final EventIds ids = new EventIds();

    /** One connection's identification, as an intake makes it from the nDPI engine's pass-with-finding. */
    Event app(String slug, String name, String client, int clientPort, String server) throws IOException {
        return new Event(ids.next(), TestEvents.APPLIANCE, Instant.now(), Kind.ACCESS, ZonePair.LAN_TO_WAN,
                InetAddress.getByName(client), clientPort, InetAddress.getByName(server), 443, Optional.empty(),
                slug + ".example.com", "", "", SecurityFunction.APPLICATION_IDENTIFICATION, "appid-ndpi", "4.14.0",
                "app:video:" + slug, name, Result.PASS, Level.LOW, 90, Evidence.NONE, "");
    }

    static List<Event> drain(Spool spool) {
        List<Event> all = new ArrayList<>();
        for (Batch b = spool.take(1000, 1 << 22); !b.isEmpty(); b = spool.take(1000, 1 << 22)) {
            all.addAll(b.events());
            spool.ack(b);
        }
        return all;
    }

    @Test
    void identificationsAreFoldedThreatsAndOtherAccessLogsGoStraightToTheSpool() throws IOException {
        try (Spool spool = Spool.open(SpoolSettings.in(dir), events.factory())) {
            ApplicationTally sink = new ApplicationTally(spool, Duration.ofSeconds(60), 10_000);
            List<Event> published = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                List<Event> batch = List.of(events.access(), app("youtube", "YouTube", "192.168.1.10", 40_000 + i, "203.0.113." + i),
                        app("line", "LINE", "192.168.1." + (20 + i % 3), 50_000 + i, "198.51.100.7"), events.threat());
                published.addAll(batch);
                sink.publish(batch);
            }
            List<Event> now = drain(spool);
            assertThat(now).hasSize(400).noneMatch(e -> e.function().equals(SecurityFunction.APPLICATION_IDENTIFICATION));
            assertThat(now).filteredOn(e -> e.kind() == Kind.THREAT).hasSize(200);
            assertThat(sink.keys()).isEqualTo(4); // YouTube from one client, LINE from three

            sink.close(); // a stop: the held counts reach the spool, nothing is lost
            List<Event> folded = drain(spool);
            assertThat(folded).hasSize(4).allMatch(e -> e.function().equals(SecurityFunction.APPLICATION_IDENTIFICATION));
            assertThat(folded).filteredOn(e -> e.ruleName().equals("YouTube")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.count()).isEqualTo(200);
                        assertThat(e.sourcePort()).isEqualTo(40_000);
                        assertThat(e.last()).isAfterOrEqualTo(e.time());
                    });
            assertThat(folded).filteredOn(e -> e.ruleName().equals("LINE")).extracting(Event::count)
                    .containsExactlyInAnyOrder(67L, 67L, 66L);
        }
    }

    @Test
    void aBatchWithoutIdentificationsIsPublishedAsItCame() throws IOException {
        List<List<Event>> seen = new ArrayList<>();
        ApplicationTally sink = new ApplicationTally(seen::add, Duration.ofSeconds(60), 10_000);
        List<Event> batch = List.of(events.access(), events.threat());
        sink.publish(batch);
        sink.publish(List.of(app("zoom", "Zoom", "192.168.1.10", 40_000, "203.0.113.1")));
        assertThat(seen).containsExactly(batch); // the same list, nothing copied; the lone identification held
        sink.close();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).singleElement().satisfies(e -> assertThat(e.ruleName()).isEqualTo("Zoom"));
    }

    @Test
    void aZeroWindowFoldsNothing() throws IOException {
        List<Event> seen = new ArrayList<>();
        ApplicationTally sink = new ApplicationTally(seen::addAll, Duration.ZERO, 10_000);
        sink.publish(List.of(app("zoom", "Zoom", "192.168.1.10", 40_000, "203.0.113.1"),
                app("zoom", "Zoom", "192.168.1.10", 40_001, "203.0.113.1")));
        assertThat(seen).hasSize(2);
        sink.close();
        assertThat(seen).hasSize(2);
    }
}
