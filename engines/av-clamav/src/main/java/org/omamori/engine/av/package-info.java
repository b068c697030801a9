/**
 * The antivirus engine: streams request and response bodies, decoded as the user's program
 * will see them, to a ClamAV daemon as they pass, and neutralises what it finds. Plain Java;
 * depends on the engine SPI, {@code org.omamori.http} and SLF4J. Not exported.
 */
package org.omamori.engine.av;
