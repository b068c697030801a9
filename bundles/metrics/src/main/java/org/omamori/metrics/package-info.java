/**
 * The runtime's metrics: counters, timers with latency histograms and gauges, named and tagged
 * once when a component starts, then updated on hot paths without allocating; scraped in the
 * Prometheus text format (docs/metrics.md). Micrometer and the Prometheus client are private to
 * this bundle (docs/decisions/0026-metrics-micrometer.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.omamori.metrics;
