/**
 * The appliance's side of running a fleet from the cloud (docs/fleet.md): its settings held by the
 * cloud, fetched when a heartbeat's answer offers a new version, checked whole against the components'
 * metatype and applied through Configuration Admin, or refused with the key named.
 */
package org.omamori.fleet;
