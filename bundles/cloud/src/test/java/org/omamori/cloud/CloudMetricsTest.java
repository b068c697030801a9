package org.omamori.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.cloud.rest.Health;
import org.omamori.cloud.rest.MetricsServer;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.HealthReport;
import org.omamori.metrics.Meters;

class CloudMetricsTest {

    @TempDir
    Path dir;

    final TestEvents events = new TestEvents();

    @Test
    void anIngestedBatchAndARefusedOneShowOnTheMetricsPort() throws Exception {
        MemoryIngestStore store = new MemoryIngestStore();
        try (CloudFixture cloud = new CloudFixture(dir, store);
             MetricsServer metrics = MetricsServer.start("127.0.0.1", 0, Meters.shared())) {
            HttpClient plain = HttpClient.newHttpClient();
            URI scrape = URI.create("http://127.0.0.1:" + metrics.port() + "/metrics");
            String before = plain.send(HttpRequest.newBuilder(scrape).build(), HttpResponse.BodyHandlers.ofString()).body();

            String token = store.tokenFor(TestEvents.APPLIANCE);
            assertThat(cloud.post("api/v1/events", Optional.of(token), TestEvents.batch(TestEvents.APPLIANCE, events.threats(3)))
                    .statusCode()).isEqualTo(200);
            assertThat(cloud.post("api/v1/events", Optional.of("not-a-token"), TestEvents.batch(TestEvents.APPLIANCE, events.threats(1)))
                    .statusCode()).isEqualTo(401);

            HttpResponse<String> after = plain.send(HttpRequest.newBuilder(scrape).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.headers().firstValue("Content-Type")).hasValue(Meters.CONTENT_TYPE);
            String body = after.body();
            assertThat(value(body, "omamori_cloud_ingest_batches_total") - value(before, "omamori_cloud_ingest_batches_total")).isEqualTo(1);
            assertThat(value(body, "omamori_cloud_ingest_events_total{result=\"stored\"}")
                    - value(before, "omamori_cloud_ingest_events_total{result=\"stored\"}")).isEqualTo(3);
            assertThat(value(body, "omamori_cloud_ingest_refused_total{endpoint=\"events\",reason=\"unauthorized\"}")
                    - value(before, "omamori_cloud_ingest_refused_total{endpoint=\"events\",reason=\"unauthorized\"}")).isEqualTo(1);
            assertThat(body).contains("omamori_cloud_ingest_duration_seconds_bucket{le=\"10.0\"}");

            assertThat(plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/other")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void healthNamesEveryCheckAndOnlyTheEssentialOnesMakeIt503() {
        MemoryIngestStore store = new MemoryIngestStore();
        HealthCheck mail = new HealthCheck() {
            public String name() {
                return "mail";
            }

            public boolean essential() {
                return false;
            }

            public org.omamori.metrics.Health check() {
                return org.omamori.metrics.Health.degraded("3 messages unsent, the oldest for 42 min: smtp.example.jp:587 refused the login");
            }
        };
        Health health = new Health(() -> Optional.of(store), () -> List.of(mail));

        HealthReport report = health.report();
        assertThat(report.checks().keySet()).containsExactly("http", "store", "mail");
        assertThat(report.status()).isEqualTo("degraded");
        assertThat(report.essentialOk()).isTrue();

        store.broken = true;
        assertThat(health.report().essentialOk()).isFalse();
        assertThat(health.report().checks().get("store").reason()).startsWith("the database does not answer");
    }

    /** A sample's value in a scrape, 0 when it is not there yet. */
    static double value(String scrape, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
