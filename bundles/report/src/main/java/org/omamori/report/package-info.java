/**
 * The monthly report (docs/reports.md): a customer's figures of one month ({@link org.omamori.report.MonthlyFigures},
 * plain records the store fills) as a Japanese PDF in its edition's brand ({@link org.omamori.report.ReportPdf}),
 * and the service's own availability of a month ({@link org.omamori.report.ServiceAvailability}).
 */
@Version("1.0.0")
@Export
package org.omamori.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
