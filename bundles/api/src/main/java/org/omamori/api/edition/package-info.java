/**
 * The edition API: what a reseller's edition bundle supplies so that one product is sold under
 * its name and terms (docs/edition-sdk.md). An edition is an OSGi service implementing
 * {@link org.omamori.api.edition.Edition}; everything it supplies is plain data in the records of
 * this package, which the platform checks when the edition is installed. Depends on nothing but
 * the JDK; changes only with a semantic version bump.
 */
@Version("1.1.0")
@Export
package org.omamori.api.edition;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
