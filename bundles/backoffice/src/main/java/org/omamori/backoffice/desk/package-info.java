/**
 * The support desk's deadlines on an edition's desk calendar (docs/desk.md). Plain Java.
 */
@Version("1.0.0")
@Export
package org.omamori.backoffice.desk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
