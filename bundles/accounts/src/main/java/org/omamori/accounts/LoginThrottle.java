package org.omamori.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The lock-out policy: after {@code threshold} consecutive failed sign-ins (a wrong password or a
 * wrong or replayed code) the account locks, and every further failure after a lock locks it again
 * for the next, longer time of {@code locks}, the last one repeating. Standard: 5 failures, then 1
 * min, 5 min, 15 min, 1 h, 1 h, ... An online guesser gets about 24 tries a day after the first
 * five; a user who mistyped waits a minute. A successful sign-in or an unlock by staff resets it.
 *
 * <p>Pure functions of (state, now): the caller keeps {@link State} with the account and passes the
 * clock's time in. While locked, the caller must not check the password at all (no oracle, no
 * work) and must not count the attempt, so a locked account cannot be kept locked for longer than
 * the failures already made say.
 */
public record LoginThrottle(int threshold, List<Duration> locks) {

    public LoginThrottle {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        locks = List.copyOf(locks);
        if (locks.isEmpty() || locks.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("locks must be positive durations");
        }
    }

    public static LoginThrottle standard() {
        return new LoginThrottle(5, List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofHours(1)));
    }

    /** An account's throttle state: consecutive failures and the end of the current lock, if any. */
    public record State(int failures, Instant lockedUntil) {
        public static final State CLEAN = new State(0, null);

        public State {
            if (failures < 0) {
                throw new IllegalArgumentException("failures must be >= 0");
            }
        }
    }

    /** Whether a sign-in may be tried now. */
    public sealed interface Decision {
    }

    public record Allowed() implements Decision {
    }

    public record Locked(Instant until) implements Decision {
        public Locked {
            Objects.requireNonNull(until, "until");
        }
    }

    /** The state after a failure, and whether this failure locked the account (audit LOCKED). */
    public record Outcome(State next, boolean lockedNow) {
    }

    public Decision check(State state, Instant now) {
        return isLocked(state, now) ? new Locked(state.lockedUntil()) : new Allowed();
    }

    /** Counts one failure made at {@code now}; while locked the state stays as it is. */
    public Outcome failure(State state, Instant now) {
        if (isLocked(state, now)) {
            return new Outcome(state, false);
        }
        int failures = state.failures() == Integer.MAX_VALUE ? Integer.MAX_VALUE : state.failures() + 1;
        if (failures < threshold) {
            return new Outcome(new State(failures, null), false);
        }
        Duration lock = locks.get((int) Math.min((long) failures - threshold, locks.size() - 1));
        return new Outcome(new State(failures, now.plus(lock)), true);
    }

    /** After a successful sign-in or an unlock by staff. */
    public State success() {
        return State.CLEAN;
    }

    private static boolean isLocked(State state, Instant now) {
        return state.lockedUntil() != null && now.isBefore(state.lockedUntil());
    }
}
