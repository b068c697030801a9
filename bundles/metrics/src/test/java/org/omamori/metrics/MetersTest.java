package org.omamori.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class MetersTest {

    @Test
    void countersAreScrapedInThePrometheusFormatWithTheirTags() {
        Meters meters = Meters.isolated();
        Counter blocked = meters.counter("omamori.dns.queries", "DNS queries answered, by outcome", "outcome", "blocked");
        blocked.increment();
        blocked.add(2);

        String scrape = meters.scrape();

        assertThat(scrape).contains("# HELP omamori_dns_queries_total DNS queries answered, by outcome")
                .contains("# TYPE omamori_dns_queries_total counter")
                .contains("omamori_dns_queries_total{outcome=\"blocked\"} 3.0");
    }

    @Test
    void theSameNameAndTagsGiveTheSameCounter() {
        Meters meters = Meters.isolated();
        meters.counter("omamori.test.events", "x", "kind", "a").increment();
        meters.counter("omamori.test.events", "x", "kind", "a").increment();

        assertThat(meters.counter("omamori.test.events", "x", "kind", "a").count()).isEqualTo(2.0);
        assertThat(meters.counter("omamori.test.events", "x", "kind", "b").count()).isZero();
    }

    @Test
    void timersHaveTheLatencyBucketsInSeconds() {
        Meters meters = Meters.isolated();
        Timer timer = meters.timer("omamori.engine.duration", "engine time", "engine", "urlfilter");
        timer.recordNanos(3_000_000); // 3 ms

        String scrape = meters.scrape();

        assertThat(timer.count()).isEqualTo(1);
        assertThat(scrape).contains("omamori_engine_duration_seconds_bucket{engine=\"urlfilter\",le=\"0.001\"} 0")
                .contains("omamori_engine_duration_seconds_bucket{engine=\"urlfilter\",le=\"0.005\"} 1")
                .contains("omamori_engine_duration_seconds_count{engine=\"urlfilter\"} 1");
    }

    @Test
    void aGaugeIsReadAtEachScrapeAndGoneWhenClosed() {
        Meters meters = Meters.isolated();
        AtomicLong depth = new AtomicLong(7);
        Registration gauge = meters.gauge("omamori.spool.depth", "events waiting", depth::get);

        assertThat(meters.scrape()).contains("omamori_spool_depth 7.0");
        depth.set(9);
        assertThat(meters.scrape()).contains("omamori_spool_depth 9.0");

        gauge.close();
        assertThat(meters.scrape()).doesNotContain("omamori_spool_depth");
    }

    @Test
    void aSecondGaugeOfTheSameNameReplacesTheFirst() {
        Meters meters = Meters.isolated();
        meters.gauge("omamori.spool.depth", "events waiting", () -> 1);
        meters.gauge("omamori.spool.depth", "events waiting", () -> 2);

        assertThat(meters.scrape()).contains("omamori_spool_depth 2.0").doesNotContain("omamori_spool_depth 1.0");
    }

    @Test
    void aCounterKeptByItsOwnerIsReadAtEachScrape() {
        Meters meters = Meters.isolated();
        java.util.concurrent.atomic.LongAdder requests = new java.util.concurrent.atomic.LongAdder();
        Registration registration = meters.counter("omamori.proxy.requests", "requests", requests::sum, "listener", "explicit");
        requests.add(4);

        assertThat(meters.scrape()).contains("# TYPE omamori_proxy_requests_total counter")
                .contains("omamori_proxy_requests_total{listener=\"explicit\"} 4.0");
        registration.close();
        assertThat(meters.scrape()).doesNotContain("omamori_proxy_requests_total");
    }

    @Test
    void aGaugeAndACounterReadThroughALambdaSurviveTheGarbageCollector() {
        Meters meters = Meters.isolated();
        java.util.concurrent.atomic.LongAdder kept = new java.util.concurrent.atomic.LongAdder();
        kept.add(3);
        meters.counter("omamori.test.kept", "x", kept::sum);
        meters.gauge("omamori.test.level", "x", () -> kept.sum() * 2.0);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(meters.scrape()).contains("omamori_test_kept_total 3.0").contains("omamori_test_level 6.0");
    }

    @Test
    void badNamesAndTagsAreRefusedWithTheRule() {
        Meters meters = Meters.isolated();
        assertThatThrownBy(() -> meters.counter("Omamori-Proxy", "x")).hasMessageContaining("lower case words joined by dots");
        assertThatThrownBy(() -> meters.counter("omamori.x", "x", "engine")).hasMessageContaining("key, value pairs");
    }

    @Test
    void theSharedRegistryCarriesTheJvmsMeters() {
        assertThat(Meters.shared().scrape()).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");
    }
}
