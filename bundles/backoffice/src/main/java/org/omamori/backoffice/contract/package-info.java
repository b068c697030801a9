/**
 * The contract life cycle (docs/contracts.md): states, who acts next, and what each edition's
 * terms allow in each state. Plain Java: the store keeps contracts, the commands and pages act on them.
 */
@Version("1.0.0")
@Export
package org.omamori.backoffice.contract;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
