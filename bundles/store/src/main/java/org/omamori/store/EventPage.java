package org.omamori.store;

import java.util.List;
import java.util.Optional;

/** One page of events, newest first; {@code next} is present when more may follow. */
public record EventPage(List<StoredEvent> events, Optional<EventCursor> next) {
}
