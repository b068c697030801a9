package org.omamori.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.accounts.LoginThrottle.Allowed;
import org.omamori.accounts.LoginThrottle.Locked;
import org.omamori.accounts.LoginThrottle.Outcome;
import org.omamori.accounts.LoginThrottle.State;

class LoginThrottleTest {

    final LoginThrottle throttle = LoginThrottle.standard();
    final Instant t0 = Instant.parse("2026-12-05T09:00:00Z");

    @Test
    void fourFailuresDoNotLockTheFifthLocksForAMinute() {
        State s = State.CLEAN;
        for (int i = 1; i <= 4; i++) {
            Outcome o = throttle.failure(s, t0.plusSeconds(i));
            assertThat(o.lockedNow()).isFalse();
            s = o.next();
            assertThat(s).isEqualTo(new State(i, null));
            assertThat(throttle.check(s, t0.plusSeconds(i))).isEqualTo(new Allowed());
        }
        Outcome fifth = throttle.failure(s, t0.plusSeconds(5));
        assertThat(fifth.lockedNow()).isTrue();
        assertThat(fifth.next()).isEqualTo(new State(5, t0.plusSeconds(65)));
        assertThat(throttle.check(fifth.next(), t0.plusSeconds(64))).isEqualTo(new Locked(t0.plusSeconds(65)));
        assertThat(throttle.check(fifth.next(), t0.plusSeconds(65))).isEqualTo(new Allowed());
    }

    @Test
    void eachFailureAfterALockLocksLongerUpToAnHour() {
        State s = new State(4, null);
        Instant now = t0;
        List<Duration> expected = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
        for (Duration d : expected) {
            Outcome o = throttle.failure(s, now);
            assertThat(o.lockedNow()).isTrue();
            assertThat(o.next().lockedUntil()).isEqualTo(now.plus(d));
            s = o.next();
            now = s.lockedUntil(); // the guesser waits the lock out and tries again
        }
        assertThat(s.failures()).isEqualTo(10);
    }

    @Test
    void failuresWhileLockedAreNotCountedAndDoNotExtendTheLock() {
        State locked = new State(5, t0.plusSeconds(60));
        Outcome o = throttle.failure(locked, t0.plusSeconds(30));
        assertThat(o.next()).isEqualTo(locked);
        assertThat(o.lockedNow()).isFalse();
    }

    @Test
    void successResetsEverything() {
        assertThat(throttle.success()).isEqualTo(State.CLEAN);
        assertThat(throttle.failure(throttle.success(), t0).next()).isEqualTo(new State(1, null));
    }

    @Test
    void customPoliciesAreValidated() {
        LoginThrottle strict = new LoginThrottle(1, List.of(Duration.ofSeconds(10)));
        assertThat(strict.failure(State.CLEAN, t0).next().lockedUntil()).isEqualTo(t0.plusSeconds(10));
        assertThatThrownBy(() -> new LoginThrottle(0, List.of(Duration.ofSeconds(1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(3, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(3, List.of(Duration.ZERO))).isInstanceOf(IllegalArgumentException.class);
        assertThat(throttle.failure(new State(Integer.MAX_VALUE, null), t0).next().failures()).isEqualTo(Integer.MAX_VALUE);
    }
}
