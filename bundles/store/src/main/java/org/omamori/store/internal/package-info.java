/** The SQL behind org.omamori.store: jOOQ over the tables generated from the Flyway scripts. Private. */
package org.omamori.store.internal;
