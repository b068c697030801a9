/**
 * Cluster-safe recurring jobs: {@link org.omamori.scheduler.Jobs} runs each planned execution of
 * a job once, however many cloud nodes share the database, through db-scheduler and its table
 * {@code scheduled_tasks} (store migration {@code V7__scheduled_tasks.sql}). Plain Java; an OSGi
 * component or the portal wires it to the store's {@link javax.sql.DataSource}.
 */
@Version("1.1.0")
@Export
package org.omamori.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
