/** The memory guard: load shedding past the memory budget (docs/operations.md "Memory budget"). Plain Java. */
package org.omamori.appliance.memory;
