package org.omamori.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The token buckets of POST /api/v1/activate on a clock the test turns. */
class ActivationLimiterTest {

    final AtomicLong nanos = new AtomicLong(1_000);
    final List<String> log = new ArrayList<>();

    ActivationLimiter limiter(int addressBurst, double addressPerMinute, int globalBurst, double globalPerMinute, int maxAddresses) {
        return new ActivationLimiter(new ActivationLimits(new ActivationLimits.Bucket(addressBurst, addressPerMinute),
                new ActivationLimits.Bucket(globalBurst, globalPerMinute), maxAddresses, Duration.ofMinutes(1)), nanos::get, log::add);
    }

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void anAddressHasItsBurstThenItsRateAndIsToldHowLongToWait() throws Exception {
        ActivationLimiter l = limiter(5, 6, 1000, 1000, 100);
        for (int i = 0; i < 5; i++) {
            assertThat(l.admit(ip("192.0.2.1"))).isEmpty();
        }
        assertThat(l.admit(ip("192.0.2.1"))).hasValueSatisfying(r -> {
            assertThat(r.global()).isFalse();
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(10)); // 6 a minute: one every 10 s
        });
        assertThat(l.admit(ip("192.0.2.2"))).as("another address").isEmpty();
        advance(Duration.ofSeconds(4));
        assertThat(l.admit(ip("192.0.2.1")).orElseThrow().retryAfter()).isEqualTo(Duration.ofSeconds(6));
        advance(Duration.ofSeconds(6));
        assertThat(l.admit(ip("192.0.2.1"))).isEmpty();
        assertThat(l.admit(ip("192.0.2.1"))).isPresent();
    }

    @Test
    void theGlobalLimitHoldsForManyAddressesAndARefusalThereCostsTheAddressNothing() throws Exception {
        ActivationLimiter l = limiter(2, 1, 50, 60, 10_000);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            if (l.admit(ip("10.0." + (i / 250) + "." + (i % 250))).isEmpty()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(50);
        assertThat(l.admit(ip("198.51.100.7")).orElseThrow()).satisfies(r -> {
            assertThat(r.global()).isTrue();
            assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
        advance(Duration.ofSeconds(2));
        // The refused address kept its own tokens: both of its burst are still there.
        assertThat(l.admit(ip("198.51.100.7"))).isEmpty();
        assertThat(l.admit(ip("198.51.100.7"))).isEmpty();
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() throws Exception {
        ActivationLimiter l = limiter(2, 1, 1000, 1000, 100);
        assertThat(l.admit(ip("2001:db8:1:2::1"))).isEmpty();
        assertThat(l.admit(ip("2001:db8:1:2:ffff::99"))).isEmpty();
        assertThat(l.admit(ip("2001:db8:1:2:dead:beef:0:1"))).as("same /64").isPresent();
        assertThat(l.admit(ip("2001:db8:1:3::1"))).as("next /64").isEmpty();
        assertThat(ActivationLimiter.key(ip("2001:db8:1:2::1"))).isEqualTo("2001:db8:1:2::/64");
    }

    @Test
    void aFloodIsOneLogLinePerAddressPerIntervalAndNeverTheRequest() throws Exception {
        ActivationLimiter l = limiter(1, 1, 1000, 1000, 100);
        for (int i = 0; i < 500; i++) {
            l.admit(ip("203.0.113.5"));
            l.admit(ip("203.0.113.6"));
        }
        assertThat(log).hasSize(2).allSatisfy(line -> assertThat(line).contains("0 more refused"));
        assertThat(log.get(0)).contains("203.0.113.5");
        assertThat(log.get(1)).contains("203.0.113.6");
        advance(Duration.ofSeconds(61));
        for (int i = 0; i < 10; i++) {
            l.admit(ip("203.0.113.5"));
        }
        assertThat(log).hasSize(3);
        assertThat(log.get(2)).contains("203.0.113.5").contains("498 more refused");
    }

    @Test
    void theAddressTableIsBounded() throws Exception {
        ActivationLimiter l = limiter(1, 1, 100_000, 100_000, 100);
        for (int i = 0; i < 5000; i++) {
            l.admit(ip("10.1." + (i / 250) + "." + (i % 250)));
        }
        assertThat(l.trackedAddresses()).isEqualTo(100);
    }
}
