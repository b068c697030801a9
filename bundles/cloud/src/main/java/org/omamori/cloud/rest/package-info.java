/**
 * The cloud API on the wire: Jetty 12 and Jersey 3 embedded in this bundle, HTTPS with TLS 1.3
 * only, the uplink resources and /health. Plain Java; depends on {@code org.omamori.cloud.ingest}.
 */
package org.omamori.cloud.rest;
