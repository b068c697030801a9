/**
 * Text from outside made safe to show: in a log line, an event note or an error message.
 */
@Version("1.0.0")
@Export
package org.omamori.api.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
