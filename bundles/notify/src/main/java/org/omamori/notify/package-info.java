/**
 * Notify: the important-alert mail (batched per customer, subject with the highest stars), the
 * follow-up investigation report, the stopped-appliance notice with its daily reminder and the
 * recovery mail (000 §4.3), and sending them over SMTP through a transactional {@link org.omamori.notify.Outbox}.
 * Plain Java; depends on grading, events and Jakarta Mail.
 */
@Version("1.1.0")
@Export
package org.omamori.notify;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
