/**
 * Definition packages for the engines (URL category lists, IPS rules, AV signatures): the
 * signed package format, reading it as hostile input, rollback protection, pulling from the
 * cloud and from a drop folder, and handing a verified package to the engine through an
 * {@link org.omamori.definitions.Applier}. Plain Java: depends on the events bundle, Jackson's
 * streaming core and SLF4J only. Exported for the uplink's heartbeat ({@link
 * org.omamori.definitions.DefinitionVersions}) and for the cloud and tools that make packages.
 */
@Version("1.3.0")
@Export
package org.omamori.definitions;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
