/**
 * Qualified invoices (適格請求書, docs/invoices.md): what one carries and its totals per tax rate,
 * rounded once per rate. Plain Java; the PDF is made by bundles/invoice, numbers by the store.
 */
@Version("1.0.0")
@Export
package org.omamori.backoffice.invoice;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
