/**
 * Invoices as Japanese PDFs (docs/invoices.md): one A4 page per invoice, the same bytes every time
 * from the same data, a subset of a Japanese TrueType font embedded (PDFBox).
 */
@Version("1.0.0")
@Export
package org.omamori.invoice;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
