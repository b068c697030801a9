package org.omamori.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the stopped-appliance mails (000 §4.3.2, DOMAIN §3): a pure function of what is known
 * and the time, so the scheduler may call it as often as it likes (every minute) and a node that
 * crashed and ran it again decides the same.
 * <ul>
 * <li>silent for {@link LivenessPolicy#silence()} (10 min) → stopped: a {@link Notice.Stopped};</li>
 * <li>still stopped at a daily check ({@link LivenessPolicy#dailyCheck()}, 09:00 Japan time) → a
 *     {@link Notice.StillStopped}, one per check; a check missed while the scheduler was down is
 *     answered once, late; a check within {@link LivenessPolicy#quietAfterFirst()} (6 h) of the
 *     first notice is skipped;</li>
 * <li>heard from again after a notice → a {@link Notice.Recovered}; a stop that ended before it was
 *     noticed mails nothing;</li>
 * <li>came back and stopped again between two calls → recovered, then stopped again.</li>
 * </ul>
 */
public final class Liveness {

    /**
     * What to mail, and the watch to keep.
     *
     * @param notices the mails, in order
     * @param next    the watch after them: store it with the mails, in one transaction
     */
    public record Decision(List<Notice> notices, Watch next) {
        public Decision {
            notices = List.copyOf(notices);
            Objects.requireNonNull(next, "next");
        }
    }

    private final LivenessPolicy policy;

    public Liveness(LivenessPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Decision decide(Watch w, Instant now) {
        if (!w.monitored() || w.lastContact().isEmpty()) {
            // Not watched (or never installed): no mails, and a stop noticed before is forgotten.
            return new Decision(List.of(), w.withStop(Optional.empty()));
        }
        Instant last = w.lastContact().get();
        boolean silent = Duration.between(last, now).compareTo(policy.silence()) >= 0;
        List<Notice> notices = new ArrayList<>();
        Optional<Watch.Stop> stop = w.stop();
        if (stop.isPresent() && last.isAfter(stop.get().silentSince())) {
            // Heard from since the stop: recovered (even if silent again by now).
            notices.add(new Notice.Recovered(w.appliance(), stop.get().silentSince(), last, now));
            stop = Optional.empty();
        }
        if (!silent) {
            return new Decision(notices, w.withStop(stop));
        }
        if (stop.isEmpty()) {
            notices.add(new Notice.Stopped(w.appliance(), last, now));
            return new Decision(notices, w.withStop(Optional.of(new Watch.Stop(last, now, Optional.empty()))));
        }
        Watch.Stop s = stop.get();
        Instant check = latestCheck(now);
        boolean unanswered = check.isAfter(s.lastMail());
        boolean tooSoon = check.isBefore(s.noticedAt().plus(policy.quietAfterFirst()));
        if (unanswered && !tooSoon) {
            notices.add(new Notice.StillStopped(w.appliance(), s.silentSince(), s.noticedAt(), check, now));
            s = new Watch.Stop(s.silentSince(), s.noticedAt(), Optional.of(now));
        }
        return new Decision(notices, w.withStop(Optional.of(s)));
    }

    /** The latest daily check at or before {@code now}. */
    Instant latestCheck(Instant now) {
        ZonedDateTime local = now.atZone(policy.zone());
        ZonedDateTime today = local.toLocalDate().atTime(policy.dailyCheck()).atZone(policy.zone());
        return (today.isAfter(local) ? today.minusDays(1) : today).toInstant();
    }
}
