/**
 * Load shedding under memory pressure (docs/operations.md "Memory budget"): the appliance's memory
 * guard says when the process is past its budget's high-water mark, and the intakes refuse new work
 * until it is back under the low-water mark, instead of the JVM running out of memory.
 */
@Version("1.0.0")
@Export
package org.omamori.api.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
