/**
 * The inspection pipeline as intakes see it: give it a request, stream bodies through it,
 * read every engine's result and the merged verdict. Implemented only by the platform.
 */
@Version("1.4.0")
@Export
package org.omamori.api.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
