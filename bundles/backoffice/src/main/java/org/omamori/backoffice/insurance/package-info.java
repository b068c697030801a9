/**
 * Whether an incident's on-site dispatch is covered by the edition's insurance (docs/insurance.md). Plain Java.
 */
@Version("1.1.0")
@Export
package org.omamori.backoffice.insurance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
