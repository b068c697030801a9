package org.omamori.store;

import java.util.List;
import java.util.Optional;

/** One page of alerts, newest first; {@code next} is present when more may follow. */
public record AlertPage(List<AlertRow> alerts, Optional<AlertCursor> next) {
    public AlertPage {
        alerts = List.copyOf(alerts);
    }
}
