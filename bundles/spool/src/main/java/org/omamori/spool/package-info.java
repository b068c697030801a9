/**
 * The appliance's durable event spool: events survive a kill of the appliance once
 * {@link org.omamori.events.EventSink#publish} returns, the spool stays within a size bound by
 * dropping the oldest access-log events (never threats), and the uplink takes batches and
 * acknowledges them (batches hold the events as stored, never decoded to be sent). Plain Java;
 * may depend on org.omamori.events, jackson-core and SLF4J only.
 */
@Version("2.0.0")
@Export
package org.omamori.spool;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
