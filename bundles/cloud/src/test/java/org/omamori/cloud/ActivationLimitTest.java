package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.cloud.rest.ActivationLimits;

/**
 * POST /api/v1/activate is rate limited per client address and for all clients together, over
 * real HTTPS from several loopback addresses (127.0.0.0/8 is all loopback on Linux). The buckets
 * refill once an hour here, so nothing refills while the test runs.
 */
class ActivationLimitTest {

    @TempDir
    static Path dir;

    static MemoryIngestStore store;
    static CloudFixture cloud;
    static final List<HttpClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        store = new MemoryIngestStore();
        cloud = new CloudFixture(dir, store, new ActivationLimits(new ActivationLimits.Bucket(3, 1.0 / 60),
                new ActivationLimits.Bucket(8, 1.0 / 60), 100, Duration.ofMinutes(1)));
    }

    @AfterAll
    static void stop() {
        clients.forEach(HttpClient::close);
        cloud.close();
    }

    static HttpClient from(String address) throws Exception {
        HttpClient c = cloud.client(InetAddress.getByName(address));
        clients.add(c);
        return c;
    }

    static String activation(String appliance, String code) {
        return "{\"appliance\":\"" + appliance + "\",\"activationCode\":\"" + code + "\",\"firmwareVersion\":\"1.2.3\"}";
    }

    @Test
    void aBurstFromOneAddressIsLimitedWhileOthersStillActivateAndAllTogetherAreLimitedToo() throws Exception {
        // One address guesses: its 3 attempts are answered (401), then 429 with Retry-After, whatever it sends.
        HttpClient guesser = from("127.0.0.2");
        for (int i = 0; i < 3; i++) {
            UplinkApiTest.assertError(cloud.post(guesser, "api/v1/activate", Optional.empty(), activation("00a0de123456", "guess-" + i)), 401,
                    "invalid-activation-code");
        }
        for (int i = 3; i < 10; i++) {
            HttpResponse<String> limited = cloud.post(guesser, "api/v1/activate", Optional.empty(), activation("00a0de123456", "guess-" + i));
            Map<String, Object> error = UplinkApiTest.assertError(limited, 429, "rate-limited");
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 3600L));
            assertThat((String) error.get("message")).doesNotContain("guess");
        }
        // Even its right code now waits: the limit comes before the body is read.
        store.issue(TestEvents.APPLIANCE, "code-right");
        UplinkApiTest.assertError(cloud.post(guesser, "api/v1/activate", Optional.empty(), activation("00a0de123456", "code-right")), 429,
                "rate-limited");

        // Another address is not held up by the first one.
        HttpResponse<String> other = cloud.post(from("127.0.0.3"), "api/v1/activate", Optional.empty(), activation("00a0de123456", "code-right"));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);

        // 3 + 1 tokens of the global 8 are gone; many addresses with one attempt each use up the rest.
        int answered = 0;
        int limited = 0;
        for (int host = 10; host < 20; host++) {
            HttpResponse<String> r = cloud.post(from("127.0.0." + host), "api/v1/activate", Optional.empty(), activation("00a0de999999", "x"));
            if (r.statusCode() == 429) {
                UplinkApiTest.assertError(r, 429, "rate-limited");
                assertThat(r.body()).contains("all clients");
                limited++;
            } else {
                UplinkApiTest.assertError(r, 401, "invalid-activation-code");
                answered++;
            }
        }
        assertThat(answered).isEqualTo(4);
        assertThat(limited).isEqualTo(6);
        // The other calls are not limited by activation's buckets.
        assertThat(cloud.get("health").statusCode()).isEqualTo(200);
    }
}
