/**
 * The engine SPI: what a detection engine implements and what it is given to inspect.
 * Engine vendors build against this package; it changes only with a semantic version bump.
 * Depends on nothing but the JDK.
 */
@Version("1.5.0")
@Export
package org.omamori.api.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
