/**
 * The cloud's ingest of docs/api/uplink.yaml as plain Java: strict reading of the request bodies,
 * device-token authentication, the checks against the token's appliance and the clock, then the
 * {@code org.omamori.store.IngestStore}. No HTTP and no OSGi here; {@code org.omamori.cloud.rest}
 * puts it on the wire.
 */
package org.omamori.cloud.ingest;
