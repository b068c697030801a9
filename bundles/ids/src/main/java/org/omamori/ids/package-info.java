/**
 * Omamori offline IDS: replays pcap and pcapng captures through the inspection pipeline, with TCP
 * reassembly, HTTP/1.x exchanges and DNS queries, making the same events as the live path.
 * Depends on the engine and pipeline API, the events bundle and the HTTP body decoder; the
 * capture reader ({@code org.omamori.ids.capture}) depends on the JDK alone.
 */
package org.omamori.ids;
