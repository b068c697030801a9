/** The definitions as a Declarative Services component: configuration in, pulls and the engines' configuration out. Private. */
package org.omamori.definitions.component;
