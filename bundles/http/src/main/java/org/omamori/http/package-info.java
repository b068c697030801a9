/**
 * HTTP message bodies as the user's program will see them: transfer coding (chunked) and content
 * coding (gzip, deflate) removed while the bytes stream past, with bounded memory and output.
 * For intakes and for engines that must see decoded content. Depends on the JDK and the engine SPI.
 */
@Version("1.1.0")
@Export
package org.omamori.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
