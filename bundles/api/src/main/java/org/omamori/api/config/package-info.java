/**
 * Reading components' configuration as operators write it: list settings given in a
 * {@code .cfg} file on one line.
 */
@Version("1.0.0")
@Export
package org.omamori.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
