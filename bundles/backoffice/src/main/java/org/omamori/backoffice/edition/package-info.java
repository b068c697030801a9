/**
 * The editions a node runs: the neutral default, the ones installed as bundles, and the national
 * service standard each is checked against when installed (docs/edition-sdk.md). Plain Java.
 */
@Version("1.0.0")
@Export
package org.omamori.backoffice.edition;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
