/** The appliance's id: configured, or made once and kept in the state folder. */
package org.omamori.appliance.identity;
