/**
 * Faulty appliances replaced under an edition's support terms (seed 000 §8.3, seed 004 別紙1 §6;
 * docs/rma.md): the RMA's steps from the fault report through the desk's check, the replacement's
 * shipping, the customer's swap, the faulty unit's return and the erasure of its data, with the
 * edition's deadlines in business days; and the appliances old enough to be replaced (000 §3.1).
 * Plain Java.
 */
@Version("1.0.0")
@Export
package org.omamori.backoffice.rma;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
