/**
 * The cloud's persistence: tenancy (operator → resellers → customers → appliances), appliance
 * activation, events and heartbeats, in H2 (embedded, the default) or PostgreSQL. Plain Java:
 * {@link org.omamori.store.Store#open} gives every service; every read takes a
 * {@link org.omamori.store.TenantScope}, so no caller can forget the tenant (ARCHITECTURE rule 8).
 * {@link org.omamori.store.Store#outbox()} is the database implementation of the mail outbox of
 * org.omamori.notify. Depends on org.omamori.events and org.omamori.notify; jOOQ, Flyway, HikariCP
 * and the JDBC drivers stay private.
 */
@Version("2.2.0")
@Export
package org.omamori.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
