/**
 * Business days by edition: Japanese holidays computed from the law, weekends and each edition's
 * closed days (docs/billing.md). Plain Java.
 */
@Version("1.0.0")
@Export
package org.omamori.backoffice.calendar;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
