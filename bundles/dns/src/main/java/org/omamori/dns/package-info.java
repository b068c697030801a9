/**
 * Omamori DNS filter intake: a forwarder the LAN resolves through, categories decide. Plain Java
 * (no OSGi): every query becomes an {@link org.omamori.api.engine.InspectionRequest}, the pipeline's
 * verdict answers it (block address or NXDOMAIN) or lets it go to the upstream resolver, and an
 * access-log event is published per query. Depends on the API, the events bundle and dnsjava only.
 * Private: nothing here is exported.
 */
package org.omamori.dns;
