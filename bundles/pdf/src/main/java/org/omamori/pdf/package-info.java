/**
 * What the service's Japanese PDFs share (invoices, monthly reports): the font, IPA Gothic, read
 * once and embedded as a subset per document, and text placed left, right or centred.
 */
@Version("1.0.0")
@Export
package org.omamori.pdf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
