/**
 * Grading: turns a customer's events into important alerts (★★★ / ★★☆ / ★☆☆ / ※調査中※) by a
 * star table that is data ({@link org.omamori.grading.StarTable}), with noise control,
 * suppressions, re-evaluation of alerts under investigation and the advice the mail gives.
 * Plain Java, deterministic (time comes from the events); depends on the engine SPI and events.
 */
@Version("1.1.0")
@Export
package org.omamori.grading;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
