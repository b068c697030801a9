/**
 * Billing terms as data and the quotes they make: start dates, free periods, first charges and
 * their due dates, for the seeds' editions (docs/billing.md). Plain Java.
 */
@Version("1.0.0")
@Export
package org.omamori.backoffice.billing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
