/**
 * The support desk (docs/desk.md): tickets opened from the desk's mailbox (read over IMAP) and from
 * the portal, answered in the customer's thread by mail, their request kinds' steps, and closed on
 * the customer's word or 14 days after the answer. Plain Java over the store; the component package
 * wires it in a cloud node.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.omamori.desk;
