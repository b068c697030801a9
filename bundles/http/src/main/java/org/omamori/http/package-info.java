/**
 * HTTP message bodies as the user's program will see them: transfer coding (chunked) and content
 * coding (gzip, deflate) removed while the bytes stream past, with bounded memory and output.
 * For intakes and for engines that must see decoded content. Also the TLS record framing the intakes
 * walk to hand engines a handshake without decrypting it ({@link org.omamori.http.TlsRecords}, since 1.2).
 * Depends on the JDK and the engine SPI.
 */
@Version("1.2.0")
@Export
package org.omamori.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
