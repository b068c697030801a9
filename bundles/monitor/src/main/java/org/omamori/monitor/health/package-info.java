/**
 * Component health classified A / B / Z (000 §9.2–9.3; docs/monitor.md "Faults"): the probes and
 * rules ({@link org.omamori.monitor.health.HealthRules}) and the minutely check
 * ({@link org.omamori.monitor.health.HealthCheck}) that records faults and resolves them. Plain Java.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.omamori.monitor.health;
