package org.omamori.spool.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.omamori.events.Event;
import org.omamori.events.EventSink;
import org.omamori.events.EventTally;

/**
 * The appliance's sink in front of the spool: application identifications (access-log events of
 * {@code application-identification}, one per inspected connection from every intake) are folded
 * per application, client and window ({@link EventTally#applications()}, docs/spool-and-uplink.md "Application identifications");
 * every other event goes to the spool at once, in the publisher's batch. Closing sends every count
 * held before the spool closes.
 */
final class ApplicationTally implements EventSink, AutoCloseable {

    private final EventSink spool;
    private final EventTally tally;

    ApplicationTally(EventSink spool, Duration window, int maxKeys) {
        this.spool = Objects.requireNonNull(spool, "spool");
        this.tally = new EventTally(window, maxKeys, System::nanoTime, EventTally.applications(), spool::publish)
                .start("app-event-window");
    }

    @Override
    public void publish(List<Event> events) {
        List<Event> now = null;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (tally.fold(e)) {
                if (now == null) { // the first folded one: what came before it goes at once
                    now = new ArrayList<>(events.subList(0, i));
                }
            } else if (now != null) {
                now.add(e);
            }
        }
        List<Event> rest = now == null ? events : now; // nothing folded: the batch as it came
        if (!rest.isEmpty()) {
            spool.publish(rest);
        }
    }

    /** Keys held now (for tests). */
    int keys() {
        return tally.keys();
    }

    @Override
    public void close() {
        tally.close();
    }
}
