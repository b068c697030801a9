package org.omamori.notify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.events.ApplianceId;

/**
 * What liveness knows about one appliance between two checks; the store keeps it per appliance and
 * saves {@link Liveness.Decision#next()} in the same transaction as it enqueues the notices' mails.
 *
 * @param appliance   the appliance
 * @param monitored   false before it is installed, after the contract ended, or while it is
 *                    paused for announced maintenance: then no notices
 * @param lastContact the last heartbeat or event batch; empty when it never called
 * @param stop        the stop that was noticed and has not recovered; empty while running
 */
public record Watch(ApplianceId appliance, boolean monitored, Optional<Instant> lastContact, Optional<Stop> stop) {

    /**
     * A noticed stop.
     *
     * @param silentSince the last contact before the stop
     * @param noticedAt   when the first (stopped) notice was decided
     * @param remindedAt  when the latest daily reminder was decided
     */
    public record Stop(Instant silentSince, Instant noticedAt, Optional<Instant> remindedAt) {
        public Stop {
            Objects.requireNonNull(silentSince, "silentSince");
            Objects.requireNonNull(noticedAt, "noticedAt");
            Objects.requireNonNull(remindedAt, "remindedAt");
        }

        /** The latest mail about this stop. */
        public Instant lastMail() {
            return remindedAt.orElse(noticedAt);
        }
    }

    public Watch {
        Objects.requireNonNull(appliance, "appliance");
        Objects.requireNonNull(lastContact, "lastContact");
        Objects.requireNonNull(stop, "stop");
    }

    /** A monitored appliance last heard from at {@code lastContact}, no stop noticed. */
    public static Watch running(ApplianceId appliance, Instant lastContact) {
        return new Watch(appliance, true, Optional.of(lastContact), Optional.empty());
    }

    /** This watch after a contact at {@code at} (a heartbeat); an older contact changes nothing. */
    public Watch contacted(Instant at) {
        if (lastContact.isPresent() && !at.isAfter(lastContact.get())) {
            return this;
        }
        return new Watch(appliance, monitored, Optional.of(at), stop);
    }

    Watch withStop(Optional<Stop> s) {
        return new Watch(appliance, monitored, lastContact, s);
    }
}
