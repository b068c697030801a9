package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.ALERT_DISPLAY_IDS;
import static org.omamori.store.internal.schema.Tables.EVENTS;

import java.time.LocalDate;
import java.util.List;

import org.jooq.DSLContext;
import org.omamori.store.EventPartitions;

/** H2 has no partitions: nothing to prepare, and retention deletes rows by id range. */
public final class RowRetention implements EventPartitions {

    private final DSLContext db;

    public RowRetention(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<String> prepare(LocalDate first, int days) {
        return List.of();
    }

    @Override
    public Removed removeBefore(LocalDate firstKept) {
        java.util.UUID bound = Times.firstIdOf(firstKept);
        List<Long> customers = AlertVersions.before(db, bound);
        int rows = db.deleteFrom(EVENTS).where(EVENTS.ID.lt(bound)).execute()
                + db.deleteFrom(ALERTS).where(ALERTS.ID.lt(bound)).execute();
        // The display ids' unique keys go with their alerts (not counted: they are not rows of the data).
        db.deleteFrom(ALERT_DISPLAY_IDS).where(ALERT_DISPLAY_IDS.ALERT_ID.lt(bound)).execute();
        ThreatDays.removeBefore(db, firstKept); // the roll-up's days go with their events (not counted either)
        ApplicationDays.removeBefore(db, firstKept); // likewise (V33)
        AlertVersions.removed(db, customers);
        return new Removed(List.of(), rows);
    }
}
