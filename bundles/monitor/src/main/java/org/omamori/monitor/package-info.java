/**
 * The cloud's monitoring (docs/monitor.md): grades each customer's new threat events in the
 * ingest transaction, mails alert batches, notices stopped appliances, and keeps 90 days.
 * Plain Java over the store; {@code component} wires it in OSGi.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.omamori.monitor;
