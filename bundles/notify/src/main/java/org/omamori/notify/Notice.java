package org.omamori.notify;

import java.time.Instant;
import java.util.Objects;

import org.omamori.events.ApplianceId;

/** A mail liveness decided to send about an appliance (000 §4.3.2 and the recovery mail we add). */
public sealed interface Notice {

    ApplianceId appliance();

    /** When it was decided. */
    Instant at();

    /** A key for the outbox: the same notice decided twice enqueues one mail. */
    String key();

    /**
     * The first notice of a stop.
     *
     * @param lastContact the last time it was heard from
     */
    record Stopped(ApplianceId appliance, Instant lastContact, Instant at) implements Notice {
        public Stopped {
            Objects.requireNonNull(appliance, "appliance");
            Objects.requireNonNull(lastContact, "lastContact");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String key() {
            return "stopped:" + appliance + ":" + lastContact;
        }
    }

    /**
     * The daily re-notice while it stays stopped.
     *
     * @param check       the daily check it answers (the fixed time of that day)
     * @param firstNotice when the first notice went
     */
    record StillStopped(ApplianceId appliance, Instant lastContact, Instant firstNotice, Instant check, Instant at)
            implements Notice {
        public StillStopped {
            Objects.requireNonNull(appliance, "appliance");
            Objects.requireNonNull(lastContact, "lastContact");
            Objects.requireNonNull(firstNotice, "firstNotice");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String key() {
            return "still-stopped:" + appliance + ":" + lastContact + ":" + check;
        }
    }

    /**
     * It called again after a stopped notice.
     *
     * @param stoppedSince its last contact before the stop
     * @param backAt       its first contact after it
     */
    record Recovered(ApplianceId appliance, Instant stoppedSince, Instant backAt, Instant at) implements Notice {
        public Recovered {
            Objects.requireNonNull(appliance, "appliance");
            Objects.requireNonNull(stoppedSince, "stoppedSince");
            Objects.requireNonNull(backAt, "backAt");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String key() {
            return "recovered:" + appliance + ":" + stoppedSince;
        }
    }
}
