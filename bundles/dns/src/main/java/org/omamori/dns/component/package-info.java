/** The DNS filter as a Declarative Services component: configuration in, a running server out. Private. */
package org.omamori.dns.component;
