/**
 * What the appliance reports: one immutable {@link org.omamori.events.Event} per engine result,
 * with a time-ordered id made on the appliance, and its JSON form for the spool and the uplink.
 * An event never carries a byte of a body, file or mail content: it has no field that could.
 * 1.2: an event may stand for several occurrences ({@code count}, {@code last}; docs/api/uplink.yaml).
 * 1.3: {@link org.omamori.events.EventTally} folds events per window (the DNS filter's, the appliance
 * sink's application identifications).
 */
@Version("1.3.0")
@Export
package org.omamori.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
