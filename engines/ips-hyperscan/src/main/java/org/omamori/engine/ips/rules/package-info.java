/**
 * Suricata/Snort rules as data: the parser turns rule files into {@link org.omamori.engine.ips.rules.Rule}
 * records, skipping (and counting by keyword) what the engine does not support, and reporting what
 * does not parse with file, line and why. Plain Java: depends on the JDK only.
 */
package org.omamori.engine.ips.rules;
