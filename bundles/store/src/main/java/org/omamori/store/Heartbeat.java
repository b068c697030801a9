package org.omamori.store;

import java.time.Instant;
import java.util.Map;

/**
 * An appliance's heartbeat (uplink.yaml Heartbeat).
 *
 * @param time            the appliance's clock when sent
 * @param startedAt       when the appliance runtime started; counters are since then
 * @param firmwareVersion the firmware in force
 * @param runtime         runtime facts (java, os, arch)
 * @param definitions     definitions set name to version in force
 * @param counters        spool and uplink counters by name
 */
public record Heartbeat(Instant time, Instant startedAt, String firmwareVersion, Map<String, String> runtime,
                        Map<String, String> definitions, Map<String, Long> counters) {
}
