/**
 * The appliance's uplink to the cloud (docs/api/uplink.yaml): activation for a device token,
 * batches of spooled events over HTTPS (TLS 1.3, the cloud's certificate and host name checked),
 * acknowledged in the spool only once the cloud has them, and a heartbeat. Plain Java on
 * java.net.http; depends on org.omamori.spool, org.omamori.events, jackson-core and SLF4J.
 */
@Version("1.0.0")
@Export
package org.omamori.uplink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
